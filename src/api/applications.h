/* applications.h: helpers the application handlers share */
#ifndef API_APPLICATIONS_H
#define API_APPLICATIONS_H

#include <stdbool.h>
#include <jansson.h>
#include "../domain/lifecycle.h"
#include "../http/request.h"

struct app_row;

/*
 * Reads the application the route's :id names into a (release it with
 * app_row_release()) when it is the signed-in user's own. Returns 0, or
 * -1 with 404 (absent or someone else's) or the database error recorded.
 */
int api_app_own(struct req *r, struct app_row *a);

/*
 * As api_app_own(), for a reviewer or admin of the sub-contest (with
 * unmask, an admin): any submitted application. A draft is 404, as is a
 * sub-contest the user does not review; without the admin role unmask
 * is 403.
 */
int api_app_reviewed(struct req *r, bool unmask, struct app_row *a);

/*
 * The registration window of a sub-contest as this server applies it:
 * the catalog's dates, or in demo mode a window open around today.
 */
void app_window(struct req *r, const json_t *competition,
		int64_t competition_id, struct lc_window *w);

/* Replaces every sealed value ("enc:v1:…") in doc by its plain text. */
int doc_unseal(json_t *doc);

/*
 * Finds the object in doc that holds the last key of a form path such
 * as "members[1].id_number" and copies that key into last (lastn bytes).
 * Returns the object, writable, or NULL when the path does not lead to
 * one or the key does not fit.
 */
json_t *doc_parent_of(json_t *doc, const char *path, char *last, size_t lastn);

#endif
