/* ident.h: credit codes, ID documents, mobile numbers and e-mail addresses */
#ifndef DOMAIN_IDENT_H
#define DOMAIN_IDENT_H

#include <stdbool.h>

#define USCC_LEN 18
#define ID_NUMBER_MAX 32

/*
 * Each check returns NULL when the value is acceptable, or a short Chinese
 * reason for the user that names what was checked. None of them allocate.
 */

/*
 * Writes the 统一社会信用代码 in to out, upper-cased and without spaces or
 * hyphens. An input that leaves more than 18 characters gives "".
 */
void ident_uscc_normalize(const char *in, char out[USCC_LEN + 1]);

/*
 * Checks a 统一社会信用代码 after ident_uscc_normalize() (so "9135 0100-m…"
 * passes if its normalised form does) against GB 32100-2015: 17 characters
 * of the 31-character set (no I, O, S, V or Z), positions 3 to 8 digits,
 * and a check character that matches. *checksum_out (may be NULL) is set
 * to true when the only problem is the check character, so the caller
 * can report "checksum" rather than "format" (an admin may accept such a
 * code by hand).
 */
const char *ident_uscc_check(const char *s, bool *checksum_out);

/* Returns true when y-m-d is a date of the Gregorian calendar. */
bool ident_date_valid(int y, int m, int d);

/* The document types ident_id_check() knows, in the form's order. */
extern const char *const ident_id_types[];
#define IDENT_ID_TYPES 5

/* Returns true when type is one of ident_id_types. */
bool ident_id_type_ok(const char *type);

/*
 * Writes the ID number in to out, with spaces and hyphens removed and
 * ASCII letters upper-cased (a trailing x becomes X). Longer than
 * ID_NUMBER_MAX gives "". Compare numbers in this form.
 */
void ident_id_normalize(const char *in, char out[ID_NUMBER_MAX + 1]);

/*
 * Checks an ID number, after ident_id_normalize(), for its document type:
 *   居民身份证: GB 11643-1999, 18 characters, first digit 1-8, a real birth
 *     date from 1800 to today (YYYYMMDD), MOD 11-2 check; the retired
 *     15-digit numbers are refused;
 *   护照: 5 to 17 letters and digits with at least one digit;
 *   港澳居民来往内地通行证: H or M and 8 or 10 digits;
 *   台湾居民来往大陆通行证: 8 or 10 digits;
 *   外国人永久居留身份证: 3 letters and 12 digits (before 2023), or 18
 *     digits starting with 9 with the MOD 11-2 check (from 2023-12-01).
 * An unknown type is an error. *checksum_out (may be NULL) is set to true
 * when the only problem is the check character.
 */
const char *ident_id_check(const char *type, const char *number, int today,
			   bool *checksum_out);

/*
 * Normalises a mainland mobile number exactly as sign-up does
 * (dom_phone_normalize() in account.h): spaces and hyphens removed, a
 * +86, 0086 or 86 prefix before 11 digits dropped, then 1[3-9] and 9
 * digits. Writes the 11 digits to out and returns 0, or returns -1.
 */
int ident_mobile_normalize(const char *in, char out[12]);

/* Returns true when ident_mobile_normalize() accepts s. */
bool ident_mobile_ok(const char *s);

/*
 * A pragmatic e-mail check: at most 254 bytes, one "@", a local part of
 * 1 to 64 of letters, digits and !#$%&'*+/=?^_`{|}~.- without leading,
 * trailing or doubled dots, and a domain of at least two dot-separated
 * labels of letters, digits and inner hyphens (1 to 63 each) whose last
 * label is not all digits. No quoted local parts, IP literals or UTF-8.
 */
bool ident_email_ok(const char *s);

#endif
