/*
 * test_store.c: the driver interface, migrations and catalog import, on
 * SQLite always and on PostgreSQL when SAIWU_TEST_PG_URL names a fresh
 * database.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "harness.h"
#include "store/audit.h"
#include "store/catalog.h"
#include "store/messages.h"
#include "store/db.h"
#include "store/migrate.h"

static json_t *load(const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), "catalog/%s", name);
	return json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
}

static const char *col(struct db *db, const char *sql, int n,
		       const struct db_param *p, char *out, size_t len)
{
	struct db_rows *r = db_query(db, sql, n, p);
	out[0] = '\0';
	if (r && db_next(r) == 1) {
		const char *s = db_col_text(r, 0, NULL);
		snprintf(out, len, "%s", s ? s : "(null)");
	}
	db_rows_free(r);
	return out;
}

/* The SMS notice queue and the audit log (migration 0006). */
static void console_suite(struct db *db, const char *name)
{
	struct sms_notice_row n;
	int64_t uid = 0, total = 0;
	json_t *counts, *list;

	ok(db_query_int(db,
			"INSERT INTO users (account, account_lower, phone_hash, "
			"phone_sealed, phone_masked, created_at, updated_at) "
			"VALUES ('notice', 'notice', 'h1', 'sealed-phone', "
			"'138****0000', 0, 0) RETURNING id",
			0, NULL, &uid) == 1,
	   "%s a user", name);
	ok(store_sms_notice_add(db, uid, 0, "approve", "s1", 1000) == 0 &&
		   store_sms_notice_add(db, uid, 0, "stage", "s2", 1001) == 0,
	   "%s two notices queued", name);
	ok(store_sms_notice_claim(db, 999, &n) == 0, "%s none due yet", name);
	ok(store_sms_notice_claim(db, 1005, &n) == 1 &&
		   !strcmp(n.event, "approve") && n.attempts == 1 &&
		   !strcmp(n.sealed_text, "s1") &&
		   !strcmp(n.phone_sealed, "sealed-phone"),
	   "%s the oldest is claimed, with the sealed phone", name);
	/* Put back for a retry at 2000. */
	ok(store_sms_notice_done(db, n.id, false, "timeout", 2000, 1005) == 0,
	   "%s retry later", name);
	sms_notice_row_release(&n);
	ok(store_sms_notice_claim(db, 1006, &n) == 1 &&
		   !strcmp(n.event, "stage"),
	   "%s then the next", name);
	sms_notice_row_release(&n);
	ok(store_sms_notice_claim(db, 1007, &n) == 0,
	   "%s a claimed one is not claimed twice", name);
	/* A claim left by a dead process is taken back after 10 minutes. */
	ok(store_sms_notice_claim(db, 1006 + 601, &n) == 1 &&
		   !strcmp(n.event, "stage") && n.attempts == 2,
	   "%s a stale claim is taken again", name);
	ok(store_sms_notice_done(db, n.id, true, NULL, 0, 1700) == 0, "%s sent",
	   name);
	sms_notice_row_release(&n);
	ok(store_sms_notice_claim(db, 2001, &n) == 1 &&
		   !strcmp(n.event, "approve") && n.attempts == 2,
	   "%s the retry comes due", name);
	ok(store_sms_notice_done(db, n.id, false, "gone", 0, 2001) == 0,
	   "%s failed for good", name);
	sms_notice_row_release(&n);
	counts = store_sms_notice_counts(db);
	ok(counts && json_integer_value(json_object_get(counts, "sent")) == 1 &&
		   json_integer_value(json_object_get(counts, "failed")) == 1 &&
		   json_integer_value(json_object_get(counts, "queued")) == 0,
	   "%s counts", name);
	json_decref(counts);

	/* The audit log, filtered and newest first. */
	{
		struct audit_entry
			e1 = { uid,
			       "approve",
			       "application",
			       7,
			       1,
			       "127.0.0.1",
			       "{\"before\":{\"status\":\"submitted\"}}",
			       100 },
			e2 = { 0, "uscc_verify", "uscc",     0,
			       0, NULL,		 "not json", 200 };
		struct audit_filter f = { .competition_id = -1, .limit = 10 };
		json_t *first;

		ok(store_audit_write(db, &e1) == 0 &&
			   store_audit_write(db, &e2) == 0,
		   "%s audit entries", name);
		list = store_audit_list(db, &f, &total);
		first = json_array_get(list, 0);
		ok(list && total == 2 &&
			   !strcmp(json_string_value(
					   json_object_get(first, "action")),
				   "uscc_verify") &&
			   json_is_null(json_object_get(first, "actor_id")),
		   "%s newest first", name);
		ok(json_is_object(json_object_get(first, "detail")) &&
			   !strcmp(json_string_value(json_object_get(
					   json_object_get(first, "detail"),
					   "text")),
				   "not json"),
		   "%s a detail that is not JSON is kept as text", name);
		json_decref(list);
		f.competition_id = 1;
		f.action = "approve";
		list = store_audit_list(db, &f, &total);
		ok(list && total == 1 &&
			   !strcmp(json_string_value(json_object_get(
					   json_array_get(list, 0),
					   "actor_account")),
				   "notice"),
		   "%s by sub-contest and action", name);
		json_decref(list);
		f.competition_id = -1;
		f.action = NULL;
		f.from = 150;
		list = store_audit_list(db, &f, &total);
		ok(list && total == 1, "%s by time", name);
		json_decref(list);
		f.from = 0;
		f.admin_of = uid; /* no competition_admin role: nothing */
		list = store_audit_list(db, &f, &total);
		ok(list && total == 0, "%s an admin's own sub-contests", name);
		json_decref(list);
	}
}

