/* test_ident.c: credit codes, ID documents, mobile numbers, e-mail */
#include <string.h>
#include "harness.h"
#include "domain/ident.h"

#define TODAY 20260315

static const char uscc_set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* Completes 17 digits with their MOD 11-2 check character. */
static void id_complete(char s[19])
{
	static const int w[17] = { 7, 9, 10, 5,	 8, 4, 2, 1, 6,
				   3, 7, 9,  10, 5, 8, 4, 2 };
	int sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (s[i] - '0') * w[i];
	s[17] = "10X98765432"[sum % 11];
	s[18] = '\0';
}

static bool uscc_bad(const char *s, bool want_checksum)
{
	bool sum = !want_checksum;
	return ident_uscc_check(s, &sum) != NULL && sum == want_checksum;
}

static void test_uscc(void)
{
	static const char *valid[] = { "91350100M000100Y43",
				       "91110000600037341L" };
	char out[USCC_LEN + 1];
	bool sum = true;
	int missed = 0, wrong_code = 0;

	ok(ident_uscc_check("91350100M000100Y43", &sum) == NULL && !sum,
	   "standard's example is valid");
	ok(ident_uscc_check("91110000600037341L", NULL) == NULL,
	   "stdnum example is valid");
	is_str(ident_uscc_check("91350100M000100Y4Z", &sum),
	       "统一社会信用代码校验位不正确", "standard's sample input");
	ok(sum, "sample input is a checksum error");
	ok(ident_uscc_check("91350100m000100y43", NULL) == NULL,
	   "lower case accepted");
	ok(ident_uscc_check(" 9135-0100-M000-100Y43 ", NULL) == NULL,
	   "spaces and hyphens ignored");
	ident_uscc_normalize(" 9135-0100-m000-100y43", out);
	is_str(out, "91350100M000100Y43", "normalized");
	ident_uscc_normalize("91350100M000100Y431", out);
	is_str(out, "", "overlong normalizes to empty");
	ident_uscc_normalize("", out);
	is_str(out, "", "empty stays empty");

	is_str(ident_uscc_check("91350100M000100Y4", &sum),
	       "统一社会信用代码应为 18 位数字或大写字母", "17 characters");
	ok(!sum, "length is a format error");
	ok(uscc_bad("91350100M000100Y434", false), "19 characters");
	ok(uscc_bad("", false), "empty");
	ok(uscc_bad("91350100I000100Y43", false), "I is not in the set");
	ok(uscc_bad("91350100O000100Y43", false), "O is not in the set");
	ok(uscc_bad("91350100M000100Y4S", true),
	   "S as check character is a wrong check character");
	ok(uscc_bad("91350100M000100Y4*", false), "symbol as check character");
	ok(uscc_bad("91350100M000100S43", false), "S in the body");
	ok(uscc_bad("9135010 M000100Y43", false), "inner space shortens");
	ok(uscc_bad("9135010AM000100Y43", false), "letter in division code");
	ok(uscc_bad("91350100M000100Y4３", false), "full-width digit");
	ok(ident_uscc_check("N2350100M000100Y4J", NULL) == NULL,
	   "N: a collective economic organisation");
	ok(ident_uscc_check("Y1110000MA0000001Y", NULL) == NULL, "Y: other");
	ok(ident_uscc_check("A1110000MB1234567A", NULL) == NULL, "A: military");

	/*
	 * MOD 31 with weights that are units modulo 31 catches every single
	 * substitution: each must fail, and as a checksum error unless it
	 * broke the division code's digits.
	 */
	for (size_t v = 0; v < 2; v++) {
		for (size_t i = 0; i < USCC_LEN; i++) {
			for (size_t k = 0; uscc_set[k]; k++) {
				char s[USCC_LEN + 1];
				bool div = i >= 2 && i < 8;

				memcpy(s, valid[v], sizeof(s));
				if (s[i] == uscc_set[k])
					continue;
				s[i] = uscc_set[k];
				sum = false;
				if (!ident_uscc_check(s, &sum))
					missed++;
				else if (!sum && !(div && uscc_set[k] > '9'))
					wrong_code++;
			}
		}
	}
	is_int(missed, 0, "every substitution fails");
	is_int(wrong_code, 0, "substitutions are checksum errors");
}

