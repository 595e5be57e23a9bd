/* test_sms_sign.c: ACS3 and TC3 signatures against published vectors */
#include <sodium.h>
#include "harness.h"
#include "notify/sms_sign.h"
#include "util/buf.h"
#include "util/str.h"

#define EMPTY_SHA256                                                           \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static void test_hashes(void)
{
	char hex[SMS_SHA256_HEX];
	unsigned char mac[32];

	sms_sha256_hex("", 0, hex);
	is_str(hex, EMPTY_SHA256, "sha256 of nothing");
	sms_sha256_hex("abc", 3, hex);
	is_str(hex,
	       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	       "sha256 abc");
	/* RFC 4231 test case 2: a key shorter than the block. */
	sms_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac);
	hex_encode(mac, sizeof(mac), hex);
	is_str(hex,
	       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	       "hmac rfc 4231 case 2");
	/* RFC 4231 test case 6: a 131-byte key, longer than the block. */
	{
		unsigned char key[131];
		const char *msg = "Test Using Larger Than Block-Size Key - "
				  "Hash Key First";
		memset(key, 0xaa, sizeof(key));
		sms_hmac_sha256(key, sizeof(key), msg, strlen(msg), mac);
		hex_encode(mac, sizeof(mac), hex);
		is_str(hex,
		       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
		       "hmac rfc 4231 case 6");
	}
}

static const char *enc(struct buf *b, const char *s)
{
	buf_reset(b);
	if (sms_rfc3986(b, s, strlen(s)) < 0)
		return NULL;
	return b->p ? b->p : "";
}

static void test_rfc3986(void)
{
	struct buf b;

	buf_init(&b, 1024);
	is_str(enc(&b, "数据要素大赛"),
	       "%E6%95%B0%E6%8D%AE%E8%A6%81%E7%B4%A0%E5%A4%A7%E8%B5%9B",
	       "chinese");
	is_str(enc(&b, "a b"), "a%20b", "space is %20");
	is_str(enc(&b, "~"), "~", "tilde bare");
	is_str(enc(&b, "*"), "%2A", "star encoded");
	is_str(enc(&b, "+"), "%2B", "plus encoded");
	is_str(enc(&b, "AZaz09-_."), "AZaz09-_.", "unreserved bare");
	is_str(enc(&b, "{\"code\":\"123456\"}"),
	       "%7B%22code%22%3A%22123456%22%7D", "json template param");
	is_str(enc(&b, "/=&%"), "%2F%3D%26%25", "reserved");
	buf_release(&b);
	buf_init(&b, 5);
	ok(sms_rfc3986(&b, "数", 3) < 0 && b.toobig, "ceiling reported");
	buf_release(&b);
}

static void test_acs3_official(void)
{
	/* Aliyun's published example (RunInstances on ECS). */
	const char *names[] = {
		"host",	      "x-acs-action",	       "x-acs-content-sha256",
		"x-acs-date", "x-acs-signature-nonce", "x-acs-version"
	};
	const char *values[] = { "ecs.cn-shanghai.aliyuncs.com",
				 "RunInstances",
				 EMPTY_SHA256,
				 "2023-10-26T09:01:01Z",
				 "d410180a5abf7fe235dd9b74aca91fc0",
				 "2014-05-26" };
	const char *query = "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_"
			    "20230811.vhd&RegionId=cn-shanghai";
	char sig[SMS_SHA256_HEX], other[SMS_SHA256_HEX];

	ok(acs3_signature("POST", query, names, values, 6, EMPTY_SHA256,
			  "YourAccessKeySecret", sig) == 0,
	   "acs3 official signs");
	is_str(sig,
	       "e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804",
	       "acs3 official vector");
	ok(acs3_signature("POST", query, names, values, 6, EMPTY_SHA256,
			  "YourAccessKeySecreT", other) == 0 &&
		   strcmp(sig, other),
	   "acs3 official: another secret, another signature");
	/* Header order and case do not matter; values are trimmed. */
	{
		const char *n2[] = { "X-Acs-Version", "x-acs-signature-nonce",
				     "x-acs-date",    "x-acs-content-sha256",
				     "x-acs-action",  "Host" };
		const char *v2[] = { "2014-05-26",
				     " d410180a5abf7fe235dd9b74aca91fc0 ",
				     "2023-10-26T09:01:01Z",
				     EMPTY_SHA256,
				     "RunInstances",
				     "ecs.cn-shanghai.aliyuncs.com" };
		ok(acs3_signature("POST", query, n2, v2, 6, EMPTY_SHA256,
				  "YourAccessKeySecret", other) == 0,
		   "acs3 shuffled signs");
		is_str(other, sig, "acs3 shuffled headers, same signature");
	}
	{
		const char *many[ACS3_MAX_HEADERS + 1];
		for (size_t i = 0; i <= ACS3_MAX_HEADERS; i++)
			many[i] = "x-acs-a";
		ok(acs3_signature("POST", "", many, many, ACS3_MAX_HEADERS + 1,
				  EMPTY_SHA256, "s", other) < 0,
		   "acs3 too many headers refused");
	}
}

