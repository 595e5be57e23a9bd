/* exports.h: reading a sub-contest's applications for exports, and export jobs */
#ifndef STORE_EXPORTS_H
#define STORE_EXPORTS_H

#include <stdbool.h>
#include <stdint.h>
#include "db.h"

/*
 * Which applications an export holds, with the review queue's filters;
 * drafts never (they are the applicant's).
 */
struct export_filter {
	int64_t competition_id;
	const char *track_key;	/* "" or NULL: any */
	int64_t topic_no;	/* 0: any */
	const char *status;	/* "" or NULL: any but draft */
	const char *stage;	/* "" or NULL: any */
	const char *tech;	/* technical verification; "" or NULL: any */
	const char *region;	/* a prefix of the region code ("4403") */
	const char *nature;	/* the lead unit's 单位性质, exactly */
	int64_t submitted_from; /* submitted_at >= this (0: any) */
	int64_t submitted_to;	/* submitted_at < this (0: any) */
	const char *keyword;	/* project, team, lead unit or credit code */
};

struct export_app {
	int64_t id;
	const char *status;
	const char *stage;
	const char *tech_status;
	const char *doc; /* sealed, as stored; NULL in a summary */
	/* The columns kept beside the document (summaries only). */
	const char *project_name;
	const char *team_name;
	const char *lead_unit_name;
	const char *lead_uscc;
	const char *track_name;
	int64_t topic_no;
	const char *topic_title;
	const char *region;
	const char *lead_nature;
	const char *return_reason; /* NULL: none */
	int64_t created_at;
	int64_t updated_at;
	int64_t submitted_at;
};

/* Counts the applications the filter selects. Returns 0 or -1. */
int store_export_count(struct db *db, const struct export_filter *f,
		       int64_t *count);

/*
 * Calls fn for up to `limit` applications the filter selects with an id
 * above `after`, in id order; the strings are valid during the call.
 * fn returns 0 to go on or -1 to stop. Returns the number of rows read
 * (fewer than limit at the end), or -1 on a database error or when fn
 * stopped. Run it inside db_begin_snapshot() to page through one
 * consistent state.
 */
int store_export_apps(struct db *db, const struct export_filter *f,
		      int64_t after, int limit,
		      int (*fn)(const struct export_app *a, void *cls),
		      void *cls);

/*
 * As store_export_apps(), without the documents: the columns kept beside
 * them (project, team, lead unit, track, topic, region, …) only.
 */
int store_export_summaries(struct db *db, const struct export_filter *f,
			   int64_t after, int limit,
			   int (*fn)(const struct export_app *a, void *cls),
			   void *cls);

struct export_file {
	int64_t id;
	int64_t application_id;
	const char *project_name;
	const char *slot;
	const char *row; /* NULL: the slot as a whole */
	const char *file_name;
	int64_t size;
	const char *kind;
	const char *sha256;
	int64_t uploaded_at;
};

/*
 * As store_export_apps(), for the live attachments of the selected
 * applications up to application last_app, ordered by application and
 * then file; the page starts after (after_app, after_file). Called after
 * each page of applications with that page's range, it reads each file
 * once without ever scanning the whole table.
 */
int store_export_files(struct db *db, const struct export_filter *f,
		       int64_t after_app, int64_t after_file, int64_t last_app,
		       int limit,
		       int (*fn)(const struct export_file *e, void *cls),
		       void *cls);

/*
 * Keeps those of ids[0..n) that are live, non-draft applications of
 * sub-contest competition_id: writes them to ok (n entries) in ascending
 * order and their number to *nok. Returns 0 or -1.
 */
int store_export_ids_check(struct db *db, int64_t competition_id,
			   const int64_t *ids, int n, int64_t *ok, int *nok);

/* Export jobs (background exports). */
struct export_job {
	int64_t id;
	int64_t competition_id;
	int64_t user_id;
	char format[8];	 /* xlsx | csv | pdf_zip */
	char *params;	 /* malloc()ed JSON text: the filters */
	char status[12]; /* queued | running | done | failed | expired */
	int64_t done_rows;
	int64_t total_rows;
	char storage_key[96];
	char *file_name; /* malloc()ed or NULL */
	int64_t size;
	char *error; /* malloc()ed or NULL */
	int64_t created_at;
	int64_t updated_at;
	int64_t finished_at;
};

void export_job_release(struct export_job *j);

/* Adds a queued job. Returns 0 with *id, or -1. */
int store_export_job_add(struct db *db, int64_t competition_id, int64_t user_id,
			 const char *format, const char *params, int64_t now,
			 int64_t *id);

/* Reads a job: 1, 0 (none) or -1. */
int store_export_job_get(struct db *db, int64_t id, struct export_job *j);

/* Marks the job running or records its progress (and liveness). */
int store_export_job_progress(struct db *db, int64_t id, int64_t done,
			      int64_t total, int64_t now);

/*
 * Ends a job: "done" with its stored file, or "failed" with a message
 * (storage_key and file_name NULL).
 */
int store_export_job_finish(struct db *db, int64_t id, const char *status,
			    const char *storage_key, const char *file_name,
			    int64_t size, const char *error, int64_t now);

/*
 * Expires job id when it is done and finished before `before`: marks it
 * "expired" and copies its file's storage key to key (BLOB_KEY_MAX-sized,
 * 96 bytes) for the caller to delete. Only one caller wins a job, so two
 * servers never delete one file twice. Returns 1 (expired now), 0 (not
 * due, or not done) or -1.
 */
int store_export_job_expire(struct db *db, int64_t id, int64_t before,
			    char key[96]);

/*
 * Writes the ids of up to n done jobs that finished before `before`,
 * oldest first, into ids. Returns how many, or -1.
 */
int store_export_jobs_due(struct db *db, int64_t before, int64_t *ids, int n);

/* Counts the user's jobs queued or running and updated since `since`. */
int store_export_jobs_active(struct db *db, int64_t user_id, int64_t since,
			     int64_t *count);

#endif
