/* ratelimit.h: per-client-address token buckets, checked on the headers */
#ifndef HTTP_RATELIMIT_H
#define HTTP_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A client address as a bucket key: IPv4 as ::ffff:a.b.c.d, IPv6 cut to
 * its /64 (one subscriber usually holds a whole /64, so keying the full
 * address would hand an attacker 2^64 fresh buckets).
 */
struct rate_key {
	unsigned char b[16];
};

/* Fills *k from an address in the 16-byte form (IPv4 as ::ffff:a.b.c.d). */
void rate_key_from_bytes(const unsigned char b[16], struct rate_key *k);

/* Parses an IPv4 or IPv6 literal into *k (as above). Returns 0 or -1. */
int rate_key_parse(const char *text, struct rate_key *k);

/* Writes the key as an address ("203.0.113.7", "2001:db8::/64"). */
void rate_key_format(const struct rate_key *k, char *out, size_t n);

struct rate_limiter;

/*
 * Creates a table of token buckets: each key may make `burst` requests at
 * once and then `per_minute` a minute (a GCRA, one timestamp a key).
 * `entries` bounds the memory (rounded up to a power of two, at least
 * 64); when the table is full a key whose bucket has refilled is reused
 * first (nothing is lost), else the one closest to full. Returns NULL
 * when out of memory or per_minute or burst is below 1.
 */
struct rate_limiter *rate_limiter_new(int64_t per_minute, int64_t burst,
				      size_t entries);

/* Frees the table (NULL is ignored). */
void rate_limiter_free(struct rate_limiter *l);

/*
 * What rate_limiter_take says about one request from a key: 0 when it
 * may go ahead (and a token was taken), otherwise the nanoseconds until
 * the next token. `log_refused`, when not NULL, is set to the number of
 * refusals to report now for this key (the first, then at most one
 * report every 10 seconds with the refusals since the last), 0 when
 * nothing needs logging: a flood must not write a log line a request.
 */
int64_t rate_limiter_take(struct rate_limiter *l, const struct rate_key *k,
			  int64_t now_ns, uint64_t *log_refused);

#endif
