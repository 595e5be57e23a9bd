/* serve.c: `saiwu serve` runs the HTTP server until SIGTERM or SIGINT */
#include <pthread.h>
#include <stdlib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "../app.h"
#include "../api/api.h"
#include "../api/catalog_cache.h"
#include "../api/errors.h"
#include "../api/attachments.h"
#include "../api/exports.h"
#include "../captcha/captcha.h"
#include "../docs/pdf.h"
#include "../files/blob.h"
#include "../files/scan.h"
#include "../domain/form.h"
#include <sodium.h>
#include "../notify/notice_sender.h"
#include "../notify/sms.h"
#include "../http/metrics.h"
#include "../http/server.h"
#include "../store/catalog.h"
#include "../store/db.h"
#include "../store/pool.h"
#include "../store/writer.h"
#include "../util/log.h"
#include "../util/banned.h"

#define SHUTDOWN_GRACE_MS 15000

/* Writes per group commit at most: one slow batch must not grow without end. */
#define WRITER_MAX_BATCH 256

static int prepare_database(struct config *cfg)
{
	struct db *db = cmd_open_store(cfg);
	int count, rc = 0;

	if (!db)
		return -1;
	/* A fresh database gets the catalog so the portal is never empty. */
	count = store_catalog_count(db);
	if (count == 0) {
		struct catalog_import_stats st;
		char err[1024];
		if (catalog_import_dir(db, cfg->catalog_dir, &st, err,
				       sizeof(err)) < 0) {
			fprintf(stderr, "saiwu: %s\n", err);
			rc = -1;
		} else {
			log_info("catalog imported from %s: %d sub-contests",
				 cfg->catalog_dir, st.competitions);
		}
	} else if (count < 0) {
		fprintf(stderr, "saiwu: %s\n", db_errmsg(db));
		rc = -1;
	}
	db_close(db);
	return rc;
}

static void release(struct app *app)
{
	/* Before anything they use: the pool, the blob store. */
	export_jobs_stop();
	/* First: it uses the pool and the provider freed below. */
	notice_sender_stop(app->notices);
	app->notices = NULL;
	catalog_cache_free(app->catalog);
	metrics_free(app->metrics);
	/* Commits what is queued; the workers that wait on it are gone. */
	db_writer_stop(app->writer);
	db_pool_free(app->pool);
	sms_provider_free(app->sms);
	free(app->agreement);
	form_schema_free(app->form);
	attachments_free(app->slots);
	blob_store_free(app->blobs);
	scanner_free(app->scanner);
	free(app->form_text);
	captcha_shutdown();
	/* Last: the worker threads that drew PDFs have ended by now. */
	xp_pdf_shutdown();
}

/*
 * Loads the application form and the industry list it checks codes
 * against; a broken schema stops start-up with its path named.
 */
static int load_form(struct app *app, char *err, size_t errlen)
{
	char path[600], why[300];
	json_error_t jerr;
	json_t *schema, *industries;
	unsigned char h[16];

	snprintf(path, sizeof(path), "%s/data/gbt4754-2017.json",
		 app->cfg.catalog_dir);
	industries = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!industries) {
		snprintf(err, errlen, "%s: %s", path, jerr.text);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/forms/2026.json",
		 app->cfg.catalog_dir);
	schema = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!schema) {
		json_decref(industries);
		snprintf(err, errlen, "%s:%d: %s", path, jerr.line, jerr.text);
		return -1;
	}
	app->form = form_schema_load(schema, industries, why, sizeof(why));
	json_decref(industries);
	if (!app->form) {
		json_decref(schema);
		snprintf(err, errlen, "%s: %s", path, why);
		return -1;
	}
	if (attachments_load(app, schema, why, sizeof(why)) < 0) {
		json_decref(schema);
		snprintf(err, errlen, "%s: %s", path, why);
		return -1;
	}
	app->form_text = json_dumps(schema, JSON_COMPACT);
	json_decref(schema);
	if (!app->form_text) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	crypto_generichash(h, sizeof(h), (const unsigned char *)app->form_text,
			   strlen(app->form_text), NULL, 0);
	app->form_etag[0] = '"';
	for (int i = 0; i < 16; i++)
		snprintf(app->form_etag + 1 + 2 * i, 3, "%02x", h[i]);
	app->form_etag[33] = '"';
	app->form_etag[34] = '\0';
	return 0;
}

/* Reads a small text file of the catalog; NULL when there is none. */
static char *load_text(const char *dir, const char *name)
{
	char path[700];
	FILE *f;
	char *text = NULL;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f) {
		log_warn("no %s: the agreement page will say so", path);
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && n < (1 << 20) &&
	    fseek(f, 0, SEEK_SET) == 0 && (text = malloc((size_t)n + 1))) {
		if (fread(text, 1, (size_t)n, f) != (size_t)n) {
			free(text);
			text = NULL;
		} else {
			text[n] = '\0';
		}
	}
	fclose(f);
	return text;
}

