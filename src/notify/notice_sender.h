/* notice_sender.h: the thread that sends queued SMS notices */
#ifndef NOTIFY_NOTICE_SENDER_H
#define NOTIFY_NOTICE_SENDER_H

struct db_pool;
struct sms_provider;
struct notice_sender;

/*
 * Starts the sender thread of this process. It sends the notices of the
 * sms_notices table through the provider, oldest first: when kicked, and
 * every few seconds in any case (another process may have queued them).
 * A retryable failure is tried again after 1 and then 2 minutes; after
 * the third attempt, or a failure that is not retryable, the notice is
 * marked failed. A decision never waits for it. Returns NULL when the
 * thread cannot be started. cr_init() must have been done.
 */
struct notice_sender *notice_sender_start(struct db_pool *pool,
					  struct sms_provider *sms);

/* Wakes the thread now (after a decision queued a notice). NULL is fine. */
void notice_sender_kick(struct notice_sender *s);

/*
 * Stops the thread, letting a message being sent finish (at most
 * sms_timeout seconds), and frees it. NULL is fine.
 */
void notice_sender_stop(struct notice_sender *s);

#endif
