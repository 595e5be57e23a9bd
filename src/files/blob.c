/* blob.c: the blob store's writer, temp files and driver dispatch */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include "blob_impl.h"
#include "../config.h"
#include "../crypto/crypto.h"
#include "../util/log.h"
#include "../util/banned.h"

#define TMP_PREFIX "blob-"
#define TMP_SUFFIX ".tmp"

bool blob_key_valid(const char *key)
{
	size_t n;

	/* Exactly what blob_new_key() makes: nothing can climb out. */
	if (!key)
		return false;
	n = strlen(key);
	if (n != CR_TOKEN_CHARS || key[2] != '/')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = key[i];
		if (i == 2)
			continue;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

void blob_new_key(char key_out[BLOB_KEY_MAX])
{
	char tok[CR_TOKEN_CHARS];

	cr_random_token(tok);
	snprintf(key_out, BLOB_KEY_MAX, "%.2s/%s", tok, tok + 2);
}

int blob_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t k = write(fd, c, n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

int blob_mkdir(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (mkdir(path, 0700) == 0)
		return 0;
	if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	snprintf(err, errlen, "cannot create directory '%s': %s", path,
		 errno == EEXIST ? "not a directory" : strerror(errno));
	return -1;
}

int blob_tmp_anon(const struct blob_store *s, char *err, size_t errlen)
{
	char path[BLOB_PATH_MAX], tok[CR_TOKEN_CHARS];
	int fd;

	fd = open(s->tmp_dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	/*
	 * Some file systems have no O_TMPFILE: a named file unlinked at once
	 * is the same, but for a crash in between, which the sweep covers.
	 */
	cr_random_token(tok);
	snprintf(path, sizeof(path), "%s/" TMP_PREFIX "%s" TMP_SUFFIX,
		 s->tmp_dir, tok);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a file in '%s': %s",
			 s->tmp_dir, strerror(errno));
		return -1;
	}
	unlink(path);
	return fd;
}

static int join(char *out, size_t n, const char *dir, const char *name,
		char *err, size_t errlen)
{
	if (snprintf(out, n, "%s/%s", dir, name) < (int)n)
		return 0;
	snprintf(err, errlen, "data_dir '%s' is too long", dir);
	return -1;
}

struct blob_store *blob_store_new(const struct config *cfg, char *err,
				  size_t errlen)
{
	struct blob_store *s;

	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium failed to initialise");
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!cfg->storage[0] || !strcmp(cfg->storage, "local")) {
		s->kind = BLOB_LOCAL;
	} else if (!strcmp(cfg->storage, "s3")) {
		s->kind = BLOB_S3;
	} else {
		snprintf(err, errlen,
			 "bad value '%s' for 'storage': expected local or s3",
			 cfg->storage);
		goto fail;
	}
	if (!cfg->data_dir[0]) {
		snprintf(err, errlen, "the setting 'data_dir' is empty");
		goto fail;
	}
	if (join(s->tmp_dir, sizeof(s->tmp_dir), cfg->data_dir, "tmp", err,
		 errlen) < 0 ||
	    join(s->files_dir, sizeof(s->files_dir), cfg->data_dir, "files",
		 err, errlen) < 0)
		goto fail;
	if (blob_mkdir(cfg->data_dir, err, errlen) < 0 ||
	    blob_mkdir(s->tmp_dir, err, errlen) < 0)
		goto fail;
	if (s->kind == BLOB_LOCAL) {
		if (blob_local_init(s, cfg, err, errlen) < 0)
			goto fail;
	} else if (blob_s3_init(s, cfg, err, errlen) < 0) {
		goto fail;
	}
	return s;
fail:
	blob_store_free(s);
	return NULL;
}

void blob_store_free(struct blob_store *s)
{
	if (!s)
		return;
	sodium_memzero(s, sizeof(*s));
	free(s);
}

const char *blob_store_driver(const struct blob_store *s)
{
	return s->kind == BLOB_S3 ? "s3" : "local";
}

static void writer_free(struct blob_writer *w)
{
	if (w->fd >= 0)
		close(w->fd);
	free(w->head);
	free(w);
}