static void test_acs3_sendsms(void)
{
	const char *names[] = {
		"host",	      "x-acs-action",	       "x-acs-content-sha256",
		"x-acs-date", "x-acs-signature-nonce", "x-acs-version"
	};
	const char *values[] = { "dysmsapi.aliyuncs.com",
				 "SendSms",
				 EMPTY_SHA256,
				 "2026-01-01T00:00:00Z",
				 "3f2c7a9e5b1d4c6e8a0b2d4f6e8c0a1b",
				 "2017-05-25" };
	char query[512], sig[SMS_SHA256_HEX], other[SMS_SHA256_HEX];
	struct buf b;

	/* The query built the way the sender builds it. */
	buf_init(&b, 1024);
	buf_adds(&b, "PhoneNumbers=13800138000&SignName=");
	sms_rfc3986(&b, "数据要素大赛", strlen("数据要素大赛"));
	buf_adds(&b, "&TemplateCode=SMS_000000001&TemplateParam=");
	sms_rfc3986(&b, "{\"code\":\"123456\"}", 17);
	snprintf(query, sizeof(query), "%s", b.p);
	buf_release(&b);
	is_str(query,
	       "PhoneNumbers=13800138000&SignName=%E6%95%B0%E6%8D%AE%E8%A6%81"
	       "%E7%B4%A0%E5%A4%A7%E8%B5%9B&TemplateCode=SMS_000000001"
	       "&TemplateParam=%7B%22code%22%3A%22123456%22%7D",
	       "sendsms query");
	ok(acs3_signature("POST", query, names, values, 6, EMPTY_SHA256,
			  "SECRETEXAMPLE", sig) == 0,
	   "acs3 sendsms signs");
	is_str(sig,
	       "b1831f844a234b32b55bbec79d082492084c6a3dd5c208ca2044309a23668268",
	       "acs3 sendsms vector");
	query[strlen("PhoneNumbers=1380013800")] = '1'; /* one digit off */
	ok(acs3_signature("POST", query, names, values, 6, EMPTY_SHA256,
			  "SECRETEXAMPLE", other) == 0 &&
		   strcmp(sig, other),
	   "acs3 sendsms: another phone, another signature");
}

static void test_tc3(void)
{
	char body[] = "{\"PhoneNumberSet\":[\"+8613800138000\"],"
		      "\"SmsSdkAppId\":\"1400000000\","
		      "\"SignName\":\"数据要素大赛\",\"TemplateId\":\"100001\","
		      "\"TemplateParamSet\":[\"123456\",\"5\"]}";
	const char *ct = "application/json; charset=utf-8";
	char hash[SMS_SHA256_HEX], sig[SMS_SHA256_HEX], other[SMS_SHA256_HEX];
	char date[11];

	tc3_date(1767225600, date);
	is_str(date, "2026-01-01", "tc3 date");
	tc3_date(1767225599, date);
	is_str(date, "2025-12-31", "tc3 date one second before");
	sms_sha256_hex(body, strlen(body), hash);
	is_str(hash,
	       "2ef837c9391dabb70704eace938307678a71acfabe7737fb7c2791f33ad67d3b",
	       "tc3 payload hash");
	ok(tc3_signature("SECRETEXAMPLE", "sms", ct, "sms.tencentcloudapi.com",
			 1767225600, hash, sig) == 0,
	   "tc3 signs");
	is_str(sig,
	       "8c98d1bae3763c395f23c51124e6db00fabc4399a451dc6dbad8d05dab253ca7",
	       "tc3 vector");
	ok(tc3_signature("SECRETEXAMPLF", "sms", ct, "sms.tencentcloudapi.com",
			 1767225600, hash, other) == 0 &&
		   strcmp(sig, other),
	   "tc3: another secret, another signature");
	ok(tc3_signature("SECRETEXAMPLE", "sms", ct, "sms.tencentcloudapi.com",
			 1767225601, hash, other) == 0 &&
		   strcmp(sig, other),
	   "tc3: another second, another signature");
	body[strlen("{\"PhoneNumberSet\":[\"+86138001380")] = '1';
	sms_sha256_hex(body, strlen(body), hash);
	ok(tc3_signature("SECRETEXAMPLE", "sms", ct, "sms.tencentcloudapi.com",
			 1767225600, hash, other) == 0 &&
		   strcmp(sig, other),
	   "tc3: one body byte changed, another signature");
}

int main(void)
{
	if (sodium_init() < 0) {
		printf("not ok - sodium_init\n");
		return 1;
	}
	test_hashes();
	test_rfc3986();
	test_acs3_official();
	test_acs3_sendsms();
	test_tc3();
	return done_testing("test_sms_sign");
}
