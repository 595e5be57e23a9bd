/* blob_local.c: blobs as files under DATA_DIR/files/ab/cdef… */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "blob_impl.h"
#include "../util/log.h"
#include "../util/banned.h"

int blob_local_init(struct blob_store *s, const struct config *cfg, char *err,
		    size_t errlen)
{
	return blob_mkdir(s->files_dir, err, errlen);
}

/* Makes a directory's new entries survive a crash. */
static int sync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* Renames without replacing: a key names one upload for ever. */
static int move_new(const char *from, const char *to)
{
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* File systems without RENAME_NOREPLACE still refuse a link. */
	if (link(from, to) < 0)
		return -1;
	unlink(from);
	return 0;
}

int blob_local_commit(struct blob_store *s, const char *path, const char *key,
		      char *err, size_t errlen)
{
	char dir[BLOB_PATH_MAX], dst[BLOB_PATH_MAX];

	snprintf(dir, sizeof(dir), "%s/%.2s", s->files_dir, key);
	snprintf(dst, sizeof(dst), "%s/%s", s->files_dir, key);
	if (mkdir(dir, 0700) == 0) {
		if (sync_dir(s->files_dir) < 0) {
			snprintf(err, errlen, "cannot sync '%s': %s",
				 s->files_dir, strerror(errno));
			return -1;
		}
	} else if (errno != EEXIST) {
		snprintf(err, errlen, "cannot create directory '%s': %s", dir,
			 strerror(errno));
		return -1;
	}
	/* 256 random bits never collide; NOREPLACE makes sure of it. */
	if (move_new(path, dst) < 0) {
		snprintf(err, errlen, "cannot move '%s' to '%s': %s", path, dst,
			 strerror(errno));
		return -1;
	}
	if (sync_dir(dir) < 0) {
		/* Not known to be durable, so not reported as stored. */
		snprintf(err, errlen, "cannot sync '%s': %s", dir,
			 strerror(errno));
		unlink(dst);
		return -1;
	}
	return 0;
}

int blob_local_claimed(struct blob_store *s, const char *key)
{
	char path[BLOB_PATH_MAX];
	int fd, rc;

	snprintf(path, sizeof(path), "%s/%s", s->files_dir, key);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? BLOB_MISSING : -1;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		rc = BLOB_UNCLAIMED;
	else
		rc = errno == EWOULDBLOCK ? BLOB_CLAIMED : -1;
	close(fd); /* drops the lock taken just now, if any */
	return rc;
}

int blob_local_open(struct blob_store *s, const char *key, uint64_t *size,
		    char *err, size_t errlen)
{
	char path[BLOB_PATH_MAX];
	struct stat st;
	int fd, e;

	snprintf(path, sizeof(path), "%s/%s", s->files_dir, key);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		e = errno;
		if (e == ENOENT)
			snprintf(err, errlen, "no blob '%s' in '%s'", key,
				 s->files_dir);
		else
			snprintf(err, errlen, "cannot open '%s': %s", path,
				 strerror(e));
		errno = e;
		return -1;
	}
	e = fstat(fd, &st) < 0 ? errno : !S_ISREG(st.st_mode) ? EINVAL : 0;
	if (e) {
		snprintf(err, errlen, "cannot read '%s': %s", path,
			 strerror(e));
		close(fd);
		errno = e;
		return -1;
	}
	*size = (uint64_t)st.st_size;
	return fd;
}

int blob_local_delete(struct blob_store *s, const char *key)
{
	char path[BLOB_PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", s->files_dir, key);
	if (unlink(path) == 0 || errno == ENOENT)
		return 0;
	log_warn("cannot remove blob '%s': %s", path, strerror(errno));
	return -1;
}
