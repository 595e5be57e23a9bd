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

/* True for a known status, stage or technical verification code. */
bool lc_status_known(const char *status);
bool lc_stage_known(const char *stage);
bool lc_tech_known(const char *tech);

/*
 * Returns the stage that follows `stage` (未审核 → 初赛 → 决赛 → 国赛推送),
 * or NULL after the last one or for an unknown code.
 */
const char *lc_stage_next(const char *stage);

/*
 * Returns NULL when an application with this status and stage may move to
 * stage `to` now, or the reason (Chinese) it may not, with *code set to
 * "not_approved" (only 已通过 records have a stage), "bad_stage" (an
 * unknown target) or "stage_order" (stages advance one at a time and never
 * back: the target must be the next stage).
 */
const char *lc_stage_refusal(const char *status, const char *stage,
			     const char *to, const char **code);

/* The steps of technical verification (技术验证). */
enum lc_tech_step {
	LC_TECH_OPEN,	/* reviewer: 未开始 or 未通过 → 待提交 */
	LC_TECH_SUBMIT, /* applicant: 待提交 → 验证中 */
	LC_TECH_PASS,	/* reviewer: 验证中 → 已通过 */
	LC_TECH_FAIL,	/* reviewer: 验证中 → 未通过 */
};

/* The technical verification code a step leads to. */
const char *lc_tech_target(enum lc_tech_step step);

/*
 * Returns NULL when the step is allowed for an application with this
 * status and technical verification code, or the reason (Chinese) with
 * *code set to "not_approved" (verification is opened for 已通过 records
 * only) or "tech_state" (the verification is not in the state the step
 * starts from).
 */
const char *lc_tech_refusal(const char *status, const char *tech,
			    enum lc_tech_step step, const char **code);

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
