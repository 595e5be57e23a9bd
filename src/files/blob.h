/* blob.h: where uploaded files are kept: a local directory or S3 */
#ifndef FILES_BLOB_H
#define FILES_BLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config;
struct blob_store;
struct blob_writer;

#define BLOB_KEY_MAX 96	    /* a storage key + NUL */
#define BLOB_HEAD_MAX 65536 /* bytes kept in memory for type sniffing */
#define BLOB_SHA256_HEX 65  /* lowercase hex + NUL */

/*
 * A storage key is "ab/cdef…": the 43 characters of a cr_random_token()
 * split after the second, never derived from the user's file name. The
 * local driver keeps it at DATA_DIR/files/ab/cdef…, the s3 driver as the
 * object of that name in the bucket. Both drivers write temporary files
 * in DATA_DIR/tmp/.
 */

/*
 * Makes the store chosen by cfg->storage ("local" or "s3"). Creates
 * DATA_DIR, DATA_DIR/tmp and, for local, DATA_DIR/files (mode 0700) when
 * missing. For s3, checks that s3_bucket, s3_access_key and
 * s3_secret_key are set and well formed. An empty s3_endpoint means
 * https://s3.REGION.amazonaws.com. No request is made. Returns the store,
 * or NULL with a message naming the setting in err. The store is
 * read-only once made, so any number of threads may use it at once.
 */
struct blob_store *blob_store_new(const struct config *cfg, char *err,
				  size_t errlen);

/* Frees the store (NULL is fine); open writers must be finished first. */
void blob_store_free(struct blob_store *s);

/* Returns "local" or "s3". */
const char *blob_store_driver(const struct blob_store *s);

/*
 * Starts a new blob: creates DATA_DIR/tmp/blob-RANDOM.tmp (O_EXCL, mode
 * 0600) and holds an exclusive flock() on it until commit or abort, which
 * tells blob_sweep_tmp() that the file is in use. Returns the writer,
 * owned by the caller until blob_write_commit() or blob_write_abort(), or
 * NULL with err filled. A writer belongs to one thread at a time.
 */
struct blob_writer *blob_write_begin(struct blob_store *s, char *err,
				     size_t errlen);

/*
 * Appends n bytes to the temp file, adds them to the SHA-256 and keeps
 * them in memory while the first BLOB_HEAD_MAX bytes are not full.
 * Memory use does not grow with the size. Returns 0, or -1 with errno
 * set (write errors, or EINVAL after blob_writer_sha256()); the caller
 * then aborts the writer.
 */
int blob_write(struct blob_writer *w, const void *p, size_t n);

/*
 * Returns the first min(size, BLOB_HEAD_MAX) bytes written, with their
 * number in *len. The memory belongs to the writer.
 */
const unsigned char *blob_writer_head(const struct blob_writer *w, size_t *len);

/*
 * Returns the path of the temp file, for checks that read the whole file
 * (zip structure, virus scan). It must not be renamed or removed.
 */
const char *blob_writer_path(const struct blob_writer *w);

/* Returns the number of bytes written so far. */
uint64_t blob_writer_size(const struct blob_writer *w);

/*
 * Writes the lowercase hex SHA-256 of everything written into hex. The
 * first call finalises the hash: later blob_write() calls fail, and later
 * calls of this function give the same value.
 */
void blob_writer_sha256(struct blob_writer *w, char hex[BLOB_SHA256_HEX]);

/*
 * Makes the blob permanent under a new random key, written to key_out.
 * The temp file is fsync()ed first. local: it is renamed into
 * DATA_DIR/files/ab/ and the directory fsync()ed. s3: it is PUT from disk
 * (Content-Length and x-amz-content-sha256 set, SigV4-signed), then
 * unlinked. Always frees w. On failure the temp file is removed too, and
 * -1 is returned with err filled.
 */
int blob_write_commit(struct blob_writer *w, char key_out[BLOB_KEY_MAX],
		      char *err, size_t errlen);

/*
 * Like blob_write_commit(), but under a key the caller chose with
 * blob_new_key() (and could record before), and without freeing w: its
 * descriptor, and on the local driver its flock(), stay with the stored
 * file until blob_write_abort(), so that blob_claim_state() can tell a
 * blob whose upload is still finishing from one whose process died. On
 * failure nothing is stored and -1 is returned with err filled; w is
 * still to be freed with blob_write_abort().
 */
int blob_write_publish(struct blob_writer *w, const char *key, char *err,
		       size_t errlen);

/*
 * Frees w. Its temp file is removed unless w was published (a published
 * blob stays until blob_delete()). NULL is fine.
 */
void blob_write_abort(struct blob_writer *w);

/* Writes a new random storage key ("ab/cdef…") into key_out. */
void blob_new_key(char key_out[BLOB_KEY_MAX]);

enum blob_claim {
	BLOB_UNCLAIMED = 0, /* stored, and no live writer holds it */
	BLOB_CLAIMED = 1,   /* a published writer (of any process) holds it */
	BLOB_MISSING = 2,   /* not stored under that key */
	BLOB_UNKNOWN = 3,   /* the driver cannot tell (s3) */
};

/* What blob_write_publish()'s claim on key is now: enum blob_claim, or -1. */
int blob_claim_state(struct blob_store *s, const char *key);

/*
 * Opens the blob stored under key for reading. Returns a file descriptor
 * positioned at 0, which the caller closes, with the blob's size in
 * *size. The s3 driver first GETs the object into an unlinked temp file
 * in DATA_DIR/tmp (streamed to disk, not memory). Returns -1 with err
 * filled, and errno ENOENT when there is no such blob (or the key is not
 * a storage key).
 */
int blob_open(struct blob_store *s, const char *key, uint64_t *size, char *err,
	      size_t errlen);

/*
 * Removes the blob stored under key. A blob that is not there counts as
 * removed. Returns 0, or -1 (the reason is logged) when it may remain.
 */
int blob_delete(struct blob_store *s, const char *key);

/*
 * Removes the writers' temp files in DATA_DIR/tmp that no live writer
 * holds: those left by a process that was killed or crashed, however
 * recent. A writer holds an exclusive flock() on its file from
 * blob_write_begin() until commit or abort, so the files of live uploads,
 * in this process or in another one sharing DATA_DIR, stay. Returns how
 * many were removed, or -1 when the directory cannot be read.
 */
int blob_sweep_tmp(struct blob_store *s);

/* Returns true when key has the form of a storage key ("ab/cdef…"). */
bool blob_key_valid(const char *key);

#endif
