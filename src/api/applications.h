/* applications.h: helpers the application handlers share */
#ifndef API_APPLICATIONS_H
#define API_APPLICATIONS_H

#include <jansson.h>
#include "../domain/lifecycle.h"
#include "../http/request.h"

struct app_row;

/*
 * The registration window of a sub-contest as this server applies it:
 * the catalog's dates, or in demo mode a window open around today.
 */
void app_window(struct req *r, const json_t *competition,
		int64_t competition_id, struct lc_window *w);

/* Replaces every sealed value ("enc:v1:…") in doc by its plain text. */
int doc_unseal(json_t *doc);

#endif
