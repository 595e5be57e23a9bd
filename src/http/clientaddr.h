/* clientaddr.h: who the client is, through the proxies we trust */
#ifndef HTTP_CLIENTADDR_H
#define HTTP_CLIENTADDR_H

#include <stdbool.h>
#include <stddef.h>

struct sockaddr;

/* An IPv4 (as ::ffff:a.b.c.d) or IPv6 address. */
struct client_addr {
	unsigned char b[16];
};

/* Fills *a from a socket address. Returns 0, or -1 (zeros) otherwise. */
int client_addr_from_sockaddr(const struct sockaddr *sa, struct client_addr *a);

/*
 * Parses an IPv4 or IPv6 literal of n bytes (no brackets, no port).
 * Returns 0 or -1.
 */
int client_addr_parse(const char *text, size_t n, struct client_addr *a);

/* Writes the address as text ("203.0.113.7", "2001:db8::1"). */
void client_addr_format(const struct client_addr *a, char *out, size_t n);

struct proxy_list;

/*
 * Parses the trusted_proxies setting: addresses and CIDR blocks separated
 * by commas or spaces ("127.0.0.1, 10.0.0.0/8, 2001:db8::/32"). An empty
 * text gives an empty list. Returns a list the caller frees with
 * proxy_list_free(), or NULL with a message in err.
 */
struct proxy_list *proxy_list_parse(const char *text, char *err, size_t errlen);

void proxy_list_free(struct proxy_list *l);

/* Whether the list is empty (X-Forwarded-For is then never read). */
bool proxy_list_empty(const struct proxy_list *l);

/* Whether a is inside one of the list's blocks. */
bool proxy_list_has(const struct proxy_list *l, const struct client_addr *a);

/*
 * The client behind a chain of trusted proxies. `peer` is the TCP peer;
 * `xff` the X-Forwarded-For values in the order received (nxff of them).
 * When the peer is a trusted proxy, the entries are read from the right
 * (the hop nearest to us) and the first address that is not a trusted
 * proxy is the client; every hop but that one was appended by a proxy
 * we trust, while anything to its left the client could have written.
 * A malformed entry ends the walk at the last trusted hop; a chain of
 * trusted proxies only ends at its leftmost entry. At most 32 entries
 * are read. An untrusted peer is the client, whatever it sends.
 */
struct client_addr client_addr_resolve(const struct proxy_list *l,
				       const struct client_addr *peer,
				       const char *const *xff, size_t nxff);

#endif
