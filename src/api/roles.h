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

#endif