/*
 * A writer holds an exclusive flock() on its temp file for as long as the
 * file is open, and the kernel drops the lock when the process dies, so a
 * sweep can tell a live upload (of this process or of another one sharing
 * DATA_DIR) from one whose process was killed, whatever their ages. A
 * sweep may take the lock in the instant between open() and flock() and
 * remove the new file: the writer then finds it has no name any more
 * (ENOENT here) and starts again.
 */
static int claim_tmp(int fd)
{
	struct stat st;

	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return -1;
	if (fstat(fd, &st) < 0)
		return -1;
	if (st.st_nlink == 0) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

struct blob_writer *blob_write_begin(struct blob_store *s, char *err,
				     size_t errlen)
{
	struct blob_writer *w;
	char tok[CR_TOKEN_CHARS];
	int e = 0;

	w = calloc(1, sizeof(*w));
	if (!w || !(w->head = malloc(BLOB_HEAD_MAX))) {
		free(w);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->s = s;
	w->fd = -1;
	/* 256 random bits never collide; O_EXCL makes sure of it anyway. */
	for (int tries = 0; tries < 3 && w->fd < 0; tries++) {
		cr_random_token(tok);
		snprintf(w->path, sizeof(w->path),
			 "%s/" TMP_PREFIX "%s" TMP_SUFFIX, s->tmp_dir, tok);
		w->fd = open(w->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
			     0600);
		if (w->fd < 0) {
			e = errno;
			if (e != EEXIST)
				break;
			continue;
		}
		if (claim_tmp(w->fd) < 0) {
			e = errno;
			close(w->fd);
			w->fd = -1;
			if (e != ENOENT)
				break;
		}
	}
	if (w->fd < 0) {
		snprintf(err, errlen, "cannot create temp file '%s': %s",
			 w->path, strerror(e));
		writer_free(w);
		return NULL;
	}
	crypto_hash_sha256_init(&w->sha);
	return w;
}

int blob_write(struct blob_writer *w, const void *p, size_t n)
{
	if (w->finalised) {
		errno = EINVAL;
		return -1;
	}
	if (!n)
		return 0;
	if (blob_write_all(w->fd, p, n) < 0)
		return -1;
	crypto_hash_sha256_update(&w->sha, p, n);
	if (w->head_len < BLOB_HEAD_MAX) {
		size_t k = BLOB_HEAD_MAX - w->head_len;
		if (k > n)
			k = n;
		memcpy(w->head + w->head_len, p, k);
		w->head_len += k;
	}
	w->size += n;
	return 0;
}

const unsigned char *blob_writer_head(const struct blob_writer *w, size_t *len)
{
	*len = w->head_len;
	return w->head;
}

const char *blob_writer_path(const struct blob_writer *w)
{
	return w->path;
}

uint64_t blob_writer_size(const struct blob_writer *w)
{
	return w->size;
}

void blob_writer_sha256(struct blob_writer *w, char hex[BLOB_SHA256_HEX])
{
	if (!w->finalised) {
		unsigned char h[crypto_hash_sha256_BYTES];

		crypto_hash_sha256_final(&w->sha, h);
		sodium_bin2hex(w->hex, sizeof(w->hex), h, sizeof(h));
		w->finalised = true;
	}
	memcpy(hex, w->hex, BLOB_SHA256_HEX);
}

int blob_write_publish(struct blob_writer *w, const char *key, char *err,
		       size_t errlen)
{
	char hex[BLOB_SHA256_HEX];
	int rc;

	if (w->published || !blob_key_valid(key)) {
		snprintf(err, errlen,
			 "'%s' cannot be published again or is "
			 "not a storage key",
			 key);
		return -1;
	}
	blob_writer_sha256(w, hex);
	if (w->s->kind == BLOB_LOCAL) {
		/*
		 * The file must be on disk before the name that makes it
		 * part of the store, or a crash could leave a key whose
		 * file is empty.
		 */
		if (fsync(w->fd) < 0) {
			snprintf(err, errlen, "cannot sync '%s': %s", w->path,
				 strerror(errno));
			rc = -1;
		} else {
			rc = blob_local_commit(w->s, w->path, key, err, errlen);
		}
	} else {
		/*
		 * No fsync: the temp file only feeds the PUT and goes right
		 * after it; durability is the object store's part.
		 */
		rc = blob_s3_put(w->s, key, w->fd, w->size, hex, err, errlen);
	}
	/* After a local commit the temp name is gone already. */
	if (rc < 0 || w->s->kind == BLOB_S3)
		unlink(w->path);
	if (rc < 0)
		return -1;
	w->published = true;
	return 0;
}

int blob_write_commit(struct blob_writer *w, char key_out[BLOB_KEY_MAX],
		      char *err, size_t errlen)
{
	int rc;

	blob_new_key(key_out);
	rc = blob_write_publish(w, key_out, err, errlen);
	if (rc < 0)
		key_out[0] = '\0';
	writer_free(w);
	return rc;
}

void blob_write_abort(struct blob_writer *w)
{
	if (!w)
		return;
	/* A published blob keeps its file: its caller deletes it by key. */
	if (!w->published)
		unlink(w->path);
	writer_free(w);
}

int blob_claim_state(struct blob_store *s, const char *key)
{
	if (!blob_key_valid(key))
		return -1;
	if (s->kind == BLOB_S3)
		return BLOB_UNKNOWN;
	return blob_local_claimed(s, key);
}

int blob_open(struct blob_store *s, const char *key, uint64_t *size, char *err,
	      size_t errlen)
{
	*size = 0;
	if (!blob_key_valid(key)) {
		snprintf(err, errlen, "'%s' is not a storage key",
			 key ? key : "");
		errno = ENOENT;
		return -1;
	}
	if (s->kind == BLOB_S3)
		return blob_s3_open(s, key, size, err, errlen);
	return blob_local_open(s, key, size, err, errlen);
}

int blob_delete(struct blob_store *s, const char *key)
{
	if (!blob_key_valid(key)) {
		log_warn("cannot remove blob '%s': not a storage key",
			 key ? key : "");
		return -1;
	}
	if (s->kind == BLOB_S3)
		return blob_s3_delete(s, key);
	return blob_local_delete(s, key);
}

static bool is_tmp_name(const char *name)
{
	size_t n = strlen(name), p = strlen(TMP_PREFIX), x = strlen(TMP_SUFFIX);

	return n > p + x && !strncmp(name, TMP_PREFIX, p) &&
	       !strcmp(name + n - x, TMP_SUFFIX);
}

/*
 * Removes dir/name when no writer holds its lock: the file then belongs to
 * no live writer. Returns 1 when removed, 0 when kept or already gone.
 */
static int sweep_one(DIR *d, const char *dir, const char *name)
{
	struct stat st, now;
	int fd, rc = 0;

	/* Read-write: flock() over NFS is a write lock, which needs it. */
	fd = openat(dirfd(d), name,
		    O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    flock(fd, LOCK_EX | LOCK_NB) < 0)
		goto out;
	/* Only the file whose lock is held: the name must still be it. */
	if (fstatat(dirfd(d), name, &now, AT_SYMLINK_NOFOLLOW) < 0 ||
	    now.st_ino != st.st_ino || now.st_dev != st.st_dev)
		goto out;
	if (unlinkat(dirfd(d), name, 0) == 0)
		rc = 1;
	else if (errno != ENOENT)
		log_warn("cannot remove '%s/%s': %s", dir, name,
			 strerror(errno));
out:
	close(fd);
	return rc;
}

int blob_sweep_tmp(struct blob_store *s)
{
	DIR *d = opendir(s->tmp_dir);
	struct dirent *e;
	int removed = 0;

	if (!d) {
		log_warn("cannot read directory '%s': %s", s->tmp_dir,
			 strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		/* Only our own names: other code may share the directory. */
		if (is_tmp_name(e->d_name))
			removed += sweep_one(d, s->tmp_dir, e->d_name);
	}
	closedir(d);
	if (removed)
		log_info("removed %d upload temp file%s left by a stopped "
			 "process from '%s'",
			 removed, removed == 1 ? "" : "s", s->tmp_dir);
	return removed;
}
