/* tarpit.h: refusals of a flooding address answered after a delay */
#ifndef HTTP_TARPIT_H
#define HTTP_TARPIT_H

#include <stdbool.h>
#include <stdint.h>

struct MHD_Connection;
struct tarpit;

/*
 * A client that keeps sending past its auth_rate_limit gets each 429
 * only after delay_ms. Its connection is suspended meanwhile (no thread
 * waits, no CPU), so a client that waits for answers, as a flood
 * over keep-alive connections does, makes at most one request a
 * connection per delay, and the refusals cost that much less. At most
 * max connections are held at once; past that a refusal goes out at
 * once. Returns NULL when out of resources.
 */
struct tarpit *tarpit_start(int delay_ms, int max);

/*
 * Called from the access handler: suspends c and resumes it after the
 * delay (the handler is then called again and answers). Returns false,
 * having done nothing, when the tarpit is full or stopping.
 */
bool tarpit_hold(struct tarpit *t, struct MHD_Connection *c, int64_t now_ns);

/*
 * Resumes every held connection at once and stops holding new ones. Must
 * run before MHD_stop_daemon (suspended connections may not outlive the
 * daemon) and after the daemon stopped accepting; NULL is ignored.
 */
void tarpit_stop(struct tarpit *t);

/* Frees a stopped tarpit (NULL is ignored). */
void tarpit_free(struct tarpit *t);

#endif
