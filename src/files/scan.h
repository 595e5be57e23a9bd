/* scan.h: optional virus scanning of uploads with clamd or libclamav */
#ifndef FILES_SCAN_H
#define FILES_SCAN_H

#include <stddef.h>

struct config;
struct scanner;

/* What to tell the user when scanner_check() returns -1. */
#define SCAN_USER_UNAVAILABLE "病毒扫描服务暂不可用，文件未能上传，请稍后再试"

/*
 * Makes the scanner the `scan` setting asks for:
 *   - "off": every file passes;
 *   - "clamd": each file is streamed to clamd over its unix socket
 *     (`clamd_socket`); nothing is checked until the first scan, so clamd
 *     may start after us, but a scan while it is down fails;
 *   - "libclamav": the signatures in `clamav_db_dir` (or libclamav's
 *     default directory) are loaded and compiled here, once, into one
 *     engine that every thread then shares read-only. Loading the full
 *     ClamAV database takes seconds and about 1 GiB of memory.
 *
 * Returns a scanner to free with scanner_free(), or NULL with an
 * operator-facing message in err: an unknown `scan` value, a database that
 * cannot be loaded or holds no signatures, or out of memory.
 */
struct scanner *scanner_new(const struct config *cfg, char *err, size_t n);

/* Frees the scanner and its engine; accepts NULL. No scan may be running. */
void scanner_free(struct scanner *s);

/* Returns "off", "clamd" or "libclamav". */
const char *scanner_mode(const struct scanner *s);

/*
 * Scans the file at path. Thread-safe.
 *
 * Returns 0 when it is clean (virus_out is ""), 1 when it is infected
 * (virus_out holds the signature's name, e.g. "Win.Test.EICAR_HDB-1"), or
 * -1 when it could not be scanned (virus_out holds an operator-facing
 * reason for the log: clamd unreachable or refusing the stream, a file
 * above the scanner's size limit, a read error). Failure is never a pass:
 * on -1 the upload must be refused, with SCAN_USER_UNAVAILABLE for the
 * user.
 */
int scanner_check(struct scanner *s, const char *path, char *virus_out,
		  size_t n);

#endif
