/*
 * zip.h: a streaming writer of zip archives whose entries are stored as
 * they are (no compression: the PDFs it carries are compressed already),
 * with UTF-8 names. One entry at a time goes from a file to the archive,
 * so memory stays flat whatever the archive's size.
 */
#ifndef DOCS_ZIP_H
#define DOCS_ZIP_H

#include <stddef.h>
#include <stdint.h>

/* Without Zip64 an archive holds at most this many bytes and entries. */
#define XP_ZIP_MAX_BYTES 0xFFFFFFFEu
#define XP_ZIP_MAX_ENTRIES 65535

struct xp_zip;

/*
 * Starts an archive written to fd (a regular file, empty, positioned at
 * its start; the caller keeps it and closes it). Returns the writer, or
 * NULL when out of memory.
 */
struct xp_zip *xp_zip_new(int fd);

/*
 * Adds the whole of the file src_fd (read from offset 0) as the entry
 * `name` (UTF-8, at most 65535 bytes, '/' separating folders), dated
 * mtime (Unix seconds, written as China time as zip has no zones).
 * Returns 0, or -1 with a message in err: a write error, or the archive
 * would pass XP_ZIP_MAX_BYTES or XP_ZIP_MAX_ENTRIES. After a failure the
 * archive is unusable.
 */
int xp_zip_add_fd(struct xp_zip *z, const char *name, int src_fd, int64_t mtime,
		  char *err, size_t errlen);

/*
 * Writes the central directory and frees z (also after a failure; NULL
 * is accepted). Returns 0 with the archive's size in *size_out (may be
 * NULL), or -1 with a message in err.
 */
int xp_zip_finish(struct xp_zip *z, uint64_t *size_out, char *err,
		  size_t errlen);

#endif
