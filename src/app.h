/* app.h: what every layer shares for the life of the process */
#ifndef APP_H
#define APP_H

#include <stddef.h>
#include "config.h"

struct db_pool;
struct db_writer;
struct route;
struct req;
struct metrics;
struct catalog_cache;
struct sms_provider;
struct form_schema;
struct slot_table;
struct blob_store;
struct scanner;
struct notice_sender;

struct app {
	struct config cfg;
	struct db_pool *pool;
	struct db_writer *writer; /* group commit (SQLite), or NULL */
	struct metrics *metrics;
	struct catalog_cache *catalog;
	struct sms_provider *sms;
	char *agreement; /* 平台服务协议, Markdown, from catalog_dir */
	struct form_schema *form; /* catalog/forms/2026.json, checked */
	char *form_text;	  /* the same, compact, as served */
	char form_etag[40];
	struct slot_table *slots;      /* attachment slots of the form */
	struct blob_store *blobs;      /* where uploaded files live */
	struct scanner *scanner;       /* virus scanning, or a pass-through */
	struct notice_sender *notices; /* sends queued SMS notices */
	const struct route *routes;
	size_t nroutes;
	/* Renders r->err as the JSON error body (api/errors.c). */
	void (*render_error)(struct req *r);
};

#endif
