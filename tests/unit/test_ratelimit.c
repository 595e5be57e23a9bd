/* test_ratelimit.c: the per-address token buckets of the auth routes */
#include <pthread.h>
#include <stdint.h>
#include <sodium.h>
#include "harness.h"
#include "http/ratelimit.h"

#define SEC 1000000000LL

static struct rate_key key(const char *text)
{
	struct rate_key k;
	if (rate_key_parse(text, &k) < 0)
		printf("not ok - cannot parse %s\n", text);
	return k;
}

static bool same(const char *a, const char *b)
{
	struct rate_key x = key(a), y = key(b);
	return !memcmp(x.b, y.b, sizeof(x.b));
}

static void test_keys(void)
{
	unsigned char v4[16] = { 0, 0, 0,    0,	   0,	0, 0,	0,
				 0, 0, 0xff, 0xff, 203, 0, 113, 7 };
	unsigned char v6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2,
				 0xaa, 0xaa, 0,	   0,	 0, 0, 0, 1 };
	struct rate_key k, p;
	char out[64];

	rate_key_from_bytes(v4, &k);
	p = key("203.0.113.7");
	ok(!memcmp(k.b, p.b, 16), "bytes and literal give one key");
	rate_key_format(&k, out, sizeof(out));
	is_str(out, "203.0.113.7", "v4 formatted");

	rate_key_from_bytes(v6, &k);
	p = key("2001:db8:1:2::99");
	ok(!memcmp(k.b, p.b, 16), "one /64 is one key");
	rate_key_format(&k, out, sizeof(out));
	is_str(out, "2001:db8:1:2::/64", "v6 formatted as its /64");
	ok(!same("2001:db8:1:2::1", "2001:db8:1:3::1"), "another /64");
	ok(same("::ffff:198.51.100.1", "198.51.100.1"),
	   "v4-mapped is the v4 address");
	ok(!same("198.51.100.1", "198.51.100.2"), "v4 addresses differ");
	ok(rate_key_parse("example.com", &k) < 0, "a name is no address");
	ok(rate_key_parse("10.0.0.1/8", &k) < 0, "a prefix is no address");
}

static void test_bucket(void)
{
	struct rate_limiter *l = rate_limiter_new(60, 3, 64);
	struct rate_key a = key("192.0.2.1"), b = key("192.0.2.2");
	int64_t t0 = 1000 * SEC;
	uint64_t rep = 99;

	ok(l != NULL, "created");
	/* A burst of 3, then one a second. */
	is_int(rate_limiter_take(l, &a, t0, &rep), 0, "1st");
	is_int(rep, 0, "nothing to report when allowed");
	is_int(rate_limiter_take(l, &a, t0, NULL), 0, "2nd");
	is_int(rate_limiter_take(l, &a, t0, NULL), 0, "3rd");
	is_int(rate_limiter_take(l, &a, t0, &rep), SEC, "4th waits 1 s");
	is_int(rep, 1, "the first refusal is reported");
	is_int(rate_limiter_take(l, &b, t0, NULL), 0,
	       "another address has its own bucket");
	/* Refusals take no token: hammering does not push the wait out. */
	for (int i = 0; i < 100; i++)
		rate_limiter_take(l, &a, t0 + SEC / 2, &rep);
	is_int(rep, 0, "refusals within 10 s are not reported one by one");
	is_int(rate_limiter_take(l, &a, t0 + SEC / 2, NULL), SEC / 2,
	       "half a second later: half a second to wait");
	is_int(rate_limiter_take(l, &a, t0 + SEC, NULL), 0,
	       "one token after a second");
	ok(rate_limiter_take(l, &a, t0 + SEC, NULL) > 0, "and only one");
	is_int(rate_limiter_take(l, &a, t0 + 11 * SEC, &rep), 0,
	       "refilled after a pause");
	is_int(rate_limiter_take(l, &a, t0 + 11 * SEC, NULL), 0, "burst 2/3");
	is_int(rate_limiter_take(l, &a, t0 + 11 * SEC, NULL), 0, "burst 3/3");
	ok(rate_limiter_take(l, &a, t0 + 11 * SEC, &rep) > 0, "empty again");
	is_int(rep, 103, "the next report counts every refusal since the last");
	rate_limiter_free(l);

	ok(rate_limiter_new(0, 3, 64) == NULL, "rate 0 refused");
	ok(rate_limiter_new(60, 0, 64) == NULL, "burst 0 refused");
	rate_limiter_free(NULL);
}

static void test_bounded(void)
{
	struct rate_limiter *l = rate_limiter_new(60, 2, 64);
	struct rate_key k, flood = key("198.51.100.9");
	int64_t t = 5000 * SEC;
	int fresh_ok = 0;

	/* Far more addresses than slots: the table stays its size. */
	for (unsigned i = 0; i < 20000; i++) {
		memset(&k, 0, sizeof(k));
		k.b[10] = k.b[11] = 0xff;
		memcpy(k.b + 12, &i, sizeof(i));
		if (rate_limiter_take(l, &k, t, NULL) == 0)
			fresh_ok++;
	}
	is_int(fresh_ok, 20000, "every new address gets its burst");
	/*
	 * An address that keeps flooding stays refused: its bucket is the
	 * furthest from full in its probe window, so it is the last one a
	 * newcomer replaces.
	 */
	rate_limiter_take(l, &flood, t, NULL);
	rate_limiter_take(l, &flood, t, NULL);
	for (int i = 0; i < 50; i++)
		rate_limiter_take(l, &flood, t, NULL);
	ok(rate_limiter_take(l, &flood, t, NULL) > 0, "flooder refused");
	for (unsigned i = 0; i < 1000; i++) {
		memset(&k, 0, sizeof(k));
		k.b[0] = 0x20;
		memcpy(k.b + 4, &i, sizeof(i));
		rate_limiter_take(l, &k, t, NULL);
	}
	ok(rate_limiter_take(l, &flood, t, NULL) > 0,
	   "flooder still refused after 1,000 newcomers");
	rate_limiter_free(l);
}

struct hammer {
	struct rate_limiter *l;
	int allowed;
};

static void *hammer_run(void *arg)
{
	struct hammer *h = arg;
	struct rate_key k = key("192.0.2.77");
	for (int i = 0; i < 20000; i++)
		if (rate_limiter_take(h->l, &k, 77 * SEC, NULL) == 0)
			h->allowed++;
	return NULL;
}

static void test_threads(void)
{
	struct hammer h[4];
	pthread_t th[4];
	struct rate_limiter *l = rate_limiter_new(600, 50, 1024);
	int total = 0;

	for (int i = 0; i < 4; i++) {
		h[i].l = l;
		h[i].allowed = 0;
		pthread_create(&th[i], NULL, hammer_run, &h[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		total += h[i].allowed;
	}
	is_int(total, 50, "four threads at one instant share one burst");
	rate_limiter_free(l);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	test_keys();
	test_bucket();
	test_bounded();
	test_threads();
	return done_testing("ratelimit");
}
