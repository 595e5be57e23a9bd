/*
 * fuzz_ident: the identifier checks of src/domain/ident.c on any text —
 * 统一社会信用代码, the five ID document types, mobile numbers, e-mail
 * addresses and calendar dates — with their properties: normalising is
 * idempotent and bounded; when only the check character is wrong, exactly
 * one check character makes the value pass; an accepted mobile number is
 * 11 digits that are accepted again.
 */
#include <stdbool.h>
#include "fuzz.h"
#include "domain/ident.h"

#define TODAY 20260601

static const char uscc_set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static void uscc(const char *s)
{
	char a[USCC_LEN + 1], b[USCC_LEN + 1];
	bool sum = false;
	const char *why;
	int passing = 0;

	ident_uscc_normalize(s, a);
	ident_uscc_normalize(a, b);
	FUZZ_CHECK(strlen(a) <= USCC_LEN && !strcmp(a, b));
	FUZZ_CHECK(!strchr(a, ' ') && !strchr(a, '-'));
	why = ident_uscc_check(s, &sum);
	FUZZ_CHECK(!sum || why);
	if (!why)
		FUZZ_CHECK(strlen(a) == USCC_LEN && !ident_uscc_check(a, NULL));
	if (!sum)
		return;
	for (const char *c = uscc_set; *c; c++) {
		a[USCC_LEN - 1] = *c;
		passing += ident_uscc_check(a, NULL) == NULL;
	}
	FUZZ_CHECK(passing == 1);
}

static void id_number(const char *type, const char *s)
{
	char a[ID_NUMBER_MAX + 1], b[ID_NUMBER_MAX + 1];
	bool sum = false;
	const char *why;
	size_t n;
	int passing = 0;

	ident_id_normalize(s, a);
	ident_id_normalize(a, b);
	FUZZ_CHECK(strlen(a) <= ID_NUMBER_MAX && !strcmp(a, b));
	why = ident_id_check(type, a, TODAY, &sum);
	FUZZ_CHECK(!sum || why);
	FUZZ_CHECK(ident_id_type_ok(type) || why);
	n = strlen(a);
	if (!sum)
		return;
	FUZZ_CHECK(n == 18);
	for (const char *c = "0123456789X"; *c; c++) {
		a[n - 1] = *c;
		passing += ident_id_check(type, a, TODAY, NULL) == NULL;
	}
	FUZZ_CHECK(passing == 1);
}

static void mobile(const char *s)
{
	char out[12], again[12];

	if (ident_mobile_normalize(s, out) < 0) {
		FUZZ_CHECK(!ident_mobile_ok(s));
		return;
	}
	FUZZ_CHECK(ident_mobile_ok(s));
	FUZZ_CHECK(strlen(out) == 11 && out[0] == '1' && out[1] >= '3');
	for (int i = 0; i < 11; i++)
		FUZZ_CHECK(out[i] >= '0' && out[i] <= '9');
	FUZZ_CHECK(ident_mobile_normalize(out, again) == 0 &&
		   !strcmp(out, again));
}

static void email(const char *s)
{
	const char *at;

	if (!ident_email_ok(s))
		return;
	at = strchr(s, '@');
	FUZZ_CHECK(strlen(s) <= 254 && at && !strchr(at + 1, '@'));
	FUZZ_CHECK(at > s && (size_t)(at - s) <= 64);
}

static void date(const uint8_t *d, size_t n)
{
	int y, m, dd;
	if (n < 4)
		return;
	y = (int)(((unsigned)d[0] << 8 | d[1]) % 10000);
	m = (int)(signed char)d[2];
	dd = (int)(signed char)d[3];
	if (ident_date_valid(y, m, dd))
		FUZZ_CHECK(m >= 1 && m <= 12 && dd >= 1 && dd <= 31 &&
			   !(m == 2 && dd > 29));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	unsigned which;

	if (size < 1 || size > 4096)
		return 0;
	which = data[0];
	s = fuzz_strndup(data + 1, size - 1);
	switch (which % 5) {
	case 0:
		uscc(s);
		break;
	case 1:
		id_number(which / 5 < IDENT_ID_TYPES
				  ? ident_id_types[which / 5]
				  : (which & 1 ? "" : "驾驶证"),
			  s);
		break;
	case 2:
		mobile(s);
		break;
	case 3:
		email(s);
		break;
	default:
		date(data + 1, size - 1);
		break;
	}
	free(s);
	return 0;
}