static void test_resident(void)
{
	static const char *valid[] = { "11010519491231002X",
				       "440524188001010014",
				       "370101190102039973" };
	char s[19];
	bool sum = true;
	int missed = 0, wrong_code = 0;

	for (size_t i = 0; i < 3; i++)
		ok(ident_id_check("居民身份证", valid[i], TODAY, &sum) ==
				   NULL &&
			   !sum,
		   "valid: %s", valid[i]);
	ok(ident_id_check("居民身份证", "11010519491231002x", TODAY, NULL) ==
		   NULL,
	   "lower-case x");
	ok(ident_id_check("居民身份证", "110105 19491231 002X", TODAY, NULL) ==
		   NULL,
	   "spaces ignored");
	is_str(ident_id_check("居民身份证", "110105194912310021", TODAY, &sum),
	       "居民身份证号码校验位不正确", "wrong check digit");
	ok(sum, "wrong check digit is a checksum error");

	for (size_t v = 0; v < 3; v++) {
		for (size_t i = 0; i < 18; i++) {
			for (char d = '0'; d <= '9' + 1; d++) {
				char c = d > '9' ? 'X' : d;
				bool date = i >= 6 && i < 14;

				if (c == 'X' && i != 17)
					continue;
				memcpy(s, valid[v], sizeof(s));
				if (s[i] == c)
					continue;
				s[i] = c;
				sum = false;
				if (!ident_id_check("居民身份证", s, TODAY,
						    &sum))
					missed++;
				else if (!sum && i != 0 && !date)
					wrong_code++;
			}
		}
	}
	is_int(missed, 0, "every single-digit change fails");
	is_int(wrong_code, 0, "and is a checksum error outside date and area");

	memcpy(s, "11010520300101002", 17);
	id_complete(s);
	ok(ident_id_check("居民身份证", s, TODAY, &sum) != NULL && !sum,
	   "future birth date refused as format");
	ok(ident_id_check("居民身份证", s, 20300101, NULL) == NULL,
	   "same number valid from its birthday");
	memcpy(s, "11010520230230002", 17);
	id_complete(s);
	ok(ident_id_check("居民身份证", s, TODAY, &sum) != NULL && !sum,
	   "20230230 refused");
	memcpy(s, "11010520240229002", 17);
	id_complete(s);
	ok(ident_id_check("居民身份证", s, TODAY, NULL) == NULL,
	   "20240229 accepted");
	memcpy(s, "11010519000229002", 17);
	id_complete(s);
	ok(ident_id_check("居民身份证", s, TODAY, NULL) != NULL,
	   "19000229 refused (1900 is not a leap year)");
	memcpy(s, "11010517991231002", 17);
	id_complete(s);
	ok(ident_id_check("居民身份证", s, TODAY, NULL) != NULL,
	   "1799 refused");
	memcpy(s, "11010500010101002", 17);
	id_complete(s);
	ok(ident_id_check("居民身份证", s, TODAY, NULL) != NULL,
	   "0001 refused");
	memcpy(s, "91010519491231002", 17);
	id_complete(s);
	ok(ident_id_check("居民身份证", s, TODAY, &sum) != NULL && !sum,
	   "first digit 9 refused");
	memcpy(s, "01010519491231002", 17);
	id_complete(s);
	ok(ident_id_check("居民身份证", s, TODAY, NULL) != NULL,
	   "first digit 0 refused");
	ok(ident_id_check("居民身份证", "110105491231002", TODAY, &sum) !=
			   NULL &&
		   !sum,
	   "15 digits refused");
	ok(ident_id_check("居民身份证", "1101051949123100X2", TODAY, NULL),
	   "X inside refused");
	ok(ident_id_check("居民身份证", "", TODAY, NULL), "empty refused");
	ok(ident_id_check("居民身份证", "11010519491231002XX", TODAY, NULL),
	   "19 characters refused");
}