static void suite(struct db *db, const char *name)
{
	char err[512], s[256];
	int applied = -1;
	int64_t v = 0, id_before = 0, id_after = 0, rev1 = 0, rev2 = 0;
	struct catalog_import_stats st;
	json_t *docs[2], *all, *t;

	printf("# %s\n", name);
	ok(store_migrate(db, &applied, err, sizeof(err)) == 0, "%s migrate: %s",
	   name, err);
	ok(applied == migrations_count, "%s all migrations applied", name);
	ok(store_migrate(db, &applied, err, sizeof(err)) == 0 && applied == 0,
	   "%s second migrate applies none", name);
	is_int(store_schema_version(db),
	       migrations[migrations_count - 1].version, "schema version");

	/* Parameters are bound by name: SQLite numbers them by appearance. */
	{
		struct db_param p[2] = { DB_P_TEXT("one"), DB_P_TEXT("two") };
		is_str(col(db, "SELECT $2 || '-' || $1", 2, p, s, sizeof(s)),
		       "two-one", "out-of-order placeholders");
	}
	{
		struct db_param p[1] = { DB_P_INT(41) };
		ok(db_query_int(db, "SELECT $1 + 1", 1, p, &v) == 1 && v == 42,
		   "%s integer parameter", name);
	}
	{
		struct db_param p[1] = { DB_P_NULL };
		is_str(col(db, "SELECT COALESCE($1, 'was null')", 1, p, s,
			   sizeof(s)),
		       "was null", "null parameter");
	}
	{
		const char chinese[] = "数据要素×工业制造";
		struct db_param p[1] = { DB_P_TEXT(chinese) };
		is_str(col(db, "SELECT $1", 1, p, s, sizeof(s)), chinese,
		       "utf-8 round trip");
	}
	ok(db_query(db, "SELECT nonsense FROM nowhere", 0, NULL) == NULL &&
		   db_errmsg(db)[0],
	   "%s bad SQL reports an error", name);

	docs[0] = load("guangdong-2026.json");
	docs[1] = load("fujian-2026.json");
	ok(docs[0] && docs[1], "catalog files load");
	if (!docs[0] || !docs[1])
		return;
	ok(store_catalog_import(db, docs, 2, &st, err, sizeof(err)) == 0,
	   "%s import: %s", name, err);
	is_int(st.competitions, 2, "competitions inserted");
	is_int(st.tracks, 34, "tracks inserted");
	is_int(st.topics, 241, "topics inserted");
	store_catalog_revision(db, &rev1);
	ok(rev1 == 1, "%s revision bumped to 1 (got %lld)", name,
	   (long long)rev1);

	ok(store_catalog_import(db, docs, 2, &st, err, sizeof(err)) == 0,
	   "%s second import", name);
	ok(st.competitions == 0 && st.tracks == 0 && st.topics == 0 &&
		   st.retired == 0,
	   "%s second import changes nothing", name);
	store_catalog_revision(db, &rev2);
	is_int(rev2, rev1, "revision unchanged");

	db_query_int(db,
		     "SELECT id FROM topics WHERE title = "
		     "'数据驱动的高端产品智能设计与迭代' ORDER BY id LIMIT 1",
		     0, NULL, &id_before);
	t = json_array_get(json_object_get(docs[0], "tracks"), 0);
	json_object_set_new(json_array_get(json_object_get(t, "topics"), 0),
			    "title", json_string("改过的赛题名称"));
	json_array_remove(json_object_get(t, "topics"), 4);
	ok(store_catalog_import(db, docs, 2, &st, err, sizeof(err)) == 0,
	   "%s edited import", name);
	ok(st.topics == 1 && st.retired == 1 && st.tracks == 0,
	   "%s one topic changed, one retired (%d, %d)", name, st.topics,
	   st.retired);
	db_query_int(db, "SELECT id FROM topics WHERE title = '改过的赛题名称'",
		     0, NULL, &id_after);
	ok(id_before > 0 && id_after == id_before,
	   "%s edited topic keeps its id", name);
	store_catalog_revision(db, &rev2);
	is_int(rev2, rev1 + 1, "revision bumped after edit");

	all = store_catalog_load(db, &rev2);
	ok(all && json_array_size(all) == 2, "%s load", name);
	if (all) {
		json_t *gd = json_array_get(all, 0);
		json_t *t0 = json_array_get(json_object_get(gd, "tracks"), 0);
		is_str(json_string_value(json_object_get(gd, "slug")),
		       "guangdong-2026", "sort order first");
		is_int(json_array_size(json_object_get(t0, "topics")), 4,
		       "retired topic hidden");
		ok(json_integer_value(json_object_get(gd, "id")) > 0,
		   "%s id present", name);
		is_str(json_string_value(json_object_get(gd, "theme")),
		       "数据赋能 乘数而上", "document kept");
	}
	json_decref(all);

	/* Uniqueness conflicts are recognisable through the interface. */
	{
		struct db_param p[1] = { DB_P_TEXT("guangdong-2026") };
		ok(db_run(db,
			  "INSERT INTO competitions (slug, name, short_name, "
			  "year, sort_order, doc, created_at, updated_at) "
			  "VALUES ($1, 'x', 'x', 2026, 9, '{}', 0, 0)",
			  1, p) < 0 &&
			   db_is_unique_violation(db),
		   "%s unique violation detected", name);
	}
	/* A rolled-back write leaves nothing behind. */
	ok(db_begin_write(db) == 0 && db_in_tx(db), "%s begin", name);
	db_run(db,
	       "UPDATE meta SET value = 'x' WHERE name = 'catalog_revision'", 0,
	       NULL);
	ok(db_rollback(db) == 0 && !db_in_tx(db), "%s rollback", name);
	store_catalog_revision(db, &rev1);
	is_int(rev1, rev2, "rollback undid the write");
	json_decref(docs[0]);
	json_decref(docs[1]);
	console_suite(db, name);
}

