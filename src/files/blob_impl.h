/* blob_impl.h: what the blob drivers share; not for use outside files/ */
#ifndef FILES_BLOB_IMPL_H
#define FILES_BLOB_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sodium.h>
#include "blob.h"

struct config;

enum blob_kind { BLOB_LOCAL, BLOB_S3 };

#define BLOB_DIR_MAX 640  /* DATA_DIR (512 at most) + "/files" */
#define BLOB_PATH_MAX 768 /* a directory + "/" + a file name */

/* Filled once by blob_store_new(); read-only afterwards. */
struct blob_store {
	enum blob_kind kind;
	char tmp_dir[BLOB_DIR_MAX];   /* DATA_DIR/tmp */
	char files_dir[BLOB_DIR_MAX]; /* DATA_DIR/files (local) */
	char s3_base[512];	      /* URL the key is appended to */
	char s3_host[256];	      /* the Host header, signed */
	char s3_uri_prefix[80];	      /* canonical URI before the key */
	char s3_region[64];
	char s3_access_key[128];
	char s3_secret_key[256];
};

struct blob_writer {
	struct blob_store *s;
	int fd;
	char path[BLOB_PATH_MAX];
	uint64_t size;
	crypto_hash_sha256_state sha;
	bool finalised;
	char hex[BLOB_SHA256_HEX];
	unsigned char *head; /* BLOB_HEAD_MAX bytes */
	size_t head_len;
	bool published; /* stored under a key; the temp name is gone */
};

/*
 * Returns a new read-write file in s->tmp_dir that has no name (so it
 * goes away with its last descriptor), or -1 with err filled.
 */
int blob_tmp_anon(const struct blob_store *s, char *err, size_t errlen);

/* Writes all n bytes, retrying short writes. Returns 0 or -1 (errno). */
int blob_write_all(int fd, const void *p, size_t n);

/* Creates a directory (0700) unless it is there. Returns 0 or -1. */
int blob_mkdir(const char *path, char *err, size_t errlen);

/* The local driver: files in s->files_dir. */
int blob_local_init(struct blob_store *s, const struct config *cfg, char *err,
		    size_t errlen);
/* Moves the synced temp file at path to key. Returns 0 or -1. */
int blob_local_commit(struct blob_store *s, const char *path, const char *key,
		      char *err, size_t errlen);
/* blob_claim_state() of the local driver. */
int blob_local_claimed(struct blob_store *s, const char *key);
int blob_local_open(struct blob_store *s, const char *key, uint64_t *size,
		    char *err, size_t errlen);
int blob_local_delete(struct blob_store *s, const char *key);

/* The s3 driver: objects in a bucket, over libcurl. */
int blob_s3_init(struct blob_store *s, const struct config *cfg, char *err,
		 size_t errlen);
/* PUTs size bytes of fd (read from offset 0) as key. Returns 0 or -1. */
int blob_s3_put(struct blob_store *s, const char *key, int fd, uint64_t size,
		const char *sha256_hex, char *err, size_t errlen);
int blob_s3_open(struct blob_store *s, const char *key, uint64_t *size,
		 char *err, size_t errlen);
int blob_s3_delete(struct blob_store *s, const char *key);

#endif