static void test_documents(void)
{
	char s[19];
	char out[ID_NUMBER_MAX + 1];
	bool sum = true;

	ok(ident_id_check("护照", "E12345678", TODAY, &sum) == NULL && !sum,
	   "passport E");
	ok(!ident_id_check("护照", "G12345678", TODAY, NULL), "passport G");
	ok(!ident_id_check("护照", "e12345678", TODAY, NULL), "lower case");
	ok(!ident_id_check("护照", "123456789", TODAY, NULL), "digits only");
	ok(!ident_id_check("护照", "X1234", TODAY, NULL), "5 characters");
	ok(!ident_id_check("护照", "AB1234567890ABCDE", TODAY, NULL), "17");
	ok(ident_id_check("护照", "X123", TODAY, NULL) != NULL, "4 refused");
	ok(ident_id_check("护照", "AB1234567890ABCDEF", TODAY, NULL) != NULL,
	   "18 refused");
	ok(ident_id_check("护照", "ABCDEFGH", TODAY, NULL) != NULL,
	   "no digit refused");
	ok(!ident_id_check("护照", "E1234-5678", TODAY, NULL),
	   "hyphen ignored");
	ok(ident_id_check("护照", "E1234_5678", TODAY, NULL) != NULL,
	   "underscore refused");

	ok(!ident_id_check("港澳居民来往内地通行证", "H12345678", TODAY, NULL),
	   "H + 8");
	ok(!ident_id_check("港澳居民来往内地通行证", "M1234567890", TODAY,
			   NULL),
	   "M + 10");
	ok(!ident_id_check("港澳居民来往内地通行证", "h12345678", TODAY, NULL),
	   "lower-case h");
	ok(ident_id_check("港澳居民来往内地通行证", "H1234567", TODAY, NULL) !=
		   NULL,
	   "H + 7 refused");
	ok(ident_id_check("港澳居民来往内地通行证", "H123456789", TODAY,
			  NULL) != NULL,
	   "H + 9 refused");
	ok(ident_id_check("港澳居民来往内地通行证", "K12345678", TODAY, NULL) !=
		   NULL,
	   "K refused");
	ok(ident_id_check("港澳居民来往内地通行证", "H", TODAY, NULL) != NULL,
	   "H alone refused");

	ok(!ident_id_check("台湾居民来往大陆通行证", "12345678", TODAY, NULL),
	   "8 digits");
	ok(!ident_id_check("台湾居民来往大陆通行证", "1234567890", TODAY, NULL),
	   "10 digits");
	ok(ident_id_check("台湾居民来往大陆通行证", "123456789", TODAY, NULL) !=
		   NULL,
	   "9 digits refused");
	ok(ident_id_check("台湾居民来往大陆通行证", "T1234567", TODAY, NULL) !=
		   NULL,
	   "letter refused");

	ok(!ident_id_check("外国人永久居留身份证", "USA110079060101", TODAY,
			   NULL),
	   "old card");
	ok(!ident_id_check("外国人永久居留身份证", "usa110079060101", TODAY,
			   NULL),
	   "old card lower case");
	ok(ident_id_check("外国人永久居留身份证", "US1110079060101", TODAY,
			  NULL) != NULL,
	   "old card with 2 letters refused");
	memcpy(s, "93184019790101001", 17);
	id_complete(s);
	ok(!ident_id_check("外国人永久居留身份证", s, TODAY, &sum) && !sum,
	   "2023 card: %s", s);
	s[17] = s[17] == '0' ? '1' : '0';
	ok(ident_id_check("外国人永久居留身份证", s, TODAY, &sum) != NULL &&
		   sum,
	   "2023 card with a wrong check digit");
	memcpy(s, "83184019790101001", 17);
	id_complete(s);
	ok(ident_id_check("外国人永久居留身份证", s, TODAY, &sum) != NULL &&
		   !sum,
	   "18 digits not starting with 9 refused");
	ok(ident_id_check("居民身份证", "93184019790101001X", TODAY, NULL) !=
		   NULL,
	   "a 2023 card is not a 居民身份证");

	is_str(ident_id_check("驾驶证", "E12345678", TODAY, &sum),
	       "证件类型不正确", "unknown type");
	ok(!sum, "unknown type is not a checksum error");
	ok(ident_id_check(NULL, "E12345678", TODAY, NULL) != NULL, "NULL type");
	ok(ident_id_check("护照", "", TODAY, NULL) != NULL, "empty number");
	ok(ident_id_type_ok("台湾居民来往大陆通行证"), "type list");
	ok(!ident_id_type_ok("身份证"), "type must be exact");

	ident_id_normalize(" 11010519491231002x ", out);
	is_str(out, "11010519491231002X", "id normalized");
	ident_id_normalize("123456789012345678901234567890123", out);
	is_str(out, "", "overlong id normalizes to empty");
}

