/*
 * fuzz_upload: the streaming upload pipeline without its database half,
 * in the server's order (src/api/attachments.c): the file name checked and
 * matched to a slot's types before any body byte; the body streamed in
 * chunks of fuzzed sizes into a real local blob writer (temporary file,
 * head kept for sniffing, running SHA-256) under a size cap; then the type
 * sniffed by content (libmagic), the name checked against it, zip
 * containers checked for bombs, and the file committed or aborted.
 * Afterwards no temporary file is left and a committed blob reads back
 * with its size.
 *
 * Input: a control byte (bits 0-1 the slot's types, bit 2 commit, bits 3
 * to 6 all set: sniff), a chunk-size byte, the file name up to a NUL, then
 * the file's bytes. libmagic (under ASan) takes tens of milliseconds a
 * call, so only one input in sixteen is sniffed and the rest run the
 * name, streaming and zip checks at speed.
 */
#include <dirent.h>
#include <ftw.h>
#include <stdbool.h>
#include <unistd.h>
#include <sodium.h>
#include "fuzz.h"
#include "config.h"
#include "files/blob.h"
#include "files/filetype.h"
#include "files/zipcheck.h"

#define CAP 65536 /* this harness's slot cap, in bytes */

static struct blob_store *store;
static char tmp_dir[600];
static char data_dir[600];

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(path);
}

static void cleanup(void)
{
	blob_store_free(store);
	nftw(data_dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

static const char *const types[4][5] = {
	{ "pdf", NULL },
	{ "pdf", "docx", "jpg", "png", NULL },
	{ "pptx", "ppt", "pdf", NULL },
	{ "mp4", "doc", "jpg", NULL },
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static struct config cfg;
	char dir[] = "/dev/shm/saiwu-fuzz-upload.XXXXXX";
	char *d = mkdtemp(dir);
	char err[256];

	(void)argc, (void)argv;
	if (!d) {
		char alt[] = "/tmp/saiwu-fuzz-upload.XXXXXX";
		d = mkdtemp(alt);
		if (!d)
			abort();
		snprintf(cfg.data_dir, sizeof(cfg.data_dir), "%s", alt);
	} else {
		snprintf(cfg.data_dir, sizeof(cfg.data_dir), "%s", dir);
	}
	snprintf(cfg.storage, sizeof(cfg.storage), "local");
	snprintf(tmp_dir, sizeof(tmp_dir), "%s/tmp", cfg.data_dir);
	snprintf(data_dir, sizeof(data_dir), "%s", cfg.data_dir);
	store = blob_store_new(&cfg, err, sizeof(err));
	if (!store) {
		fprintf(stderr, "fuzz_upload: %s\n", err);
		exit(1);
	}
	atexit(cleanup);
	return 0;
}

static int tmp_files(void)
{
	DIR *d = opendir(tmp_dir);
	struct dirent *e;
	int n = 0;

	FUZZ_CHECK(d != NULL);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *const *allowed;
	const uint8_t *body;
	size_t body_len, chunk, headlen, sent = 0;
	char *name, msg[300], err[256], kind[FILETYPE_KIND_MAX],
		mime[FILETYPE_MIME_MAX], key[BLOB_KEY_MAX],
		sha[BLOB_SHA256_HEX];
	const unsigned char *head;
	struct blob_writer *w;
	bool commit, sniff, refused = false;

	if (size < 2)
		return 0;
	allowed = types[data[0] & 3];
	commit = data[0] & 4;
	sniff = (data[0] & 0x78) == 0x78;
	chunk = (size_t)data[1] * 97 + 1;
	name = fuzz_strndup(data + 2, size - 2);
	body = data + 2 + strlen(name);
	body_len = size - 2 - strlen(name);
	if (body_len) /* the NUL after the name */
		body++, body_len--;

	/* Refused on its name before a body byte is read. */
	if (filetype_name_ok(name, msg, sizeof(msg)) < 0 ||
	    filetype_accept(name, allowed, NULL, msg, sizeof(msg)) < 0) {
		FUZZ_CHECK(*msg);
		goto out;
	}
	FUZZ_CHECK(!strchr(name, '/') && strcmp(name, "..") &&
		   strcmp(name, "."));
	if (body_len == 0)
		goto out;

	w = blob_write_begin(store, err, sizeof(err));
	FUZZ_CHECK(w != NULL);
	while (sent < body_len) {
		size_t n = body_len - sent < chunk ? body_len - sent : chunk;
		/* The cap holds while streaming, not only at the end. */
		if (sent + n > CAP) {
			refused = true;
			break;
		}
		FUZZ_CHECK(blob_write(w, body + sent, n) == 0);
		sent += n;
	}
	if (refused) {
		blob_write_abort(w);
		goto check;
	}
	FUZZ_CHECK(blob_writer_size(w) == body_len);
	head = blob_writer_head(w, &headlen);
	FUZZ_CHECK(headlen ==
		   (body_len < BLOB_HEAD_MAX ? body_len : BLOB_HEAD_MAX));
	FUZZ_CHECK(!memcmp(head, body, headlen));
	{
		unsigned char want[crypto_hash_sha256_BYTES];
		char hex[BLOB_SHA256_HEX];
		crypto_hash_sha256(want, body, body_len);
		sodium_bin2hex(hex, sizeof(hex), want, sizeof(want));
		blob_writer_sha256(w, sha);
		FUZZ_CHECK(!strcmp(sha, hex));
	}
	if (sniff) {
		if (filetype_sniff(head, headlen, blob_writer_path(w), kind,
				   mime, msg, sizeof(msg)) < 0) {
			blob_write_abort(w);
			goto check;
		}
		FUZZ_CHECK(*kind && *mime);
		if (filetype_accept(name, allowed, kind, msg, sizeof(msg)) <
		    0) {
			FUZZ_CHECK(*msg);
			refused = true;
		}
	}
	/* Every zip container's directory is read, not only Office ones. */
	if (body_len >= 2 && body[0] == 'P' && body[1] == 'K') {
		char ooxml[16];
		(void)zipcheck_file(blob_writer_path(w), 1000, 1u << 24, msg,
				    sizeof(msg));
		(void)zipcheck_ooxml_kind(blob_writer_path(w), ooxml);
	}
	if (refused || !commit) {
		blob_write_abort(w);
		goto check;
	}
	FUZZ_CHECK(blob_write_commit(w, key, err, sizeof(err)) == 0);
	FUZZ_CHECK(blob_key_valid(key));
	{
		uint64_t got = 0;
		int fd = blob_open(store, key, &got, err, sizeof(err));
		FUZZ_CHECK(fd >= 0 && got == body_len);
		close(fd);
		FUZZ_CHECK(blob_delete(store, key) == 0);
	}
check:
	/* Aborted or committed, nothing is left behind in tmp/. */
	FUZZ_CHECK(tmp_files() == 0);
out:
	free(name);
	return 0;
}
