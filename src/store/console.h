/* console.h: the organisers' queries — queue, decisions, staff, schedule */
#ifndef STORE_CONSOLE_H
#define STORE_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "db.h"

/* What the review queue is filtered and ordered by; NULL or 0 means any. */
struct queue_filter {
	int64_t competition_id;
	const char *track;	/* track key */
	int64_t topic;		/* topic number within the track */
	const char *status;	/* submitted | approved | returned */
	const char *stage;	/* unreviewed … national */
	const char *tech;	/* not_started … failed */
	const char *region;	/* a prefix of the region code, e.g. "4403" */
	const char *nature;	/* the lead unit's 单位性质, exactly */
	int64_t submitted_from; /* submitted_at >= this */
	int64_t submitted_to;	/* submitted_at < this */
	const char *keyword;	/* project, team, lead unit or credit code */
	const char *sort;	/* submitted_at | saved_at | project_name */
	bool asc;
	int64_t limit;
	int64_t offset;
};

/*
 * One page of the sub-contest's applications that are not drafts (and not
 * deleted), as a JSON array the caller json_decref()s: {id, team_name,
 * project_name, lead_unit_name, lead_uscc, track {key, name} or null,
 * topic {no, title} or null, status, stage, tech_status, region,
 * lead_nature, submitted_at, saved_at, version, tech_due_at (or null),
 * duplicate (bool), uscc_verified (bool), listed (count of the lead unit's
 * entries on the exclusion and dishonesty lists)}. *total counts every
 * match. NULL on a database error.
 */
json_t *store_queue_list(struct db *db, const struct queue_filter *f,
			 int64_t *total);

/*
 * Counts the matches of f per status, ignoring f->status: {"submitted":
 * N, "approved": N, "returned": N}. NULL on error.
 */
json_t *store_queue_counts(struct db *db, const struct queue_filter *f);

/*
 * Other live, non-draft applications of the same sub-contest with the
 * same project name or the same lead credit code: their ids, at most 20,
 * as a JSON array. NULL on error.
 */
json_t *store_app_duplicates(struct db *db, int64_t id, int64_t competition_id,
			     const char *project_name, const char *lead_uscc);

/*
 * Moves the stage when the version is still `version` (version + 1).
 * Returns 1, 0 when stale, -1 on error.
 */
int store_app_set_stage(struct db *db, int64_t id, int64_t version,
			const char *stage, int64_t now);

/* How store_app_set_tech() changes the technical verification columns. */
enum tech_write {
	TECH_WRITE_OPEN,   /* instructions, due date; comment cleared */
	TECH_WRITE_SUBMIT, /* submitted now */
	TECH_WRITE_RESULT, /* the comment */
};

/*
 * Sets tech_status (and what `how` says) when the version is still
 * `version` (version + 1). text is the instructions (OPEN) or the comment
 * (RESULT, may be NULL). Returns 1, 0 when stale, -1 on error.
 */
int store_app_set_tech(struct db *db, int64_t id, int64_t version,
		       const char *tech_status, enum tech_write how,
		       const char *text, int64_t due_at, int64_t now);

/*
 * The sub-contest's return-reason templates as stored (a JSON array
 * text, malloc()ed), or NULL with *found 0 when none are stored. Returns
 * 0 or -1.
 */
int store_return_reasons_get(struct db *db, int64_t competition_id,
			     char **json_text);
int store_return_reasons_set(struct db *db, int64_t competition_id,
			     const char *json_text, int64_t actor, int64_t now);

/*
 * The staff of a sub-contest: users with a reviewer, judge or
 * competition_admin role in it, as [{user_id, account, phone_masked,
 * roles: [...]}] by account. NULL on error.
 */
json_t *store_staff_list(struct db *db, int64_t competition_id);

/* Removes one role of a user in a sub-contest. Returns rows removed or -1. */
int store_user_remove_role(struct db *db, int64_t user_id, const char *role,
			   int64_t competition_id);

/*
 * The sub-contest's catalog document (malloc()ed JSON text) and its
 * resubmission deadline (malloc()ed or NULL). Returns 1, 0 (no such
 * sub-contest) or -1.
 */
int store_competition_schedule(struct db *db, int64_t competition_id,
			       char **doc, char **resubmit_closes);

/*
 * Stores a new schedule: the document (its registration dates already
 * changed), the registration columns and the resubmission deadline (NULL
 * for none), and bumps the catalog revision so every server renders the
 * public catalog again. Inside the caller's transaction. Returns 0 or -1.
 */
int store_competition_set_schedule(struct db *db, int64_t competition_id,
				   const char *doc, const char *opens,
				   const char *closes,
				   const char *resubmit_closes, int64_t now);

#endif
