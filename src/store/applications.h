/* applications.h: application records, their history and the rule lookups */
#ifndef STORE_APPLICATIONS_H
#define STORE_APPLICATIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "db.h"

struct app_row {
	int64_t id;
	int64_t user_id;
	int64_t competition_id;
	int64_t track_id; /* 0: none chosen */
	int64_t topic_id;
	char status[16];
	char stage[16];
	char tech_status[16];
	char *doc;	     /* malloc()ed JSON text (sealed identifiers) */
	char *return_reason; /* malloc()ed or NULL */
	int64_t version;
	int64_t created_at;
	int64_t updated_at;
	int64_t submitted_at; /* 0: never */
	int64_t first_submitted_at;
	char *project_name;	 /* malloc()ed, "" until named */
	char *tech_instructions; /* malloc()ed or NULL: 技术验证 as opened */
	char *tech_comment;	 /* malloc()ed or NULL: the reviewer's */
	int64_t tech_due_at;	 /* 0: not opened */
	int64_t tech_submitted_at;
};

/* Frees what store_app_get() allocated. */
void app_row_release(struct app_row *a);

/* The searchable columns kept beside the document. */
struct app_summary {
	int64_t track_id;
	int64_t topic_id;
	const char *team_name;
	const char *project_name;
	const char *lead_unit_name;
	const char *lead_uscc;
	const char *region;	 /* deepest code of basic.region, or "" */
	const char *lead_nature; /* the lead unit's 单位性质, or "" */
};

int store_app_create(struct db *db, int64_t user_id, int64_t competition_id,
		     const struct app_summary *s, const char *doc, int64_t now,
		     int64_t *id);

/*
 * Reads a live (not deleted) application. With owner > 0 only that
 * user's record is found: someone else's is "not found", never
 * "forbidden". Returns 1, 0 or -1.
 */
int store_app_get(struct db *db, int64_t id, int64_t owner, struct app_row *a);

/*
 * Replaces the document when the stored version is still `version`.
 * Returns 1 when saved (version + 1), 0 when the version was stale,
 * -1 on error. When saved and out is not NULL, *out is the row as the
 * UPDATE left it, without its document (out->doc is NULL); the caller
 * releases it with app_row_release().
 */
int store_app_save(struct db *db, int64_t id, int64_t version,
		   const struct app_summary *s, const char *doc, int64_t now,
		   struct app_row *out);

/*
 * Moves the status (and stamps submission times when submitting),
 * checking the version as store_app_save(). reason may be NULL.
 */
int store_app_set_status(struct db *db, int64_t id, int64_t version,
			 const char *status, const char *reason,
			 bool submitting, int64_t now);

/* As store_app_set_status(), filling *out as store_app_save() does. */
int store_app_set_status_row(struct db *db, int64_t id, int64_t version,
			     const char *status, const char *reason,
			     bool submitting, int64_t now, struct app_row *out);

int store_app_delete(struct db *db, int64_t id, int64_t now);

int store_app_history_add(struct db *db, int64_t id, int64_t actor,
			  const char *action, const char *from, const char *to,
			  const char *reason, int64_t now);

/*
 * As store_app_history_add(), for a step that changes a stage or the
 * technical verification: from_value and to_value are the old and new
 * codes (the status stays what it was).
 */
int store_app_history_add2(struct db *db, int64_t id, int64_t actor,
			   const char *action, const char *status,
			   const char *from_value, const char *to_value,
			   const char *reason, int64_t now);

/*
 * [{action, from_status, to_status, from_value, to_value, reason,
 * created_at, actor_id}] oldest first.
 */
json_t *store_app_history(struct db *db, int64_t id);

/*
 * The {key, name} of an application's track from two columns of a LEFT
 * JOIN on tracks, or JSON null where it has none. Returns a new
 * reference, NULL when out of memory.
 */
json_t *store_app_track_json(struct db_rows *r, int key_col, int name_col);

/* As store_app_track_json(), for the topic's {no, title}. */
json_t *store_app_topic_json(struct db_rows *r, int no_col, int title_col);

struct app_filter {
	int64_t user_id;
	const char *status;  /* NULL: any */
	const char *keyword; /* NULL: none; matches team or project name */
	int64_t limit;
	int64_t offset;
};

/*
 * One page of the user's applications, newest saved first, each with its
 * sub-contest, track and topic names; *total counts every match.
 */
json_t *store_app_list(struct db *db, const struct app_filter *f,
		       int64_t *total);

/* Replaces the keyed hashes of the application's members. */
int store_app_people_set(struct db *db, int64_t id, const char *const *hashes,
			 int n);

/*
 * Counts other applications that were ever submitted (not drafts, not
 * deleted) and list this person. Returns the count or -1.
 */
int64_t store_app_people_elsewhere(struct db *db, const char *id_hash,
				   int64_t exclude_id);

/* Counts submitted applications of the same lead unit and project name in another sub-contest. */
int64_t store_app_same_project_elsewhere(struct db *db, const char *lead_uscc,
					 const char *project_name,
					 int64_t competition_id,
					 int64_t exclude_id);

/* 1 when the credit code is on the list (kind exclusion/dishonest), 0 if not. */
int store_unit_listed(struct db *db, const char *kind, int64_t competition_id,
		      const char *uscc);

int store_unit_list_add(struct db *db, const char *kind, int64_t competition_id,
			const char *uscc, const char *name, const char *note,
			int64_t now);

/* 1 when an admin accepted the code despite its check character. */
int store_uscc_is_verified(struct db *db, const char *uscc);
int store_uscc_verify(struct db *db, const char *uscc, const char *note,
		      int64_t actor, int64_t now);

int store_audit_add(struct db *db, int64_t actor, const char *action,
		    const char *object_type, int64_t object_id, const char *ip,
		    const char *detail, int64_t now);

/* The sub-contest's resubmission deadline set by an admin (NULL if none, malloc()ed). */
char *store_competition_resubmit_closes(struct db *db, int64_t competition_id);

#endif
