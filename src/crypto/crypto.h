/* crypto.h: libsodium behind the few operations the platform needs */
#ifndef CRYPTO_CRYPTO_H
#define CRYPTO_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CR_KEY_BYTES 32
#define CR_HASH_HEX 65	    /* 32-byte keyed hash as hex + NUL */
#define CR_TOKEN_CHARS 44   /* 32 random bytes, base64url, no padding, + NUL */
#define CR_PWHASH_MAX 128   /* crypto_pwhash_STRBYTES */
#define CR_PASSWORD_MAX 128 /* longer passwords are refused before hashing */

/*
 * Loads the process's master key from path, or creates it (32 random
 * bytes, mode 0600) when the file does not exist. Must be called once
 * before the functions below. Returns 0, or -1 with err filled (a key
 * file of the wrong size or readable by others is refused).
 */
int cr_init(const char *path, char *err, size_t errlen);

/*
 * Writes hex(BLAKE2b-256 keyed with a subkey of the master key for
 * `purpose`) of the input into out. Used to store and look up values
 * that must never be kept in plain text (tokens, codes, phone numbers).
 */
void cr_keyed_hash(const char *purpose, const void *in, size_t len,
		   char out[CR_HASH_HEX]);

/* Writes 32 random bytes as base64url (43 characters) into out. */
void cr_random_token(char out[CR_TOKEN_CHARS]);

/* Writes n uniformly random decimal digits and a NUL into out. */
void cr_random_digits(char *out, size_t n);

/* Returns a uniformly random integer in [0, upper). */
uint32_t cr_random_below(uint32_t upper);

/* Compares two NUL-terminated strings in constant time for equal lengths. */
bool cr_equal(const char *a, const char *b);

/*
 * Encrypts len bytes with the master key (XSalsa20-Poly1305, random
 * nonce) and returns a malloc()ed base64 string, or NULL.
 */
char *cr_seal(const void *plain, size_t len);

/*
 * Decrypts what cr_seal() produced. Returns a malloc()ed NUL-terminated
 * buffer (length in *len_out), or NULL when the text was altered.
 */
char *cr_open(const char *sealed, size_t *len_out);

/* Result of the password functions. */
enum cr_pw { CR_PW_OK = 0, CR_PW_MISMATCH, CR_PW_BUSY, CR_PW_ERROR };

/* Sets how many argon2id computations may run at once (default 1). */
void cr_set_hash_concurrency(int n);

/*
 * Hashes a password with argon2id (INTERACTIVE cost) into out. Returns
 * CR_PW_BUSY at once, without queueing, when the concurrency cap is
 * reached, so a login flood cannot starve the server.
 */
enum cr_pw cr_password_hash(const char *pw, size_t len,
			    char out[CR_PWHASH_MAX]);

/*
 * Checks a password against a stored hash. A NULL hash still costs one
 * hash computation, so unknown accounts take as long as known ones.
 * Returns CR_PW_OK, CR_PW_MISMATCH or CR_PW_BUSY.
 */
enum cr_pw cr_password_verify(const char *hash, const char *pw, size_t len);

#endif
