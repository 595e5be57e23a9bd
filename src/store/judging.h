/* judging.h: rubrics, judges' profiles and the judges' assignments with their score sheets */
#ifndef STORE_JUDGING_H
#define STORE_JUDGING_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "db.h"

/*
 * The rubric of a sub-contest and stage: its criteria (JSON array text,
 * malloc()ed), its scoring window (0: not set) and when it was last
 * changed. Returns 1, 0 when the stage has no row (nothing set), or -1.
 */
int store_rubric_get(struct db *db, int64_t competition_id, const char *stage,
		     char **criteria, int64_t *opens, int64_t *closes,
		     int64_t *updated_at);

/* Writes the rubric (0 opens/closes store NULL). Returns 0 or -1. */
int store_rubric_put(struct db *db, int64_t competition_id, const char *stage,
		     const char *criteria, int64_t opens, int64_t closes,
		     int64_t actor, int64_t now);

/*
 * Whether scoring has started in the sub-contest and stage: some score
 * sheet there has been saved. Returns 1, 0 or -1.
 */
int store_rubric_started(struct db *db, int64_t competition_id,
			 const char *stage);

/*
 * How many judges 自动分配 last gave each project of the sub-contest and
 * stage. Returns 1 and sets *per, 0 when never chosen, or -1.
 */
int store_judging_per_project_get(struct db *db, int64_t competition_id,
				  const char *stage, int *per);

/* Records the number chosen at 自动分配. Returns 0 or -1. */
int store_judging_per_project_put(struct db *db, int64_t competition_id,
				  const char *stage, int per, int64_t actor,
				  int64_t now);

/*
 * Every user with the judge role in the sub-contest, by account:
 * [{user_id, account, phone_masked, name, unit_name, unit_uscc,
 * tracks: [id…], conflicts: [{name, uscc}…], load: {preliminary, final}}]
 * where load counts the non-declined assignments. NULL on error.
 */
json_t *store_judges_list(struct db *db, int64_t competition_id);

/* One judge of the list above, or JSON null when the user is no judge there. */
json_t *store_judge_get(struct db *db, int64_t competition_id, int64_t user_id);

/* Writes a judge's profile; tracks and conflicts are JSON texts. 0 or -1. */
int store_judge_put(struct db *db, int64_t competition_id, int64_t user_id,
		    const char *name, const char *unit_name,
		    const char *unit_uscc, const char *tracks,
		    const char *conflicts, int64_t actor, int64_t now);

/*
 * The applications in a stage (approved, at that stage, not deleted) of
 * the sub-contest, in one track (track_id > 0) or all, by id:
 * [{id, track_id, track_name, project_name, team_name, lead_unit_name,
 * doc}] with doc the stored (sealed) document text. NULL on error.
 */
json_t *store_judging_apps(struct db *db, int64_t competition_id,
			   const char *stage, int64_t track_id);

/*
 * The assignments of a sub-contest and stage, by application then id:
 * [{id, application_id, judge_id, judge_name, status, saved_at,
 * submitted_at}]. NULL on error.
 */
json_t *store_judging_assignments(struct db *db, int64_t competition_id,
				  const char *stage);

/* [{application_id, judge_id}] of the declined rows of the sub-contest, any stage. */
json_t *store_judging_declined(struct db *db, int64_t competition_id);

/*
 * Inserts an assignment. Returns 0 with *id, or -1 (a row for the stage,
 * application and judge exists already when db_is_unique_violation()).
 */
int store_assignment_add(struct db *db, int64_t competition_id,
			 const char *stage, int64_t application_id,
			 int64_t judge_id, int64_t actor, int64_t now,
			 int64_t *id);

struct assignment_row {
	int64_t id;
	int64_t competition_id;
	char stage[16];
	int64_t application_id;
	int64_t judge_id;
	char status[16]; /* assigned | declined */
	char *scores;	 /* malloc()ed JSON object text, or NULL */
	char *comment;	 /* malloc()ed, or NULL */
	int64_t saved_at;
	int64_t submitted_at;
};

void assignment_row_release(struct assignment_row *a);

/*
 * Reads an assignment. With judge_id > 0 only that judge's, and only
 * while they hold the judge role in its sub-contest and it is not
 * declined (anyone else's is "not found"). Returns 1, 0 or -1.
 */
int store_assignment_get(struct db *db, int64_t id, int64_t judge_id,
			 struct assignment_row *a);

/* Deletes an assignment. Returns rows removed or -1. */
int store_assignment_delete(struct db *db, int64_t id);

/*
 * Saves the score sheet of an unsubmitted assignment (scores a JSON
 * text), and with submit stamps it submitted. Returns 1, 0 (submitted or
 * declined meanwhile) or -1.
 */
int store_assignment_save(struct db *db, int64_t id, const char *scores,
			  const char *comment, bool submit, int64_t now);

/* Marks an unsubmitted assignment declined with the reason. 1, 0 or -1. */
int store_assignment_decline(struct db *db, int64_t id, const char *reason,
			     int64_t now);

/*
 * The judge's non-declined assignments in sub-contests where they still
 * hold the judge role, in one stage (NULL: both), newest first:
 * [{id, competition_id, competition, competition_name, stage,
 * application_id, project_name, team_name, track_id, track_name,
 * topic_name, scores (text or null), saved_at, submitted_at,
 * scoring_opens, scoring_closes}]. NULL on error.
 */
json_t *store_judge_assignments(struct db *db, int64_t judge_id,
				const char *stage, int64_t only_id);

#endif
