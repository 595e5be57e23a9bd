/* users.h: accounts and their roles */
#ifndef STORE_USERS_H
#define STORE_USERS_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "db.h"

struct user_row {
	int64_t id;
	char account[21];
	char phone_masked[12];
	char phone_sealed[256];
	char password_hash[128]; /* empty: signed up by SMS, no password yet */
	int64_t created_at;
	bool disabled;
};

/* Results of store_user_create besides 0 and -1. */
#define STORE_DUP_ACCOUNT 1
#define STORE_DUP_PHONE 2

struct user_new {
	const char *account;
	const char *account_lower;
	const char *phone_hash;
	const char *phone_sealed;
	const char *phone_masked;
	const char *password_hash; /* NULL: none */
	const char *agreement_version;
	int64_t now;
};

/*
 * Inserts a user (inside the caller's write transaction). Returns 0 with
 * *id set, STORE_DUP_ACCOUNT or STORE_DUP_PHONE when taken, -1 on error.
 */
int store_user_create(struct db *db, const struct user_new *u, int64_t *id);

/* Finds a user by lower-cased account, phone hash or id. 1 found, 0 none, -1 error. */
int store_user_by_account(struct db *db, const char *account_lower,
			  struct user_row *u);
int store_user_by_phone(struct db *db, const char *phone_hash,
			struct user_row *u);
int store_user_by_id(struct db *db, int64_t id, struct user_row *u);

/* Replaces the password hash. Returns 0 or -1. */
int store_user_set_password(struct db *db, int64_t id, const char *hash,
			    int64_t now);

/*
 * Returns the user's roles as [{"role","competition_id","competition"}]
 * where competition is the slug or null. NULL on error.
 */
json_t *store_user_roles(struct db *db, int64_t id);

/* Grants a role (idempotent). competition_id 0 for platform roles. */
int store_user_add_role(struct db *db, int64_t id, const char *role,
			int64_t competition_id, int64_t now);

/* Finds a sub-contest id by slug: 1 found, 0 none, -1 error. */
int store_competition_id(struct db *db, const char *slug, int64_t *id);

#endif
