/* zipcheck.h: structural checks of zip containers (docx, pptx) */
#ifndef FILES_ZIPCHECK_H
#define FILES_ZIPCHECK_H

#include <stddef.h>
#include <stdint.h>

#define ZIPCHECK_MAX_ENTRIES 10000		     /* suggested default */
#define ZIPCHECK_MAX_EXPANDED (512ull * 1024 * 1024) /* suggested default */
#define ZIPCHECK_MAX_RATIO 200		      /* per entry, above 1 MiB */
#define ZIPCHECK_RATIO_FLOOR (1024ull * 1024) /* where the ratio applies */

/*
 * Checks the zip file at path without decompressing anything: it reads
 * the End of Central Directory record (and the ZIP64 locator and record
 * when the archive needs them), walks the central directory and each
 * entry's local header, with every offset and length checked against the
 * file. It refuses:
 *   - more than max_entries entries, or a declared total uncompressed
 *     size above max_expanded bytes;
 *   - an entry above ZIPCHECK_RATIO_FLOOR uncompressed whose compression
 *     ratio exceeds ZIPCHECK_MAX_RATIO:1;
 *   - entries that overlap, or any structure pointing outside the file or
 *     into the central directory, or sizes that disagree between the
 *     central directory and a local header;
 *   - encrypted entries, compression methods other than stored and
 *     deflate, split archives;
 *   - entry names that are empty, contain NUL, are absolute ("/x", "\x",
 *     "C:x") or have a ".." component.
 *
 * Returns 0 when the archive passes, or -1 with a message for the user
 * (Chinese) in msg when it is refused or cannot be read. Memory use is
 * bounded: about 400 KiB plus 16 bytes per entry.
 */
int zipcheck_file(const char *path, uint64_t max_entries, uint64_t max_expanded,
		  char *msg, size_t n);

/*
 * Looks at the names in the central directory of the zip at path, with
 * the same bounds checks as zipcheck_file() on the central directory (but
 * no size policy), for the parts of an Office Open XML document: with a
 * "[Content_Types].xml" entry, entries under "word/" make it "docx" and
 * under "ppt/" make it "pptx". Sets kind_out to that kind, or to "" when
 * it is neither (or both). Returns 0, or -1 when the file is not a
 * readable zip (kind_out is then "").
 */
int zipcheck_ooxml_kind(const char *path, char kind_out[16]);

#endif
