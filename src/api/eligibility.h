/* eligibility.h: the entry rules that need the database (DESIGN §2) */
#ifndef API_ELIGIBILITY_H
#define API_ELIGIBILITY_H

#include <stdbool.h>
#include <jansson.h>
#include "../http/request.h"

struct app_row;

/*
 * Checks a document (identifiers in the clear) against the rules that
 * reach beyond it: one person, one team (across every sub-contest); one
 * team, one sub-contest; the lead unit of 基础信息 is the lead row of the
 * units table; no unit on the sub-contest's exclusion list or on the
 * dishonesty list. Returns [{field, code, message}] — errors at submit,
 * warnings while editing. A message names the member or unit concerned
 * in this application, never another team. NULL on a database error
 * (recorded on r).
 */
json_t *elig_check(struct req *r, const struct app_row *a,
		   const json_t *competition, const json_t *doc, bool submit);

/*
 * Writes the keyed hash that identifies a person by ID number, the same
 * for every spelling of one number (spaces, hyphens, a lower-case x).
 * Returns 0, or -1 for an empty or overlong number.
 */
int elig_person_hash(const char *id_number, char out[65]);

#endif
