/*
 * zip.h: a streaming writer of zip archives with UTF-8 names. Entries are
 * stored as they are (the PDFs it carries are compressed already), or
 * come deflated already (the XLSX writer's sheets, docs/xlsx.c). One
 * entry at a time goes from a file to the archive, so memory stays flat
 * whatever the archive's size.
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
 * Adds the whole of src_fd (from offset 0), a raw deflate stream (RFC
 * 1951) of size bytes whose CRC-32 is crc, as the deflated entry `name`.
 * Returns 0, or -1 as xp_zip_add_fd() (also when size passes 4 GiB).
 */
int xp_zip_add_deflated_fd(struct xp_zip *z, const char *name, int src_fd,
			   uint32_t crc, uint64_t size, int64_t mtime,
			   char *err, size_t errlen);

/* Adds len bytes at data as the stored entry `name`; as xp_zip_add_fd(). */
int xp_zip_add_mem(struct xp_zip *z, const char *name, const void *data,
		   size_t len, int64_t mtime, char *err, size_t errlen);

/*
 * Writes the central directory and frees z (also after a failure; NULL
 * is accepted). Returns 0 with the archive's size in *size_out (may be
 * NULL), or -1 with a message in err.
 */
int xp_zip_finish(struct xp_zip *z, uint64_t *size_out, char *err,
		  size_t errlen);

#endif
