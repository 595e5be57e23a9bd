/* roles.h: who may do what, beyond being signed in */
#ifndef API_ROLES_H
#define API_ROLES_H

#include <stdbool.h>
#include <stdint.h>
#include "../http/request.h"

/*
 * Returns 0 when the signed-in user is a platform admin, or an admin of
 * the given sub-contest (competition_id > 0); otherwise records 403 and
 * returns -1.
 */
int api_require_admin(struct req *r, int64_t competition_id);

/*
 * Returns 0 when the signed-in user may review the sub-contest's
 * applications (its reviewer or admin, or a platform admin); otherwise
 * records 404 — a reviewer of another sub-contest learns nothing — and
 * returns -1.
 */
int api_require_reviewer(struct req *r, int64_t competition_id);

/* What a user is in a sub-contest, from most to least. */
enum staff_level {
	STAFF_NONE = 0,	    /* an applicant there, or a judge */
	STAFF_REVIEWER = 1, /* its reviewer */
	STAFF_ADMIN = 2,    /* its competition_admin, or a platform admin */
};

/*
 * Sets *level to the signed-in user's standing in the sub-contest
 * (competition_id > 0; 0 asks about platform-wide roles only, so only a
 * platform admin is STAFF_ADMIN there) and *platform to whether the user
 * is a platform admin. Returns 0, or -1 after recording a database
 * error. Records nothing else: the caller decides between 403 and 404.
 */
int api_staff_level(struct req *r, int64_t competition_id,
		    enum staff_level *level, bool *platform);

#endif
