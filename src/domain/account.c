/* account.c: sign-up rules, the same for the API and the command line */
#include <ctype.h>
#include <string.h>
#include "account.h"
#include "../util/str.h"
#include "../util/banned.h"

const char *dom_account_check(const char *account)
{
	size_t n = strlen(account);

	if (n < 4 || n > 20)
		return "账号长度应为 4 到 20 个字符";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)account[i];
		if (!isalnum(c) && c != '_')
			return "账号只能包含字母、数字和下划线";
	}
	/*
	 * Sign-in reads a name that is a phone number as that number, so such
	 * an account could never sign in by name (and would shadow the user
	 * who owns the number).
	 */
	if (dom_looks_like_phone(account))
		return "账号不能是手机号";
	return NULL;
}

const char *dom_phone_normalize(const char *in, char out[PHONE_LEN + 1])
{
	char digits[32];
	size_t n = 0;
	const char *p = in;
	bool plus = *p == '+';

	if (strlen(in) > 24)
		return "手机号格式不正确";
	if (plus)
		p++;
	for (; *p; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		if (*p < '0' || *p > '9')
			return "手机号格式不正确";
		if (n == sizeof(digits) - 1)
			return "手机号格式不正确";
		digits[n++] = *p;
	}
	digits[n] = '\0';
	/*
	 * A "+" brings a country code, and only China's is served: without
	 * this, +1 650 253 0000 would become the mainland number 16502530000.
	 */
	if (plus && (n != 13 || strncmp(digits, "86", 2)))
		return "请输入正确的中国大陆手机号";
	p = digits;
	if (n == 15 && !strncmp(p, "0086", 4))
		p += 4;
	else if (n == 13 && !strncmp(p, "86", 2))
		p += 2;
	if (strlen(p) != PHONE_LEN || p[0] != '1' || p[1] < '3' || p[1] > '9')
		return "请输入正确的中国大陆手机号";
	memcpy(out, p, PHONE_LEN + 1);
	return NULL;
}

void dom_phone_mask(const char *phone, char out[PHONE_LEN + 1])
{
	memcpy(out, phone, PHONE_LEN + 1);
	memset(out + 3, '*', 4);
}

/* Counts code points; the input is already valid UTF-8. */
static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

const char *dom_password_check(const char *password, const char *account)
{
	size_t n = chars(password);
	bool letter = false, digit = false, symbol = false;

	if (n < 8)
		return "密码至少 8 个字符";
	if (n > 64 || strlen(password) > 128)
		return "密码不能超过 64 个字符";
	for (const char *p = password; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (isalpha(c))
			letter = true;
		else if (isdigit(c))
			digit = true;
		else if (c != ' ' && (c & 0xC0) != 0x80)
			symbol = true;
	}
	if (letter + digit + symbol < 2)
		return "密码须包含字母、数字、符号中的至少两种";
	if (account && !strcasecmp(password, account))
		return "密码不能与账号相同";
	return NULL;
}

void dom_account_lower(const char *account, char out[21])
{
	size_t i = 0;
	for (; account[i] && i < 20; i++)
		out[i] = (char)tolower((unsigned char)account[i]);
	out[i] = '\0';
}

bool dom_looks_like_phone(const char *s)
{
	char tmp[PHONE_LEN + 1];
	return dom_phone_normalize(s, tmp) == NULL;
}