int cmd_serve(struct config *cfg, int argc, char **argv)
{
	struct app app;
	struct http_server *srv;
	char tmp[600], err[1024];
	sigset_t sigs;
	int sig = 0, pool_size;

	if (argc > 1 && !cmd_wants_help(argc, argv)) {
		fprintf(stderr,
			"saiwu: unknown argument '%s' (see saiwu serve "
			"--help)\n",
			argv[1]);
		return 2;
	}
	if (cmd_wants_help(argc, argv)) {
		printf("usage: saiwu serve [settings]\n\n"
		       "Applies migrations, imports the catalog into an empty "
		       "database, and serves\nthe API and the web app until "
		       "SIGTERM or SIGINT, then lets requests in\nflight "
		       "finish and exits 0.\n\n");
		config_print_help();
		return 0;
	}
	if (prepare_database(cfg) < 0 || cmd_init_keys(cfg) < 0)
		return 1;
	if (captcha_init() < 0) {
		fprintf(stderr, "saiwu: cannot set up the captcha fonts\n");
		return 1;
	}

	memset(&app, 0, sizeof(app));
	app.cfg = *cfg;
	app.routes = api_routes;
	app.nroutes = api_routes_count;
	app.render_error = api_render_error;
	/* Each worker thread may hold one connection, plus a few spare. */
	pool_size = (int)http_worker_threads(cfg->threads) * 2 + 2;
	app.pool = db_pool_new(config_database_url(cfg, tmp, sizeof(tmp)),
			       pool_size, err, sizeof(err));
	if (!app.pool) {
		fprintf(stderr, "saiwu: %s\n", err);
		return 1;
	}
	app.sms = sms_provider_new(cfg, err, sizeof(err));
	if (!app.sms) {
		fprintf(stderr, "saiwu: %s\n", err);
		goto fail;
	}
	app.blobs = blob_store_new(cfg, err, sizeof(err));
	if (!app.blobs) {
		fprintf(stderr, "saiwu: %s\n", err);
		goto fail;
	}
	/*
	 * Temp files of uploads cut short by a crash are never wanted, even
	 * a second old; an upload still being written by another process
	 * sharing the data directory holds its file's lock, which spares it.
	 */
	blob_sweep_tmp(app.blobs);
	if (attachments_sweep_intents(&app) < 0)
		log_warn("the stored files of cut-short uploads were not "
			 "checked; the next start tries again");
	app.scanner = scanner_new(cfg, err, sizeof(err));
	if (!app.scanner) {
		fprintf(stderr, "saiwu: %s\n", err);
		goto fail;
	}
	app.agreement = load_text(cfg->catalog_dir, "agreement.md");
	if (load_form(&app, err, sizeof(err)) < 0) {
		fprintf(stderr, "saiwu: %s\n", err);
		goto fail;
	}
	if (cfg->test_mode)
		log_warn("test_mode is on: /api/v1/test/* reveals captcha "
			 "answers and SMS codes");
	app.metrics = metrics_new(app.nroutes);
	app.catalog = catalog_cache_new(app.pool);
	if (!app.metrics || !app.catalog) {
		fprintf(stderr, "saiwu: cannot load the catalog\n");
		goto fail;
	}

	/* Worker threads inherit this mask, so only sigwait() sees these. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	app.notices = notice_sender_start(app.pool, app.sms);
	if (!app.notices) {
		fprintf(stderr, "saiwu: cannot start the SMS notice sender\n");
		goto fail;
	}
	/* Deletes export files past their retention, now and every while. */
	if (export_jobs_start(&app) < 0) {
		fprintf(stderr, "saiwu: cannot start the export sweeper\n");
		goto fail;
	}
	/*
	 * Group commit (SQLite): SQLite runs one write at a time anyway, so
	 * one writer thread with its own connection commits the draft saves
	 * that wait together, one fsync for all (docs/ARCHITECTURE.md).
	 * PostgreSQL commits concurrently on the pool's connections. Started
	 * after the signal mask, which its thread inherits.
	 */
	if (cfg->group_commit &&
	    !db_url_is_pg(config_database_url(cfg, tmp, sizeof(tmp)))) {
		app.writer = db_writer_start(
			config_database_url(cfg, tmp, sizeof(tmp)),
			WRITER_MAX_BATCH, err, sizeof(err));
		if (!app.writer) {
			fprintf(stderr, "saiwu: %s\n", err);
			goto fail;
		}
	}

	srv = http_server_start(&app, err, sizeof(err));
	if (!srv) {
		fprintf(stderr, "saiwu: %s\n", err);
		goto fail;
	}
	printf("saiwu listening on http://%s:%u (database: %s)\n",
	       cfg->listen_host, http_server_port(srv),
	       db_pool_driver(app.pool));
	fflush(stdout);
	log_info("serving on %s:%u", cfg->listen_host, http_server_port(srv));

	sigwait(&sigs, &sig);
	log_info("signal %d: finishing requests in flight", sig);
	http_server_stop(srv, SHUTDOWN_GRACE_MS);
	release(&app);
	log_info("stopped");
	return 0;
fail:
	release(&app);
	return 1;
}
