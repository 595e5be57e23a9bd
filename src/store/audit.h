/* audit.h: the append-only audit log */
#ifndef STORE_AUDIT_H
#define STORE_AUDIT_H

#include <stdint.h>
#include <jansson.h>
#include "db.h"

struct audit_entry {
	int64_t actor;		 /* 0: the system */
	const char *action;	 /* approve, return, stage, staff_add, … */
	const char *object_type; /* application, competition, user, … */
	int64_t object_id;
	int64_t competition_id; /* 0: platform-wide */
	const char *ip;		/* NULL: none (a command) */
	const char
		*detail; /* JSON object text ({"before":…,"after":…}) or NULL */
	int64_t now;
};

/* Appends an entry (inside the caller's transaction). Returns 0 or -1. */
int store_audit_write(struct db *db, const struct audit_entry *e);

struct audit_filter {
	int64_t actor;		 /* 0: any */
	const char *action;	 /* NULL: any */
	const char *object_type; /* NULL: any */
	int64_t object_id;	 /* 0: any */
	int64_t from;		 /* created_at >= from */
	int64_t to;		 /* created_at < to (0: no end) */
	int64_t competition_id;	 /* -1: any; 0 platform-wide; else one */
	/*
	 * > 0: only entries of sub-contests this user is competition_admin
	 * of (a sub-contest admin's view).
	 */
	int64_t admin_of;
	int64_t limit;
	int64_t offset;
};

/*
 * One page of the log, newest first: [{id, actor_id, actor_account,
 * action, object_type, object_id, competition (slug or null), ip,
 * detail (object or null), created_at}]; *total counts every match.
 * NULL on error.
 */
json_t *store_audit_list(struct db *db, const struct audit_filter *f,
			 int64_t *total);

#endif
