/*
 * test_writer.c: group commit (store/writer.h) on SQLite — writes that
 * wait together commit together, a failing write is undone alone, a
 * stale one writes nothing, nothing is answered before its commit, and
 * the write of its own (no writer: PostgreSQL's path) behaves the same,
 * on PostgreSQL too when SAIWU_TEST_PG_URL names a database.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "harness.h"
#include "store/db.h"
#include "store/writer.h"

#define THREADS 12

static char file[64];
static atomic_int submitted;

struct job {
	int64_t k;  /* the row to insert; a taken k is a uniqueness error */
	bool stale; /* an UPDATE that matches no row: 0, nothing written */
	bool hold;  /* keeps the writer busy until the others are queued */
	struct db_writer *w;
	struct db_write_result res;
	int rc;
	int64_t seen; /* rows with this k seen from another connection */
};

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static int job_run(struct db *db, void *cls)
{
	struct job *j = cls;
	struct db_param p[1] = { DB_P_INT(j->k) };
	int64_t id = 0;

	if (j->hold) {
		/* The rest queue up meanwhile and form the next batch. */
		for (int i = 0; i < 500 && atomic_load(&submitted) < THREADS;
		     i++)
			pause_ms(2);
		pause_ms(200);
	}
	if (j->stale)
		return db_query_int(db,
				    "UPDATE t SET v = v + 1 WHERE k = -1 "
				    "RETURNING k",
				    0, NULL, &id);
	if (db_run(db, "INSERT INTO t (k, v) VALUES ($1, 0)", 1, p) < 0)
		return -1;
	return 1;
}

static int64_t count(struct db *db, int64_t k)
{
	struct db_param p[1] = { DB_P_INT(k) };
	int64_t n = -1;
	db_query_int(db, "SELECT COUNT(*) FROM t WHERE k = $1", 1, p, &n);
	return n;
}

static void *client(void *arg)
{
	struct job *j = arg;
	char err[256];
	struct db *db = db_open(file, err, sizeof(err));

	atomic_fetch_add(&submitted, 1);
	j->rc = db_write(j->w, NULL, job_run, j, &j->res);
	/* Answered means committed: another connection sees it at once. */
	if (db) {
		j->seen = count(db, j->k);
		db_close(db);
	}
	return NULL;
}

int main(void)
{
	char path[] = "/tmp/saiwu-writer-XXXXXX";
	char err[512], tmp[96];
	struct db_writer *w;
	struct db *db;
	struct job jobs[THREADS], alone;
	pthread_t th[THREADS];
	unsigned long batches = 0, writes = 0;

	ok(mkdtemp(path) != NULL, "temp dir");
	snprintf(file, sizeof(file), "%s/t.db", path);
	db = db_open(file, err, sizeof(err));
	ok(db != NULL, "open: %s", err);
	if (!db)
		return done_testing("writer");
	ok(db_exec(db, "CREATE TABLE t (k INTEGER PRIMARY KEY, v INTEGER)") ==
		   0,
	   "table");
	ok(db_run(db, "INSERT INTO t (k, v) VALUES (7, 0)", 0, NULL) == 0,
	   "row 7 is taken");

	w = db_writer_start(file, 256, err, sizeof(err));
	ok(w != NULL, "writer starts: %s", err);
	if (!w)
		return done_testing("writer");

	/*
	 * Job 0 holds the writer's first batch; the other eleven queue and
	 * commit in a second one, where job 5 fails (k 7 is taken) and job 9
	 * is stale: both answer alone, the other nine commit.
	 */
	memset(jobs, 0, sizeof(jobs));
	for (int i = 0; i < THREADS; i++) {
		jobs[i].k = 100 + i;
		jobs[i].w = w;
	}
	jobs[0].hold = true;
	jobs[5].k = 7;
	jobs[9].stale = true;
	pthread_create(&th[0], NULL, client, &jobs[0]);
	pause_ms(50);
	for (int i = 1; i < THREADS; i++)
		pthread_create(&th[i], NULL, client, &jobs[i]);
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);

	for (int i = 0; i < THREADS; i++) {
		if (i == 5 || i == 9)
			continue;
		is_int(jobs[i].rc, 1, "a good write is committed");
		is_int(jobs[i].seen, 1, "and visible when answered");
	}
	is_int(jobs[5].rc, -1, "the failing write fails");
	ok(jobs[5].res.unique_violation, "as a uniqueness conflict");
	ok(strstr(jobs[5].res.err, "UNIQUE") != NULL, "with its message: %s",
	   jobs[5].res.err);
	is_int(count(db, 7), 1, "and left row 7 as it was");
	is_int(jobs[9].rc, 0, "the stale write answers 0");
	is_int(count(db, 109), 0, "and wrote nothing");
	db_writer_counts(w, &batches, &writes);
	is_int(writes, THREADS, "every write went through the writer");
	is_int(batches, 2, "in two batches: one held, one of the eleven");

	/* A write of its own on a connection (PostgreSQL's path). */
	memset(&alone, 0, sizeof(alone));
	alone.k = 500;
	is_int(db_write(NULL, db, job_run, &alone, &alone.res), 1,
	       "a write of its own commits");
	is_int(count(db, 500), 1, "its row is there");
	ok(!db_in_tx(db), "and no transaction is left open");
	alone.k = 7;
	is_int(db_write(NULL, db, job_run, &alone, &alone.res), -1,
	       "a failing write of its own fails");
	ok(alone.res.unique_violation && !db_in_tx(db),
	   "as a conflict, rolled back");

	/* Queued writes are committed before the writer stops. */
	db_writer_stop(w);
	db_close(db);

	for (const char *suffix = ""; suffix; suffix = !*suffix ? "-wal"
						       : !strcmp(suffix, "-wal")
							       ? "-shm"
							       : NULL) {
		snprintf(tmp, sizeof(tmp), "%s%s", file, suffix);
		unlink(tmp);
	}
	rmdir(path);

	/* The write of its own on PostgreSQL, when a database is given. */
	if (getenv("SAIWU_TEST_PG_URL")) {
		db = db_open(getenv("SAIWU_TEST_PG_URL"), err, sizeof(err));
		ok(db != NULL, "postgresql open: %s", err);
		if (db) {
			ok(db_exec(db, "DROP TABLE IF EXISTS t; CREATE TABLE t "
				       "(k BIGINT PRIMARY KEY, v BIGINT)") == 0,
			   "pg table");
			memset(&alone, 0, sizeof(alone));
			alone.k = 7;
			is_int(db_write(NULL, db, job_run, &alone, &alone.res),
			       1, "pg: a write commits");
			is_int(db_write(NULL, db, job_run, &alone, &alone.res),
			       -1, "pg: a conflicting write fails");
			ok(alone.res.unique_violation && !db_in_tx(db),
			   "pg: as a conflict, rolled back");
			alone.stale = true;
			is_int(db_write(NULL, db, job_run, &alone, &alone.res),
			       0, "pg: a stale write answers 0");
			is_int(count(db, 7), 1, "pg: one row");
			db_exec(db, "DROP TABLE t");
			db_close(db);
		}
	}
	return done_testing("writer");
}
