/* account.h: the rules for account names, phone numbers and passwords */
#ifndef DOMAIN_ACCOUNT_H
#define DOMAIN_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>

#define PHONE_LEN 11

/*
 * Each check returns NULL when the value is acceptable, or a Chinese
 * message for the user that names the field.
 */

/* 4 to 20 letters, digits or underscores. */
const char *dom_account_check(const char *account);

/*
 * Normalises a mainland mobile number: spaces and hyphens removed, a
 * leading +86, 0086 or 86 (before 11 digits) stripped; the result must be
 * 1[3-9] followed by 9 digits. Writes it to out (12 bytes).
 */
const char *dom_phone_normalize(const char *in, char out[PHONE_LEN + 1]);

/* Writes the masked form 138****8000 of a normalised number. */
void dom_phone_mask(const char *phone, char out[PHONE_LEN + 1]);

/*
 * 8 to 64 characters, at least two of letters, digits and symbols, not
 * the account name (compared without case). account may be NULL.
 */
const char *dom_password_check(const char *password, const char *account);

/* Lower-cases an ASCII account name into out (21 bytes). */
void dom_account_lower(const char *account, char out[21]);

/* Returns true when s looks like a phone number rather than an account. */
bool dom_looks_like_phone(const char *s);

#endif
