/* lifecycle.h: what may happen to an application, and when */
#ifndef DOMAIN_LIFECYCLE_H
#define DOMAIN_LIFECYCLE_H

#include <stdbool.h>
#include <stdint.h>

/* Status codes as stored: draft, submitted, approved, returned. */

/* Returns the Chinese label of a status, stage or technical verification code. */
const char *lc_status_label(const char *status);
const char *lc_stage_label(const char *stage);
const char *lc_tech_label(const char *tech);

/* True for a known status code. */
bool lc_status_known(const char *status);

/* The registration window of a sub-contest, in Unix seconds; 0 = not published. */
struct lc_window {
	int64_t opens;
	int64_t closes;
	int64_t resubmit_closes; /* returned records, when an admin set it */
};

#define LC_VIEW (1u << 0)
#define LC_EDIT (1u << 1)
#define LC_SUBMIT (1u << 2)
#define LC_DELETE (1u << 3)

/*
 * Returns NULL when the status allows editing at `now`, or the reason
 * (Chinese) it does not: submitted and approved records are read-only;
 * drafts only while registration is open; returned records until the
 * resubmission deadline, when one is set.
 */
const char *lc_edit_refusal(const char *status, const struct lc_window *w,
			    int64_t now);

/* As lc_edit_refusal, for submitting (and resubmitting). */
const char *lc_submit_refusal(const char *status, const struct lc_window *w,
			      int64_t now);

/* Returns NULL when a new draft may be started at `now`, else why not. */
const char *lc_create_refusal(const struct lc_window *w, int64_t now);

/* The actions (LC_*) the owner may take now. Only drafts can be deleted. */
unsigned lc_actions(const char *status, const struct lc_window *w, int64_t now);

#endif
