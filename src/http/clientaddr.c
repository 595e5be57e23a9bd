/* clientaddr.c: the client's address, and X-Forwarded-For from trusted hops */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "clientaddr.h"
#include "../util/banned.h"

#define MAX_BLOCKS 64
#define MAX_HOPS 32

struct block {
	struct client_addr net;
	int bits; /* prefix length over the 128-bit form */
};

struct proxy_list {
	int n;
	struct block b[MAX_BLOCKS];
};

static const unsigned char v4mapped[12] = { 0, 0, 0, 0, 0,    0,
					    0, 0, 0, 0, 0xff, 0xff };

int client_addr_from_sockaddr(const struct sockaddr *sa, struct client_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (sa && sa->sa_family == AF_INET) {
		const struct sockaddr_in *in =
			(const struct sockaddr_in *)(const void *)sa;
		memcpy(a->b, v4mapped, 12);
		memcpy(a->b + 12, &in->sin_addr, 4);
		return 0;
	}
	if (sa && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 =
			(const struct sockaddr_in6 *)(const void *)sa;
		memcpy(a->b, &in6->sin6_addr, 16);
		return 0;
	}
	return -1;
}

int client_addr_parse(const char *text, size_t n, struct client_addr *a)
{
	char buf[INET6_ADDRSTRLEN];
	struct in_addr a4;

	memset(a, 0, sizeof(*a));
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, text, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, &a4) == 1) {
		memcpy(a->b, v4mapped, 12);
		memcpy(a->b + 12, &a4, 4);
		return 0;
	}
	return inet_pton(AF_INET6, buf, a->b) == 1 ? 0 : -1;
}

void client_addr_format(const struct client_addr *a, char *out, size_t n)
{
	char buf[INET6_ADDRSTRLEN];
	const char *ok;

	if (!memcmp(a->b, v4mapped, 12))
		ok = inet_ntop(AF_INET, a->b + 12, buf, sizeof(buf));
	else
		ok = inet_ntop(AF_INET6, a->b, buf, sizeof(buf));
	snprintf(out, n, "%s", ok ? buf : "unknown");
}

static bool in_block(const struct block *blk, const struct client_addr *a)
{
	int full = blk->bits / 8, rest = blk->bits % 8;

	if (memcmp(blk->net.b, a->b, (size_t)full))
		return false;
	if (rest) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));
		if ((blk->net.b[full] & mask) != (a->b[full] & mask))
			return false;
	}
	return true;
}

struct proxy_list *proxy_list_parse(const char *text, char *err, size_t errlen)
{
	struct proxy_list *l = calloc(1, sizeof(*l));
	const char *p = text;

	if (!l) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	while (*p) {
		size_t n = strcspn(p, ", \t");
		const char *slash;
		struct block blk;
		size_t alen;

		if (n == 0) {
			p++;
			continue;
		}
		slash = memchr(p, '/', n);
		alen = slash ? (size_t)(slash - p) : n;
		if (client_addr_parse(p, alen, &blk.net) < 0)
			goto bad;
		blk.bits = 128;
		if (slash) {
			int v4 = !memcmp(blk.net.b, v4mapped, 12);
			int max = v4 ? 32 : 128, bits = 0;
			size_t dl = n - alen - 1;
			if (dl < 1 || dl > 3)
				goto bad;
			for (size_t i = 0; i < dl; i++) {
				char c = slash[1 + i];
				if (c < '0' || c > '9')
					goto bad;
				bits = bits * 10 + (c - '0');
			}
			if (bits > max)
				goto bad;
			blk.bits = v4 ? 96 + bits : bits;
			/* The address's bits past the prefix do not count. */
			for (int i = blk.bits; i < 128; i++)
				blk.net.b[i / 8] &=
					(unsigned char)~(0x80 >> (i % 8));
		}
		if (l->n == MAX_BLOCKS) {
			snprintf(err, errlen,
				 "trusted_proxies: more than %d entries",
				 MAX_BLOCKS);
			free(l);
			return NULL;
		}
		l->b[l->n++] = blk;
		p += n;
		continue;
bad:
		snprintf(err, errlen,
			 "trusted_proxies: '%.*s' is not an IP address or "
			 "CIDR block",
			 (int)(n > 64 ? 64 : n), p);
		free(l);
		return NULL;
	}
	return l;
}

void proxy_list_free(struct proxy_list *l)
{
	free(l);
}

bool proxy_list_empty(const struct proxy_list *l)
{
	return !l || l->n == 0;
}

bool proxy_list_has(const struct proxy_list *l, const struct client_addr *a)
{
	if (!l)
		return false;
	for (int i = 0; i < l->n; i++)
		if (in_block(&l->b[i], a))
			return true;
	return false;
}

struct client_addr client_addr_resolve(const struct proxy_list *l,
				       const struct client_addr *peer,
				       const char *const *xff, size_t nxff)
{
	struct client_addr cur = *peer;
	int hops = 0;

	if (!proxy_list_has(l, &cur))
		return cur;
	for (size_t h = nxff; h-- > 0;) {
		const char *v = xff[h];
		size_t end = strlen(v);

		/* Entries from the right: "client, proxy1, proxy2". */
		while (end > 0) {
			size_t start = end, a, b;
			struct client_addr next;

			while (start > 0 && v[start - 1] != ',')
				start--;
			a = start;
			b = end;
			while (a < b && (v[a] == ' ' || v[a] == '\t'))
				a++;
			while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t'))
				b--;
			end = start ? start - 1 : 0;
			if (a == b) /* an empty element, as RFC 7230 allows */
				continue;
			if (++hops > MAX_HOPS ||
			    client_addr_parse(v + a, b - a, &next) < 0)
				return cur;
			cur = next;
			if (!proxy_list_has(l, &cur))
				return cur;
		}
	}
	return cur;
}
