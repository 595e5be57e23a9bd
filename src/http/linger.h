/* linger.h: lingering close for connections answered before their body */
#ifndef HTTP_LINGER_H
#define HTTP_LINGER_H

struct lingerer;

/*
 * A refusal sent on the headers (413, 415, 401 ...) arrives while the
 * client is still sending its body. Closing such a socket with unread
 * data makes the kernel send a reset, and a reset that overtakes the
 * answer makes the client drop it: the user sees "connection reset"
 * instead of "文件过大". A lingerer keeps a duplicate of the socket open,
 * half-closed for writing, and reads and drops what still comes for a
 * bounded time, so the answer is read first.
 *
 * max_sockets bounds how many connections linger at once (beyond it a
 * socket is closed at once, as before); linger_ms bounds each one.
 */
struct lingerer *linger_start(int max_sockets, int linger_ms);

/* Takes over a duplicate of fd; fd itself stays the caller's. */
void linger_add(struct lingerer *l, int fd);

/* Closes every lingering socket and stops the thread. */
void linger_stop(struct lingerer *l);

#endif
