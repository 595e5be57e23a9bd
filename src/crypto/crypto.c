/* crypto.c: one master key; every other secret is derived or random */
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include "crypto.h"
#include "../util/str.h"
#include "../util/banned.h"

static unsigned char master[CR_KEY_BYTES];
static bool ready;
static atomic_int hash_slots = 1;
static atomic_int hash_busy;
static char dummy_hash[crypto_pwhash_STRBYTES];

static int read_key(int fd, char *err, size_t errlen, const char *path)
{
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) < 0 || st.st_size != CR_KEY_BYTES) {
		snprintf(err, errlen,
			 "key file '%s' must hold exactly %d bytes", path,
			 CR_KEY_BYTES);
		return -1;
	}
	if (st.st_mode & 077) {
		snprintf(err, errlen,
			 "key file '%s' is readable by others: chmod 600 it",
			 path);
		return -1;
	}
	n = read(fd, master, CR_KEY_BYTES);
	if (n != CR_KEY_BYTES) {
		snprintf(err, errlen, "cannot read key file '%s'", path);
		return -1;
	}
	return 0;
}

int cr_init(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT) {
		/* O_EXCL: two processes starting at once agree on one key. */
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0) {
			randombytes_buf(master, sizeof(master));
			if (write(fd, master, sizeof(master)) !=
				    (ssize_t)sizeof(master) ||
			    fsync(fd) < 0) {
				snprintf(err, errlen,
					 "cannot write key file '%s': %s", path,
					 strerror(errno));
				close(fd);
				unlink(path);
				return -1;
			}
			close(fd);
			ready = true;
			goto done;
		}
		if (errno == EEXIST)
			fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0) {
		snprintf(err, errlen, "cannot open key file '%s': %s", path,
			 strerror(errno));
		return -1;
	}
	if (read_key(fd, err, errlen, path) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	ready = true;
done:
	if (!dummy_hash[0] &&
	    crypto_pwhash_str(dummy_hash, "saiwu timing equaliser", 22,
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		snprintf(err, errlen, "not enough memory for argon2id");
		return -1;
	}
	return 0;
}

void cr_keyed_hash(const char *purpose, const void *in, size_t len,
		   char out[CR_HASH_HEX])
{
	unsigned char sub[crypto_generichash_KEYBYTES];
	unsigned char h[32];
	crypto_generichash_state st;

	/* A subkey per purpose: a code hash never equals a token hash. */
	crypto_generichash(sub, sizeof(sub), (const unsigned char *)purpose,
			   strlen(purpose), master, sizeof(master));
	crypto_generichash_init(&st, sub, sizeof(sub), sizeof(h));
	crypto_generichash_update(&st, in, len);
	crypto_generichash_final(&st, h, sizeof(h));
	hex_encode(h, sizeof(h), out);
	sodium_memzero(sub, sizeof(sub));
}

void cr_random_token(char out[CR_TOKEN_CHARS])
{
	unsigned char b[32];
	randombytes_buf(b, sizeof(b));
	sodium_bin2base64(out, CR_TOKEN_CHARS, b, sizeof(b),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void cr_random_digits(char *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (char)('0' + randombytes_uniform(10));
	out[n] = '\0';
}

uint32_t cr_random_below(uint32_t upper)
{
	return randombytes_uniform(upper);
}

bool cr_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}

char *cr_seal(const void *plain, size_t len)
{
	size_t clen =
		crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
	unsigned char *c = malloc(clen);
	size_t b64len =
		sodium_base64_ENCODED_LEN(clen, sodium_base64_VARIANT_ORIGINAL);
	char *out = malloc(b64len);

	if (!c || !out || !ready) {
		free(c);
		free(out);
		return NULL;
	}
	randombytes_buf(c, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(c + crypto_secretbox_NONCEBYTES, plain, len, c,
			      master);
	sodium_bin2base64(out, b64len, c, clen, sodium_base64_VARIANT_ORIGINAL);
	free(c);
	return out;
}

char *cr_open(const char *sealed, size_t *len_out)
{
	size_t slen = strlen(sealed), clen = 0;
	unsigned char *c = malloc(slen + 1);
	char *plain = NULL;

	if (!c || !ready)
		goto out;
	if (sodium_base642bin(c, slen + 1, sealed, slen, NULL, &clen, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    clen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		goto out;
	plain = malloc(clen - crypto_secretbox_NONCEBYTES -
		       crypto_secretbox_MACBYTES + 1);
	if (!plain)
		goto out;
	if (crypto_secretbox_open_easy(
		    (unsigned char *)plain, c + crypto_secretbox_NONCEBYTES,
		    clen - crypto_secretbox_NONCEBYTES, c, master) != 0) {
		free(plain);
		plain = NULL;
		goto out;
	}
	*len_out =
		clen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	plain[*len_out] = '\0';
out:
	free(c);
	return plain;
}

void cr_set_hash_concurrency(int n)
{
	atomic_store(&hash_slots, n > 0 ? n : 1);
}

/* Takes a hashing slot without waiting; false when all are busy. */
static bool take_slot(void)
{
	int busy = atomic_load(&hash_busy);
	while (busy < atomic_load(&hash_slots)) {
		if (atomic_compare_exchange_weak(&hash_busy, &busy, busy + 1))
			return true;
	}
	return false;
}

static void give_slot(void)
{
	atomic_fetch_sub(&hash_busy, 1);
}

enum cr_pw cr_password_hash(const char *pw, size_t len, char out[CR_PWHASH_MAX])
{
	int rc;

	if (len > CR_PASSWORD_MAX)
		return CR_PW_ERROR;
	if (!take_slot())
		return CR_PW_BUSY;
	rc = crypto_pwhash_str(out, pw, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			       crypto_pwhash_MEMLIMIT_INTERACTIVE);
	give_slot();
	return rc == 0 ? CR_PW_OK : CR_PW_ERROR;
}

enum cr_pw cr_password_verify(const char *hash, const char *pw, size_t len)
{
	int rc;

	if (len > CR_PASSWORD_MAX)
		return CR_PW_MISMATCH;
	if (!take_slot())
		return CR_PW_BUSY;
	rc = crypto_pwhash_str_verify(hash ? hash : dummy_hash, pw, len);
	give_slot();
	if (!hash)
		return CR_PW_MISMATCH;
	return rc == 0 ? CR_PW_OK : CR_PW_MISMATCH;
}
