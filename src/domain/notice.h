/* notice.h: what an applicant is told of a decision, in-app and by SMS */
#ifndef DOMAIN_NOTICE_H
#define DOMAIN_NOTICE_H

#include <stdbool.h>
#include <stddef.h>

/* The decisions that notify the application's owner. */
enum notice_event {
	NOTICE_APPROVE,	    /* 已通过 */
	NOTICE_RETURN,	    /* 已退回, with the reason */
	NOTICE_STAGE,	    /* a new 项目阶段 */
	NOTICE_TECH_OPEN,   /* 技术验证 opened: 待提交 */
	NOTICE_TECH_RESULT, /* 技术验证 已通过 or 未通过 */
	NOTICE_AWARD,	    /* the published award (获奖通知) */
	NOTICE_COUNT
};

/* The most characters (code points) an SMS template may have. */
#define NOTICE_SMS_MAX_CHARS 200

/* Returns the event's code ("approve", "return", "stage", "tech_open", "tech_result", "award"). */
const char *notice_event_name(enum notice_event e);

/* Returns the event's Chinese name (审核通过, 退回修改, …). */
const char *notice_event_label(enum notice_event e);

/* Parses an event code. Returns 0, or -1 for an unknown one. */
int notice_event_parse(const char *s, enum notice_event *out);

/* The built-in SMS text of the event (used until an admin edits it). */
const char *notice_default_sms(enum notice_event e);

/*
 * The placeholders the event's templates may use, NULL-ended, without
 * braces: project, reason, stage, due, result, award.
 */
const char *const *notice_placeholders(enum notice_event e);

/*
 * Checks an SMS template for the event: 1 to NOTICE_SMS_MAX_CHARS
 * characters of valid UTF-8, no control characters, no 【 or 】 (the
 * provider adds the signature), and every brace part of a placeholder the
 * event knows ({project} …). Returns NULL when it is fine, or the problem
 * in Chinese, written into why (n bytes).
 */
const char *notice_template_check(enum notice_event e, const char *text,
				  char *why, size_t n);

struct notice_var {
	const char *name; /* without braces */
	const char *value;
};

/*
 * Writes tmpl into out (cap bytes, always NUL-terminated) with each
 * {name} replaced by its value; an unknown placeholder is kept as it is.
 * Returns 0, or -1 when the result did not fit (out then holds a prefix
 * cut at a character boundary).
 */
int notice_render(const char *tmpl, const struct notice_var *vars, size_t n,
		  char *out, size_t cap);

/*
 * Copies at most max_chars characters of s into out (cap bytes), adding
 * "…" when it had to cut; line breaks and tabs become spaces. Returns
 * out.
 */
char *notice_clip(const char *s, size_t max_chars, char *out, size_t cap);

#endif
