/*
 * sqlite-probe: the S baselines of the benchmark (perf-reliability §7.1).
 * Inserts rows of (user_id INT, body TEXT of 1 KiB, updated_at INT) into a
 * rowid table with a prepared statement, BEGIN IMMEDIATE … COMMIT, WAL,
 * the given synchronous mode and rows per transaction, and prints one
 * line: rows/s and transactions/s. No project code: this is the ceiling
 * the server's durable writes are measured against.
 *
 *   sqlite-probe DB FULL|NORMAL|OFF ROWS_PER_TX TOTAL_ROWS
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void must(int rc, sqlite3 *db, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "sqlite-probe: %s: %s\n", what,
			sqlite3_errmsg(db));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	sqlite3 *db;
	sqlite3_stmt *ins, *begin, *commit;
	char pragma[64], body[1025];
	long per_tx, total, done = 0, tx = 0;
	double t0, secs;

	if (argc != 5) {
		fprintf(stderr,
			"usage: sqlite-probe DB FULL|NORMAL|OFF ROWS_PER_TX TOTAL_ROWS\n");
		return 2;
	}
	per_tx = strtol(argv[3], NULL, 10);
	total = strtol(argv[4], NULL, 10);
	if (per_tx < 1 || total < per_tx || strlen(argv[2]) > 8) {
		fprintf(stderr, "sqlite-probe: bad arguments\n");
		return 2;
	}
	memset(body, 'x', 1024);
	body[1024] = '\0';
	must(sqlite3_open(argv[1], &db), db, "open");
	snprintf(pragma, sizeof(pragma), "PRAGMA synchronous=%s;", argv[2]);
	must(sqlite3_exec(db, "PRAGMA journal_mode=WAL;", NULL, NULL, NULL), db,
	     "wal");
	must(sqlite3_exec(db, pragma, NULL, NULL, NULL), db, "synchronous");
	must(sqlite3_exec(
		     db,
		     "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, "
		     "user_id INT, body TEXT, updated_at INT);",
		     NULL, NULL, NULL),
	     db, "create");
	must(sqlite3_prepare_v2(
		     db,
		     "INSERT INTO t (user_id, body, updated_at) VALUES (?, ?, ?)",
		     -1, &ins, NULL),
	     db, "prepare");
	must(sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL), db,
	     "prepare");
	must(sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL), db,
	     "prepare");
	t0 = now_s();
	while (done < total) {
		must(sqlite3_step(begin), db, "begin");
		sqlite3_reset(begin);
		for (long i = 0; i < per_tx && done < total; i++, done++) {
			sqlite3_bind_int64(ins, 1, done % 50000);
			sqlite3_bind_text(ins, 2, body, 1024, SQLITE_STATIC);
			sqlite3_bind_int64(ins, 3, (sqlite3_int64)time(NULL));
			must(sqlite3_step(ins), db, "insert");
			sqlite3_reset(ins);
		}
		must(sqlite3_step(commit), db, "commit");
		sqlite3_reset(commit);
		tx++;
	}
	secs = now_s() - t0;
	printf("{\"rows_per_s\":%.1f,\"tx_per_s\":%.1f,\"rows\":%ld,\"tx\":%ld,\"secs\":%.3f}\n",
	       (double)done / secs, (double)tx / secs, done, tx, secs);
	sqlite3_finalize(ins);
	sqlite3_finalize(begin);
	sqlite3_finalize(commit);
	sqlite3_close(db);
	return 0;
}
