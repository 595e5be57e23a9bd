/* awards.h: what rankings read, and the award round's quotas, awards and state */
#ifndef STORE_AWARDS_H
#define STORE_AWARDS_H

#include <stdint.h>
#include <jansson.h>
#include "db.h"

/*
 * The sub-contest's tracks in their catalogue order, as a JSON array of
 * {id, name, retired (bool)}. NULL on a database error.
 */
json_t *store_award_tracks(struct db *db, int64_t competition_id);

/*
 * The entries of a stage's ranking: the live applications of the
 * sub-contest with a track that are approved and at the stage, or that
 * have a judge (not declined) in it. A JSON array of {id, user_id,
 * track_id, project_name, team_name, lead_unit_name, first_submitted_at
 * (0: never)}, by id. NULL on error.
 */
json_t *store_ranking_entries(struct db *db, int64_t competition_id,
			      const char *stage);

/*
 * The stage's judge assignments that are not declined, by application
 * and assignment id: {application_id, user_id, name (the profile's, or
 * the account), scores (JSON text or null), submitted_at (0: not
 * submitted)}. NULL on error.
 */
json_t *store_ranking_sheets(struct db *db, int64_t competition_id,
			     const char *stage);

struct award_round {
	char stage[16];	   /* "final" when no row */
	char state[16];	   /* open | locked | published */
	int64_t locked_at; /* 0: none */
	int64_t published_at;
};

/*
 * Reads the sub-contest's award round into *out (the defaults, stage
 * final and state open, when it has none). Returns 0 or -1.
 */
int store_award_round_get(struct db *db, int64_t competition_id,
			  struct award_round *out);

/* Stores the round as given. Returns 0 or -1. */
int store_award_round_set(struct db *db, int64_t competition_id,
			  const struct award_round *round, int64_t actor,
			  int64_t now);

/*
 * The stored quotas as a JSON object keyed by the track id in decimal:
 * {"12": [first, second, third]}. NULL on error.
 */
json_t *store_award_quotas(struct db *db, int64_t competition_id);

/* Stores one track's quota. Returns 0 or -1. */
int store_award_quota_set(struct db *db, int64_t competition_id,
			  int64_t track_id, int first, int second, int third,
			  int64_t actor, int64_t now);

/*
 * The sub-contest's awards as a JSON array of {application_id, track_id,
 * level (or null), specials (a JSON array), rank (or null)}. NULL on
 * error.
 */
json_t *store_awards_list(struct db *db, int64_t competition_id);

/*
 * Stores an application's award (level NULL for none; specials a JSON
 * array text; rank 0 for none), or removes its row when it has neither a
 * level nor specials. Returns 0 or -1.
 */
int store_award_set(struct db *db, int64_t competition_id,
		    int64_t application_id, int64_t track_id, const char *level,
		    const char *specials, int64_t rank, int64_t actor,
		    int64_t now);

/* Removes every award of the sub-contest. Returns 0 or -1. */
int store_awards_clear(struct db *db, int64_t competition_id);

/*
 * The award of an application as its owner sees it: JSON null until its
 * sub-contest's round is published or when it has none, else {level,
 * level_label, specials [{code, label}], published_at}. NULL on error.
 */
json_t *store_award_public(struct db *db, int64_t application_id);

/*
 * The same award read along with other columns of applications a: the
 * query selects STORE_AWARD_PUBLIC_COLS and adds STORE_AWARD_PUBLIC_JOIN
 * after its FROM; store_award_public_cols() makes the JSON of the three
 * columns starting at col (never NULL on a good row).
 */
#define STORE_AWARD_PUBLIC_COLS "aw.level, aw.specials, awr.published_at"
#define STORE_AWARD_PUBLIC_JOIN                                                \
	"LEFT JOIN awards aw ON aw.application_id = a.id "                     \
	"LEFT JOIN award_rounds awr ON awr.competition_id = "                  \
	"aw.competition_id AND awr.state = 'published'"
json_t *store_award_public_cols(struct db_rows *r, int col);

/*
 * The published awards of the sub-contest, by track order, then level,
 * then rank: {track_id, track_name, level, specials (JSON array),
 * project_name, team_name, lead_unit_name}. NULL on error.
 */
json_t *store_award_results(struct db *db, int64_t competition_id);

#endif
