/* server.h: the libmicrohttpd daemon and the request lifecycle */
#ifndef HTTP_SERVER_H
#define HTTP_SERVER_H

#include <stddef.h>
#include <stdint.h>

struct app;
struct http_server;

/*
 * Starts listening on app->cfg.listen with a pool of app->cfg.threads
 * (0: two per core) epoll threads. Returns NULL with err filled.
 */
struct http_server *http_server_start(struct app *app, char *err,
				      size_t errlen);

/* The HTTP worker threads for the threads setting (0: two per core). */
unsigned http_worker_threads(int64_t configured);

/* Returns the bound port (useful when listening on port 0). */
uint16_t http_server_port(struct http_server *s);

/*
 * Stops accepting connections, lets requests in flight finish (waiting
 * at most grace_ms), then stops the daemon and frees it.
 */
void http_server_stop(struct http_server *s, int grace_ms);

#endif
