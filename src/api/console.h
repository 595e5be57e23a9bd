/* console.h: what the organisers' console handlers share */
#ifndef API_CONSOLE_H
#define API_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>
#include "roles.h"
#include "../http/request.h"

/*
 * Finds the sub-contest named by the {slug} path parameter and sets *id.
 * Returns 0, or -1 after recording 404 competition_not_found.
 */
int console_competition(struct req *r, int64_t *id);

/*
 * Checks the signed-in user's standing in the sub-contest. need
 * STAFF_REVIEWER: below it is 404 not_found (a reviewer of another
 * sub-contest learns nothing). need STAFF_ADMIN: a reviewer of it gets
 * 403 forbidden, and anyone else 404 when hide is set, else 403. Returns
 * 0, or -1 with the error recorded.
 */
int console_gate(struct req *r, int64_t competition_id, enum staff_level need,
		 bool hide);

/*
 * Writes an audit entry for the request's user and address, with detail
 * as a JSON object (taken; may be NULL). Returns 0 or -1 (a database
 * error; the caller rolls back).
 */
int console_audit(struct req *r, const char *action, const char *object_type,
		  int64_t object_id, int64_t competition_id, json_t *detail);

#endif