/*
 * The same statements run over and over, with their parameter types
 * varying, more distinct texts than a driver caches, and after errors:
 * the answers never depend on what a driver's statement cache holds.
 */
static void stmt_suite(struct db *db, const char *name)
{
	const bool pg = !strcmp(name, "postgresql");
	char s[64], sql[128];
	int64_t v = 0;
	int good = 0;

	ok(db_exec(db, "CREATE TABLE stmt_t (id BIGINT PRIMARY KEY, "
		       "v TEXT UNIQUE, n BIGINT)") == 0,
	   "%s scratch table: %s", name, db_errmsg(db));
	for (int i = 1; i <= 8; i++) {
		char t[16];
		struct db_param p[3];

		snprintf(t, sizeof(t), "v%d", i);
		p[0] = DB_P_INT(i);
		p[1] = DB_P_TEXT(t);
		p[2] = i % 2 ? DB_P_INT(i * 10) : DB_P_NULL;
		good += db_run(db,
			       "INSERT INTO stmt_t (id, v, n) VALUES ($1, $2, $3)",
			       3, p) == 0;
	}
	is_int(good, 8, "one insert text, NULL and integer parameters");
	good = 0;
	for (int k = 0; k < 3; k++)
		for (int i = 1; i <= 8; i++) {
			char want[16];
			struct db_param p[1] = { DB_P_INT(i) };
			snprintf(want, sizeof(want), "v%d", i);
			good += !strcmp(
				col(db, "SELECT v FROM stmt_t WHERE id = $1", 1,
				    p, s, sizeof(s)),
				want);
		}
	is_int(good, 24, "a statement run 24 times answers each");
	good = 0;
	for (int i = 0; i < 12; i++) {
		struct db_param p[1] = { i % 2 ? DB_P_INT(30) : DB_P_NULL };
		v = -1;
		db_query_int(db,
			     "SELECT COUNT(*) FROM stmt_t "
			     "WHERE n = $1 OR $1 IS NULL",
			     1, p, &v);
		good += v == (i % 2 ? 1 : 8);
	}
	is_int(good, 12, "one text, its parameter NULL or an integer in turn");
	/* Built texts in one buffer: the text decides, not its address. */
	good = 0;
	for (int round = 0; round < 2; round++)
		for (int k = 0; k < 150; k++) {
			struct db_param p[1] = { DB_P_INT(k) };
			snprintf(sql, sizeof(sql), "SELECT $1 + %d", k * 1000);
			good += db_query_int(db, sql, 1, p, &v) == 1 &&
				v == k * 1001;
		}
	is_int(good, 300, "150 texts twice, more than a cache holds");
	/* An error inside a transaction, then the same statements again. */
	{
		struct db_param p[3] = { DB_P_INT(9), DB_P_TEXT("v1"),
					 DB_P_INT(0) };
		struct db_param q[1] = { DB_P_INT(2) };
		ok(db_begin_write(db) == 0 &&
			   db_run(db,
				  "INSERT INTO stmt_t (id, v, n) "
				  "VALUES ($1, $2, $3)",
				  3, p) < 0 &&
			   db_is_unique_violation(db),
		   "%s a repeated insert's conflict is recognised", name);
		ok(db_rollback(db) == 0 && !db_in_tx(db), "%s rolled back",
		   name);
		is_str(col(db, "SELECT v FROM stmt_t WHERE id = $1", 1, q, s,
			   sizeof(s)),
		       "v2", "a statement works after a failed transaction");
	}
	/* A column added: the statement answers with the table as it is. */
	{
		struct db_param q[1] = { DB_P_INT(3) };
		ok(db_exec(db, "ALTER TABLE stmt_t ADD COLUMN extra TEXT") == 0,
		   "%s column added", name);
		ok(db_run(db, "UPDATE stmt_t SET extra = 'x3' WHERE id = 3", 0,
			  NULL) == 0,
		   "%s column set", name);
		for (int k = 0; k < 3; k++)
			col(db, "SELECT * FROM stmt_t WHERE id = $1", 1, q, s,
			    sizeof(s));
		ok(db_exec(db, "ALTER TABLE stmt_t ADD COLUMN more TEXT") == 0,
		   "%s another column added", name);
		{
			struct db_rows *r = db_query(
				db, "SELECT * FROM stmt_t WHERE id = $1", 1, q);
			ok(r && db_next(r) == 1 &&
				   !strcmp(db_col_text(r, 3, NULL), "x3") &&
				   db_col_null(r, 4),
			   "%s SELECT * after the table changed: %s", name,
			   r ? "" : db_errmsg(db));
			db_rows_free(r);
		}
	}
	if (pg) {
		static const char some[] = "SELECT v FROM stmt_t WHERE id = $1";
		static const char opt[] =
			"SELECT COUNT(*) FROM stmt_t WHERE ($1 = 0 OR id = $1) "
			"AND ($2 = '' OR v = $2) AND ($3 = 0 OR n = $3)";
		struct db_param o[3] = { DB_P_INT(0), DB_P_TEXT("v3"),
					 DB_P_INT(30) };
		struct db_param w[1] = { DB_P_TEXT(some) };
		int64_t kept = -1;

		struct db_param q[1] = { DB_P_INT(4) };

		for (int k = 0; k < 3; k++) {
			v = -1;
			db_query_int(db, opt, 3, o, &v);
			col(db, some, 1, q, s, sizeof(s));
		}
		is_int(v, 1, "three optional filters answer");
		w[0] = DB_P_TEXT(opt);
		db_query_int(db,
			     "SELECT COUNT(*) FROM pg_prepared_statements "
			     "WHERE statement = $1",
			     1, w, &kept);
		is_int(kept, 0, "three optional filters are planned each run");
		w[0] = DB_P_TEXT(some);
		db_query_int(db,
			     "SELECT COUNT(*) FROM pg_prepared_statements "
			     "WHERE statement = $1",
			     1, w, &kept);
		is_int(kept, 1, "a statement run again is prepared");
	}
	if (pg) {
		struct db_param q[1] = { DB_P_INT(4) };
		for (int k = 0; k < 3; k++)
			col(db, "SELECT v FROM stmt_t WHERE id = $1", 1, q, s,
			    sizeof(s));
		/* What a pooler resetting a session does. */
		ok(db_exec(db, "DISCARD ALL") == 0, "%s DISCARD ALL", name);
		is_str(col(db, "SELECT v FROM stmt_t WHERE id = $1", 1, q, s,
			   sizeof(s)),
		       "v4", "a statement works after DISCARD ALL");
	}
	ok(db_exec(db, "DROP TABLE stmt_t") == 0, "%s scratch table dropped",
	   name);
}

