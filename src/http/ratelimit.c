/* ratelimit.c: a bounded table of GCRA buckets keyed by client address */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sodium.h>
#include "ratelimit.h"
#include "../util/banned.h"

/*
 * Shards keep the two worker threads (or 64) from queueing on one lock;
 * each request holds its shard's lock for a hash probe and two compares.
 */
#define SHARDS 16
#define PROBE 8
#define REPORT_EVERY_NS (10 * 1000000000LL)

struct slot {
	struct rate_key key;
	int64_t tat;	   /* the GCRA's theoretical arrival time */
	int64_t report_at; /* no refusal report before this */
	uint64_t refused;  /* refusals not reported yet */
	bool used;
};

struct shard {
	pthread_mutex_t lock;
	struct slot *slots;
};

struct rate_limiter {
	int64_t interval; /* ns between tokens */
	int64_t tau;	  /* how far ahead of now the bucket may run */
	size_t mask;	  /* slots per shard - 1 */
	/*
	 * A secret hash key: with a known hash, addresses chosen to land
	 * in one probe window could push a flooding address out of the
	 * table and give it a fresh, full bucket.
	 */
	unsigned char hkey[crypto_shorthash_KEYBYTES];
	struct shard shards[SHARDS];
};

static const unsigned char v4mapped[12] = { 0, 0, 0, 0, 0,    0,
					    0, 0, 0, 0, 0xff, 0xff };

void rate_key_from_bytes(const unsigned char b[16], struct rate_key *k)
{
	memcpy(k->b, b, 16);
	if (memcmp(k->b, v4mapped, 12))
		memset(k->b + 8, 0, 8);
}

int rate_key_parse(const char *text, struct rate_key *k)
{
	struct in_addr a4;
	struct in6_addr a6;

	memset(k, 0, sizeof(*k));
	if (inet_pton(AF_INET, text, &a4) == 1) {
		memcpy(k->b, v4mapped, 12);
		memcpy(k->b + 12, &a4, 4);
		return 0;
	}
	if (inet_pton(AF_INET6, text, &a6) == 1) {
		memcpy(k->b, &a6, 16);
		if (memcmp(k->b, v4mapped, 12))
			memset(k->b + 8, 0, 8);
		return 0;
	}
	return -1;
}

void rate_key_format(const struct rate_key *k, char *out, size_t n)
{
	char buf[INET6_ADDRSTRLEN];

	if (!memcmp(k->b, v4mapped, 12)) {
		if (!inet_ntop(AF_INET, k->b + 12, buf, sizeof(buf)))
			buf[0] = '\0';
		snprintf(out, n, "%s", buf);
		return;
	}
	if (!inet_ntop(AF_INET6, k->b, buf, sizeof(buf)))
		buf[0] = '\0';
	snprintf(out, n, "%s/64", buf);
}

struct rate_limiter *rate_limiter_new(int64_t per_minute, int64_t burst,
				      size_t entries)
{
	struct rate_limiter *l;
	size_t per = 4;

	if (per_minute < 1 || burst < 1 || per_minute > 60000000000LL ||
	    burst > 1000000)
		return NULL;
	while (per * SHARDS < entries && per < ((size_t)1 << 24))
		per <<= 1;
	l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->interval = 60000000000LL / per_minute;
	l->tau = (burst - 1) * l->interval;
	l->mask = per - 1;
	randombytes_buf(l->hkey, sizeof(l->hkey));
	for (int i = 0; i < SHARDS; i++) {
		l->shards[i].slots = calloc(per, sizeof(struct slot));
		if (!l->shards[i].slots ||
		    pthread_mutex_init(&l->shards[i].lock, NULL)) {
			free(l->shards[i].slots);
			l->shards[i].slots = NULL;
			rate_limiter_free(l);
			return NULL;
		}
	}
	return l;
}

void rate_limiter_free(struct rate_limiter *l)
{
	if (!l)
		return;
	for (int i = 0; i < SHARDS; i++) {
		if (!l->shards[i].slots)
			continue;
		pthread_mutex_destroy(&l->shards[i].lock);
		free(l->shards[i].slots);
	}
	free(l);
}

/*
 * The key's slot in the probe window, or a new one: an empty slot, else
 * one whose bucket is full again (forgetting it changes nothing), else
 * the one nearest to full.
 */
static struct slot *find(struct rate_limiter *l, struct shard *sh, uint64_t h,
			 const struct rate_key *k, int64_t now)
{
	struct slot *victim = NULL;

	for (size_t i = 0; i < PROBE; i++) {
		struct slot *s = &sh->slots[(h + i) & l->mask];
		if (!s->used) {
			if (!victim || victim->used)
				victim = s;
			continue;
		}
		if (!memcmp(s->key.b, k->b, sizeof(k->b)))
			return s;
		if (!victim || (victim->used && s->tat < victim->tat))
			victim = s;
	}
	victim->key = *k;
	victim->tat = now;
	victim->report_at = 0;
	victim->refused = 0;
	victim->used = true;
	return victim;
}

int64_t rate_limiter_take(struct rate_limiter *l, const struct rate_key *k,
			  int64_t now_ns, uint64_t *log_refused)
{
	uint64_t h;
	struct shard *sh;
	struct slot *s;
	int64_t tat, wait = 0;

	if (log_refused)
		*log_refused = 0;
	crypto_shorthash((unsigned char *)&h, k->b, sizeof(k->b), l->hkey);
	sh = &l->shards[h % SHARDS];
	h /= SHARDS;
	pthread_mutex_lock(&sh->lock);
	s = find(l, sh, h, k, now_ns);
	tat = s->tat > now_ns ? s->tat : now_ns;
	if (tat - now_ns > l->tau) {
		/* A refusal takes no token: a client that waits gets in. */
		wait = tat - now_ns - l->tau;
		s->refused++;
		if (now_ns >= s->report_at) {
			if (log_refused)
				*log_refused = s->refused;
			s->refused = 0;
			s->report_at = now_ns + REPORT_EVERY_NS;
		}
	} else {
		s->tat = tat + l->interval;
	}
	pthread_mutex_unlock(&sh->lock);
	return wait;
}
