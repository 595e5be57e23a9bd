/* test_clientaddr.c: trusted_proxies and the X-Forwarded-For walk */
#include <netinet/in.h>
#include <sys/socket.h>
#include "harness.h"
#include "http/clientaddr.h"

static struct client_addr addr(const char *text)
{
	struct client_addr a;
	if (client_addr_parse(text, strlen(text), &a) < 0)
		printf("not ok - cannot parse %s\n", text);
	return a;
}

/* The client as text, for a peer and X-Forwarded-For values. */
static const char *who(const struct proxy_list *l, const char *peer,
		       const char *const *xff, size_t n)
{
	static char out[64];
	struct client_addr p = addr(peer);
	struct client_addr c = client_addr_resolve(l, &p, xff, n);
	client_addr_format(&c, out, sizeof(out));
	return out;
}

static void test_parse(void)
{
	char err[256];
	struct proxy_list *l;
	struct client_addr a;

	l = proxy_list_parse("", err, sizeof(err));
	ok(l && proxy_list_empty(l), "empty text, empty list");
	a = addr("127.0.0.1");
	ok(!proxy_list_has(l, &a), "an empty list trusts nobody");
	proxy_list_free(l);

	l = proxy_list_parse(" 127.0.0.1,10.0.0.0/8  2001:db8::/32,\t"
			     "192.168.1.77/24",
			     err, sizeof(err));
	ok(l && !proxy_list_empty(l), "list parsed: %s", err);
	a = addr("127.0.0.1");
	ok(proxy_list_has(l, &a), "single address");
	a = addr("127.0.0.2");
	ok(!proxy_list_has(l, &a), "its neighbour is not");
	a = addr("10.255.1.2");
	ok(proxy_list_has(l, &a), "inside /8");
	a = addr("11.0.0.1");
	ok(!proxy_list_has(l, &a), "outside /8");
	a = addr("192.168.1.3");
	ok(proxy_list_has(l, &a), "host bits of a block are ignored");
	a = addr("192.168.2.3");
	ok(!proxy_list_has(l, &a), "outside /24");
	a = addr("2001:db8:ffff::1");
	ok(proxy_list_has(l, &a), "inside the v6 /32");
	a = addr("2001:db9::1");
	ok(!proxy_list_has(l, &a), "outside the v6 /32");
	a = addr("::ffff:10.1.1.1");
	ok(proxy_list_has(l, &a), "v4-mapped v6 is the v4 address");
	proxy_list_free(l);

	l = proxy_list_parse("0.0.0.0/0", err, sizeof(err));
	a = addr("203.0.113.1");
	ok(l && proxy_list_has(l, &a), "/0 holds every v4 address");
	a = addr("2001:db8::1");
	ok(l && !proxy_list_has(l, &a), "but no v6 one");
	proxy_list_free(l);

	ok(!proxy_list_parse("10.0.0.0/33", err, sizeof(err)),
	   "v4 prefix over 32");
	is_str(err,
	       "trusted_proxies: '10.0.0.0/33' is not an IP address or CIDR "
	       "block",
	       "the message names the entry");
	ok(!proxy_list_parse("2001:db8::/129", err, sizeof(err)),
	   "v6 prefix over 128");
	ok(!proxy_list_parse("10.0.0.0/", err, sizeof(err)), "empty prefix");
	ok(!proxy_list_parse("10.0.0.0/x", err, sizeof(err)), "bad prefix");
	ok(!proxy_list_parse("proxy.internal", err, sizeof(err)), "a name");
	ok(!proxy_list_parse("10.0.0.1;", err, sizeof(err)), "junk");
}

static void test_resolve(void)
{
	char err[256];
	struct proxy_list *l =
		proxy_list_parse("127.0.0.1, 10.0.0.0/8", err, sizeof(err));
	const char *one[] = { "198.51.100.7" };
	const char *chain[] = { "203.0.113.9, 198.51.100.7, 10.0.0.5" };
	const char *two[] = { "203.0.113.9", "198.51.100.7 , 10.0.0.5" };
	const char *bad[] = { "198.51.100.7, junk, 10.0.0.5" };
	const char *trusted[] = { "10.0.0.9, 10.0.0.5" };
	const char *empties[] = { "198.51.100.7,, ,10.0.0.5," };
	const char *port[] = { "198.51.100.7:4711" };

	is_str(who(l, "198.51.100.50", one, 1), "198.51.100.50",
	       "an untrusted peer is the client, whatever it sends");
	is_str(who(l, "127.0.0.1", NULL, 0), "127.0.0.1",
	       "a proxy without the header is the client");
	is_str(who(l, "127.0.0.1", one, 1), "198.51.100.7", "one hop");
	is_str(who(l, "127.0.0.1", chain, 1), "198.51.100.7",
	       "the rightmost untrusted entry, not the client-written left");
	is_str(who(l, "127.0.0.1", two, 2), "198.51.100.7",
	       "several headers read as one list");
	is_str(who(l, "127.0.0.1", bad, 1), "10.0.0.5",
	       "a malformed entry stops at the last trusted hop");
	is_str(who(l, "127.0.0.1", trusted, 1), "10.0.0.9",
	       "all trusted: the leftmost");
	is_str(who(l, "127.0.0.1", empties, 1), "198.51.100.7",
	       "empty elements are skipped");
	is_str(who(l, "127.0.0.1", port, 1), "127.0.0.1",
	       "an entry with a port is malformed");
	proxy_list_free(l);
}

static void test_sockaddr(void)
{
	struct sockaddr_in in4;
	struct sockaddr other = { 0 };
	struct client_addr a, b;
	char out[64];

	memset(&in4, 0, sizeof(in4));
	in4.sin_family = AF_INET;
	in4.sin_addr.s_addr = htonl(0xcb007107); /* 203.0.113.7 */
	ok(!client_addr_from_sockaddr((struct sockaddr *)&in4, &a), "v4");
	b = addr("203.0.113.7");
	ok(!memcmp(a.b, b.b, 16), "same as the literal");
	client_addr_format(&a, out, sizeof(out));
	is_str(out, "203.0.113.7", "formatted");
	b = addr("2001:db8::5");
	client_addr_format(&b, out, sizeof(out));
	is_str(out, "2001:db8::5", "v6 formatted");
	other.sa_family = AF_UNIX;
	ok(client_addr_from_sockaddr(&other, &a) < 0, "other family");
}

int main(void)
{
	test_parse();
	test_resolve();
	test_sockaddr();
	return done_testing("clientaddr");
}
