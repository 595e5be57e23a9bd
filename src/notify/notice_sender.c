/* notice_sender.c: SMS notices leave the request path through a queue */
#include <pthread.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "notice_sender.h"
#include "sms.h"
#include "../crypto/crypto.h"
#include "../store/messages.h"
#include "../store/pool.h"
#include "../util/clock.h"
#include "../util/log.h"
#include "../util/banned.h"

#define POLL_SECONDS 5
#define MAX_ATTEMPTS 3
#define BATCH 100

struct notice_sender {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	bool kicked;
	struct db_pool *pool;
	struct sms_provider *sms;
};

/* Sends one claimed notice and records what happened. */
static void send_one(struct notice_sender *s, struct db *db,
		     struct sms_notice_row *n)
{
	struct sms_result res;
	size_t len = 0, plen = 0;
	char *text = cr_open(n->sealed_text, &len);
	char *phone = cr_open(n->phone_sealed, &plen);
	int64_t now = clock_now(), retry = 0;
	int rc;

	if (!text || !phone) {
		memset(&res, 0, sizeof(res));
		snprintf(res.provider_code, sizeof(res.provider_code),
			 "unseal");
		snprintf(res.message, sizeof(res.message),
			 "cannot open the sealed text or number");
		rc = -1;
	} else {
		rc = sms_send_notice(s->sms, db, phone, text, &res);
	}
	if (phone)
		memset(phone, 0, plen);
	free(phone);
	free(text);
	if (rc == 0) {
		log_info("sms notice %lld (%s) sent to user %lld",
			 (long long)n->id, n->event, (long long)n->user_id);
	} else {
		if (res.retryable && n->attempts < MAX_ATTEMPTS)
			retry = now + 60 * n->attempts;
		log_warn("sms notice %lld (%s) to user %lld failed: %s: %s%s",
			 (long long)n->id, n->event, (long long)n->user_id,
			 res.provider_code, res.message,
			 retry ? " (will retry)" : "");
	}
	if (store_sms_notice_done(db, n->id, rc == 0,
				  rc == 0 ? NULL : res.provider_code, retry,
				  now) < 0)
		log_error("sms notice %lld: cannot record the outcome: %s",
			  (long long)n->id, db_errmsg(db));
}

static void drain(struct notice_sender *s)
{
	struct db *db = db_pool_get(s->pool, 1000);

	if (!db)
		return;
	for (int i = 0; i < BATCH; i++) {
		struct sms_notice_row n;
		int rc = store_sms_notice_claim(db, clock_now(), &n);
		if (rc <= 0) {
			if (rc < 0)
				log_error("sms notices: cannot claim: %s",
					  db_errmsg(db));
			break;
		}
		send_one(s, db, &n);
		sms_notice_row_release(&n);
		pthread_mutex_lock(&s->mu);
		if (s->stop)
			i = BATCH;
		pthread_mutex_unlock(&s->mu);
	}
	db_pool_put(s->pool, db);
}

static void *run(void *arg)
{
	struct notice_sender *s = arg;

	for (;;) {
		struct timespec until;
		bool stop;

		pthread_mutex_lock(&s->mu);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += POLL_SECONDS;
		while (!s->stop && !s->kicked)
			if (pthread_cond_timedwait(&s->cv, &s->mu, &until))
				break;
		s->kicked = false;
		stop = s->stop;
		pthread_mutex_unlock(&s->mu);
		if (stop)
			break;
		drain(s);
	}
	return NULL;
}

struct notice_sender *notice_sender_start(struct db_pool *pool,
					  struct sms_provider *sms)
{
	struct notice_sender *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->pool = pool;
	s->sms = sms;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (pthread_create(&s->thread, NULL, run, s)) {
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->cv);
		free(s);
		return NULL;
	}
	return s;
}

void notice_sender_kick(struct notice_sender *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	s->kicked = true;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

void notice_sender_stop(struct notice_sender *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	s->stop = true;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s);
}