static void test_mobile(void)
{
	char out[12];

	ok(ident_mobile_ok("13812345678"), "plain");
	ok(ident_mobile_ok("19212345678"), "192");
	ok(ident_mobile_ok("138 1234 5678"), "spaces");
	ok(ident_mobile_ok("138-1234-5678"), "hyphens");
	ok(ident_mobile_ok("+86 138 1234 5678"), "+86");
	ok(ident_mobile_ok("0086-13812345678"), "0086");
	ok(ident_mobile_ok("8613812345678"), "86");
	ok(!ident_mobile_ok("12812345678"), "12x refused");
	ok(!ident_mobile_ok("1381234567"), "10 digits refused");
	ok(!ident_mobile_ok("138123456789"), "12 digits refused");
	ok(!ident_mobile_ok("+1 650 253 0000"), "+1 refused");
	ok(!ident_mobile_ok("1381234567a"), "letter refused");
	ok(!ident_mobile_ok(""), "empty refused");
	ok(ident_mobile_normalize("+86 138-1234-5678", out) == 0, "normalize");
	is_str(out, "13812345678", "normalized");
	ok(ident_mobile_normalize("02088888888", out) < 0, "landline refused");
}

static void test_email(void)
{
	char s[300];

	ok(ident_email_ok("a@b.co"), "short");
	ok(ident_email_ok("first.last+tag@sub.example.com.cn"),
	   "dots and plus");
	ok(ident_email_ok("o'neil_1@x-y.org"), "apostrophe, hyphen");
	ok(ident_email_ok("USER@EXAMPLE.COM"), "upper case");
	ok(ident_email_ok("a@example.xn--fiqs8s"), "punycode TLD");
	ok(ident_email_ok("12345@qq.com"), "digits");
	ok(!ident_email_ok("a@b"), "no dot");
	ok(!ident_email_ok("ab.com"), "no @");
	ok(!ident_email_ok("a@@b.com"), "two @");
	ok(!ident_email_ok("a@b@c.com"), "@ in domain");
	ok(!ident_email_ok("@b.com"), "empty local");
	ok(!ident_email_ok("a@"), "empty domain");
	ok(!ident_email_ok("a b@c.com"), "space");
	ok(!ident_email_ok(".a@b.com"), "leading dot");
	ok(!ident_email_ok("a.@b.com"), "trailing dot");
	ok(!ident_email_ok("a..b@c.com"), "double dot");
	ok(!ident_email_ok("a@-b.com"), "label starts with hyphen");
	ok(!ident_email_ok("a@b-.com"), "label ends with hyphen");
	ok(!ident_email_ok("a@b..com"), "empty label");
	ok(!ident_email_ok("a@b.com."), "trailing dot in domain");
	ok(!ident_email_ok("a@.b.com"), "leading dot in domain");
	ok(!ident_email_ok("a@1.2.3.4"), "IP address");
	ok(!ident_email_ok("a@b_c.com"), "underscore in domain");
	ok(!ident_email_ok("用户@example.com"), "UTF-8 local part");
	ok(!ident_email_ok("a@例子.com"), "UTF-8 domain");
	ok(!ident_email_ok("\"a\"@b.com"), "quoted local part");

	memset(s, 'a', 64);
	memcpy(s + 64, "@b.com", 7);
	ok(ident_email_ok(s), "64-character local part");
	memset(s, 'a', 65);
	memcpy(s + 65, "@b.com", 7);
	ok(!ident_email_ok(s), "65-character local part");
	/* 1 + 1 + 63 + 1 + 63 + 1 + 63 + 1 + 60 = 254 */
	memcpy(s, "a@", 2);
	memset(s + 2, 'b', 252);
	s[65] = s[129] = s[193] = '.';
	s[254] = '\0';
	ok(ident_email_ok(s), "254 bytes");
	memset(s + 254, 'c', 1);
	s[255] = '\0';
	ok(!ident_email_ok(s), "255 bytes");
	memcpy(s, "a@", 2);
	memset(s + 2, 'b', 64);
	memcpy(s + 66, ".com", 5);
	ok(!ident_email_ok(s), "64-character label");
}

static void test_date(void)
{
	ok(ident_date_valid(2024, 2, 29), "leap day");
	ok(!ident_date_valid(2023, 2, 29), "not a leap year");
	ok(!ident_date_valid(2100, 2, 29), "century");
	ok(ident_date_valid(2000, 2, 29), "400 years");
	ok(!ident_date_valid(2026, 4, 31), "April 31");
	ok(!ident_date_valid(2026, 13, 1), "month 13");
	ok(!ident_date_valid(2026, 0, 1), "month 0");
	ok(!ident_date_valid(2026, 1, 0), "day 0");
	ok(ident_date_valid(2026, 12, 31), "new year's eve");
}

int main(void)
{
	test_uscc();
	test_resident();
	test_documents();
	test_mobile();
	test_email();
	test_date();
	return done_testing("test_ident");
}
