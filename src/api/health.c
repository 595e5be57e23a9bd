/* health.c: liveness with a real database round trip, and metrics */
#include <string.h>
#include "api.h"
#include "../app.h"
#include "../http/metrics.h"
#include "../store/pool.h"
#include "../store/writer.h"
#include "../util/log.h"
#include "../util/banned.h"

int api_health_get(struct req *r)
{
	struct db *db = db_pool_get(r->app->pool, 2000);
	int64_t one = 0;
	json_t *body;
	int rc;

	if (!db)
		return req_fail(r, E_UNAVAILABLE, "database_unavailable",
				"数据库连接不可用");
	rc = db_query_int(db, "SELECT 1", 0, NULL, &one);
	if (rc != 1 || one != 1) {
		log_error("healthz: database check failed: %s", db_errmsg(db));
		db_pool_count_error(r->app->pool);
		db_pool_put(r->app->pool, db);
		return req_fail(r, E_UNAVAILABLE, "database_unavailable",
				"数据库不可用");
	}
	db_pool_put(r->app->pool, db);
	body = json_pack("{s:s, s:s, s:s}", "status", "ok", "database", "ok",
			 "driver", db_pool_driver(r->app->pool));
	rc = body ? resp_json(r, 200, body)
		  : req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	json_decref(body);
	return rc;
}

int api_metrics_get(struct req *r)
{
	struct buf out;
	unsigned long batches, writes;
	int rc;

	buf_init(&out, 4u << 20);
	db_writer_counts(r->app->writer, &batches, &writes);
	if (metrics_render(r->app->metrics, r->app->routes, r->app->nroutes,
			   db_pool_errors(r->app->pool), &out) < 0 ||
	    buf_printf(&out,
		       "# HELP saiwu_group_commit_batches_total Transactions "
		       "the group-commit writer committed.\n"
		       "# TYPE saiwu_group_commit_batches_total counter\n"
		       "saiwu_group_commit_batches_total %lu\n"
		       "# HELP saiwu_group_commit_writes_total Writes in "
		       "those transactions.\n"
		       "# TYPE saiwu_group_commit_writes_total counter\n"
		       "saiwu_group_commit_writes_total %lu\n",
		       batches, writes) < 0) {
		buf_release(&out);
		return req_fail(r, E_INTERNAL, "metrics_too_large", NULL);
	}
	rc = resp_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8",
			out.p ? out.p : "", out.len);
	buf_release(&out);
	return rc;
}