int main(void)
{
	char path[] = "/tmp/saiwu-store-XXXXXX";
	char file[64], err[512];
	const char *pg = getenv("SAIWU_TEST_PG_URL");
	struct db *db;

	ok(mkdtemp(path) != NULL, "temp dir");
	snprintf(file, sizeof(file), "%s/t.db", path);
	db = db_open(file, err, sizeof(err));
	ok(db != NULL, "sqlite open: %s", err);
	if (db) {
		char s[64];
		is_str(col(db, "PRAGMA journal_mode", 0, NULL, s, sizeof(s)),
		       "wal", "WAL mode");
		is_str(col(db, "PRAGMA synchronous", 0, NULL, s, sizeof(s)),
		       "2", "synchronous=FULL");
		is_str(col(db, "PRAGMA foreign_keys", 0, NULL, s, sizeof(s)),
		       "1", "foreign keys on");
		suite(db, "sqlite");
		stmt_suite(db, "sqlite");
		db_close(db);
	}
	unlink(file);
	snprintf(file, sizeof(file), "%s/t.db-wal", path);
	unlink(file);
	snprintf(file, sizeof(file), "%s/t.db-shm", path);
	unlink(file);
	rmdir(path);

	ok(db_open("/nonexistent/dir/x.db", err, sizeof(err)) == NULL &&
		   strstr(err, "cannot open"),
	   "bad sqlite path reported");
	if (pg && *pg) {
		db = db_open(pg, err, sizeof(err));
		ok(db != NULL, "postgresql open: %s", err);
		if (db) {
			suite(db, "postgresql");
			stmt_suite(db, "postgresql");
			db_close(db);
		}
	} else {
		printf("# postgresql: SAIWU_TEST_PG_URL not set, run by tests/run-all.sh\n");
	}
	ok(db_open("postgres://nobody@/nodb?host=/nonexistent&connect_timeout=2",
		   err, sizeof(err)) == NULL &&
		   strstr(err, "postgresql"),
	   "unreachable postgresql reported");
	return done_testing("test_store");
}
