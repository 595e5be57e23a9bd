/* notices.h: telling an applicant of a decision, in-app and by SMS */
#ifndef API_NOTICES_H
#define API_NOTICES_H

#include <stdbool.h>
#include <stdint.h>
#include "../domain/notice.h"
#include "../http/request.h"

struct app_row;

/* What a notice says besides the project; unused members are NULL or 0. */
struct notice_facts {
	const char *reason;	  /* the return reason, or the tech comment */
	const char *stage;	  /* the new stage code */
	const char *instructions; /* technical verification */
	int64_t due_at;
	bool passed;	   /* technical verification result */
	const char *award; /* the award's names, e.g. 一等奖、最具价值奖 */
};

/*
 * Writes the in-app message of a decision for the application's owner
 * and queues its SMS (the admin's template of the event, or the built-in
 * one), inside the caller's write transaction. Nothing is sent here: the
 * notice sender does that after the commit (api_notices_kick()). Returns
 * 0, or -1 with db_errmsg() saying why (the caller rolls back).
 */
int api_notice_record(struct req *r, const struct app_row *a,
		      enum notice_event e, const struct notice_facts *f);

/* Wakes the SMS notice sender after a commit that queued notices. */
void api_notices_kick(struct req *r);

/* Formats Unix seconds as "2026-08-01 18:00" (China time) into out (20 bytes). */
void api_format_due(int64_t t, char out[20]);

#endif
