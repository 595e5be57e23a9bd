/* linger.c: lingering close for connections answered before their body */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "linger.h"
#include "../util/log.h"

#define DRAIN_BUF (64u << 10)

struct lingering {
	int fd;
	int64_t deadline_ms;
};

struct lingerer {
	pthread_t thread;
	pthread_mutex_t mu;
	int ep;
	int wake;
	int max;
	int linger_ms;
	int n;
	struct lingering *socks;
	char *buf;
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Caller holds mu. */
static void drop_at(struct lingerer *l, int i)
{
	epoll_ctl(l->ep, EPOLL_CTL_DEL, l->socks[i].fd, NULL);
	close(l->socks[i].fd);
	l->socks[i] = l->socks[--l->n];
}

/* Reads and drops what is waiting; false once the peer is done or gone. */
static bool drain(struct lingerer *l, int fd)
{
	for (;;) {
		ssize_t got = read(fd, l->buf, DRAIN_BUF);
		if (got > 0)
			continue;
		if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		if (got < 0 && errno == EINTR)
			continue;
		return false;
	}
}

static void *run(void *arg)
{
	struct lingerer *l = arg;
	struct epoll_event ev[32];

	for (;;) {
		int n = epoll_wait(l->ep, ev, 32, 100);
		int64_t now = mono_ms();

		pthread_mutex_lock(&l->mu);
		for (int i = 0; i < n; i++) {
			if (ev[i].data.fd == l->wake) {
				pthread_mutex_unlock(&l->mu);
				return NULL;
			}
			if (drain(l, ev[i].data.fd))
				continue;
			for (int k = 0; k < l->n; k++)
				if (l->socks[k].fd == ev[i].data.fd) {
					drop_at(l, k);
					break;
				}
		}
		for (int k = l->n - 1; k >= 0; k--)
			if (l->socks[k].deadline_ms <= now)
				drop_at(l, k);
		pthread_mutex_unlock(&l->mu);
	}
}

struct lingerer *linger_start(int max_sockets, int linger_ms)
{
	struct lingerer *l = calloc(1, sizeof(*l));
	struct epoll_event ev = { .events = EPOLLIN };

	if (!l)
		return NULL;
	l->max = max_sockets;
	l->linger_ms = linger_ms;
	l->ep = epoll_create1(EPOLL_CLOEXEC);
	l->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	l->socks = calloc((size_t)max_sockets, sizeof(*l->socks));
	l->buf = malloc(DRAIN_BUF);
	pthread_mutex_init(&l->mu, NULL);
	ev.data.fd = l->wake;
	if (l->ep < 0 || l->wake < 0 || !l->socks || !l->buf ||
	    epoll_ctl(l->ep, EPOLL_CTL_ADD, l->wake, &ev) < 0 ||
	    pthread_create(&l->thread, NULL, run, l) != 0) {
		if (l->ep >= 0)
			close(l->ep);
		if (l->wake >= 0)
			close(l->wake);
		pthread_mutex_destroy(&l->mu);
		free(l->socks);
		free(l->buf);
		free(l);
		return NULL;
	}
	return l;
}

void linger_add(struct lingerer *l, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP };
	int dup;

	if (!l || fd < 0)
		return;
	pthread_mutex_lock(&l->mu);
	if (l->n >= l->max) {
		pthread_mutex_unlock(&l->mu);
		log_debug("linger: %d sockets already lingering", l->n);
		return;
	}
	dup = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (dup < 0) {
		pthread_mutex_unlock(&l->mu);
		return;
	}
	/* The answer is all written: the client gets it, then our FIN. */
	shutdown(dup, SHUT_WR);
	ev.data.fd = dup;
	if (fcntl(dup, F_SETFL, fcntl(dup, F_GETFL) | O_NONBLOCK) < 0 ||
	    epoll_ctl(l->ep, EPOLL_CTL_ADD, dup, &ev) < 0) {
		close(dup);
		pthread_mutex_unlock(&l->mu);
		return;
	}
	l->socks[l->n].fd = dup;
	l->socks[l->n].deadline_ms = mono_ms() + l->linger_ms;
	l->n++;
	pthread_mutex_unlock(&l->mu);
}

void linger_stop(struct lingerer *l)
{
	uint64_t one = 1;

	if (!l)
		return;
	if (write(l->wake, &one, sizeof(one)) != (ssize_t)sizeof(one))
		log_warn("linger: cannot wake the thread");
	pthread_join(l->thread, NULL);
	while (l->n > 0)
		drop_at(l, l->n - 1);
	close(l->wake);
	close(l->ep);
	pthread_mutex_destroy(&l->mu);
	free(l->socks);
	free(l->buf);
	free(l);
}
