/* user.c: `saiwu user add | passwd | ensure-admin` for operators */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "../crypto/crypto.h"
#include "../domain/account.h"
#include "../store/db.h"
#include "../store/auth.h"
#include "../store/users.h"
#include "../util/clock.h"
#include "../util/banned.h"

#define MAX_ROLES 16

static void usage(void)
{
	printf("usage: saiwu user add --account NAME --phone PHONE "
	       "[--role ROLE[:SLUG]]...\n"
	       "                     [--password-env VAR]\n"
	       "       saiwu user passwd ACCOUNT [--password-env VAR]\n"
	       "       saiwu user ensure-admin\n\n"
	       "Roles: platform_admin, or competition_admin, reviewer and "
	       "judge with the\nslug of their sub-contest (e.g. "
	       "reviewer:guangdong-2026). Every user is an\napplicant. The "
	       "password comes from the environment variable named by\n"
	       "--password-env; without it a random one is made and printed "
	       "once.\n\n"
	       "ensure-admin creates the demo platform admin 'admin' when it "
	       "does not exist\n(password from SAIWU_DEMO_ADMIN_PASSWORD, "
	       "else random, phone from\nSAIWU_DEMO_ADMIN_PHONE, else "
	       "13800000000) and prints how to sign in.\n");
}

static const char *valid_roles[] = { "platform_admin", "competition_admin",
				     "reviewer", "judge", NULL };

static int get_password(const char *env, const char *account, char *out,
			size_t n, bool *generated)
{
	const char *why;

	*generated = false;
	if (env) {
		const char *v = getenv(env);
		if (!v) {
			fprintf(stderr,
				"saiwu: environment variable '%s' is "
				"not set\n",
				env);
			return -1;
		}
		snprintf(out, n, "%s", v);
	} else {
		char token[CR_TOKEN_CHARS];
		cr_random_token(token);
		/* 16 characters from the token, plus a digit and a symbol. */
		snprintf(out, n, "%.16s7!", token);
		*generated = true;
	}
	why = dom_password_check(out, account);
	if (why) {
		fprintf(stderr, "saiwu: password: %s\n", why);
		return -1;
	}
	return 0;
}

static int add_roles(struct db *db, int64_t id, char **roles, int nroles)
{
	for (int i = 0; i < nroles; i++) {
		char name[64];
		const char *colon = strchr(roles[i], ':');
		int64_t comp = 0;
		bool known = false;

		snprintf(name, sizeof(name), "%.*s",
			 colon ? (int)(colon - roles[i])
			       : (int)strlen(roles[i]),
			 roles[i]);
		for (const char **v = valid_roles; *v; v++)
			if (!strcmp(*v, name))
				known = true;
		if (!known) {
			fprintf(stderr, "saiwu: unknown role '%s'\n", name);
			return -1;
		}
		if (!strcmp(name, "platform_admin") != !colon) {
			fprintf(stderr, "saiwu: role '%s' %s\n", name,
				colon ? "takes no sub-contest"
				      : "needs a sub-contest: ROLE:SLUG");
			return -1;
		}
		if (colon && store_competition_id(db, colon + 1, &comp) != 1) {
			fprintf(stderr, "saiwu: no sub-contest '%s'\n",
				colon + 1);
			return -1;
		}
		if (store_user_add_role(db, id, name, comp, clock_now()) < 0) {
			fprintf(stderr, "saiwu: %s\n", db_errmsg(db));
			return -1;
		}
	}
	return 0;
}

static int create(struct db *db, const char *account, const char *phone_in,
		  const char *pw_env, char **roles, int nroles,
		  bool quiet_exists)
{
	char phone[PHONE_LEN + 1], lower[21], ph[CR_HASH_HEX];
	char masked[PHONE_LEN + 1], pw[200], hash[CR_PWHASH_MAX];
	const char *why;
	char *sealed;
	struct user_new nu;
	int64_t id = 0;
	bool generated;
	int rc;

	if ((why = dom_account_check(account)) ||
	    (why = dom_phone_normalize(phone_in, phone))) {
		fprintf(stderr, "saiwu: %s\n", why);
		return 1;
	}
	if (get_password(pw_env, account, pw, sizeof(pw), &generated) < 0)
		return 1;
	if (cr_password_hash(pw, strlen(pw), hash) != CR_PW_OK) {
		fprintf(stderr, "saiwu: cannot hash the password\n");
		return 1;
	}
	dom_account_lower(account, lower);
	cr_keyed_hash("phone", phone, strlen(phone), ph);
	dom_phone_mask(phone, masked);
	sealed = cr_seal(phone, strlen(phone));
	if (!sealed || db_begin_write(db) < 0) {
		free(sealed);
		fprintf(stderr, "saiwu: %s\n", db_errmsg(db));
		return 1;
	}
	nu = (struct user_new){ account, lower, ph,   sealed,
				masked,	 hash,	NULL, clock_now() };
	rc = store_user_create(db, &nu, &id);
	free(sealed);
	if (rc == STORE_DUP_ACCOUNT || rc == STORE_DUP_PHONE) {
		db_rollback(db);
		if (quiet_exists)
			return 3;
		fprintf(stderr, "saiwu: that %s is already registered\n",
			rc == STORE_DUP_ACCOUNT ? "account" : "phone number");
		return 1;
	}
	if (rc < 0 || add_roles(db, id, roles, nroles) < 0 ||
	    db_commit(db) < 0) {
		if (rc < 0)
			fprintf(stderr, "saiwu: %s\n", db_errmsg(db));
		db_rollback(db);
		return 1;
	}
	printf("user %s created (id %lld, phone %s)\n", account, (long long)id,
	       masked);
	if (generated)
		printf("password: %s  (shown once; change it after signing in)\n",
		       pw);
	return 0;
}

static int passwd(struct db *db, const char *account, const char *pw_env)
{
	char lower[21], pw[200], hash[CR_PWHASH_MAX];
	struct user_row u;
	bool generated;

	dom_account_lower(account, lower);
	if (store_user_by_account(db, lower, &u) != 1) {
		fprintf(stderr, "saiwu: no account '%s'\n", account);
		return 1;
	}
	if (get_password(pw_env, u.account, pw, sizeof(pw), &generated) < 0)
		return 1;
	/*
	 * An operator resets a password when an account is lost or locked:
	 * its sessions end and its sign-in failures are forgotten (the key
	 * is the one api/auth.c counts failures under).
	 */
	{
		char key[CR_HASH_HEX], buf[32];
		int n = snprintf(buf, sizeof(buf), "user:%lld",
				 (long long)u.id);
		cr_keyed_hash("login", buf, (size_t)n, key);
		if (cr_password_hash(pw, strlen(pw), hash) != CR_PW_OK ||
		    db_begin_write(db) < 0 ||
		    store_user_set_password(db, u.id, hash, clock_now()) < 0 ||
		    store_session_revoke_user(db, u.id, 0, clock_now()) < 0 ||
		    store_auth_failure_clear(db, "account", key) < 0 ||
		    db_commit(db) < 0) {
			fprintf(stderr, "saiwu: cannot set the password: %s\n",
				db_errmsg(db));
			db_rollback(db);
			return 1;
		}
	}
	printf("password of %s changed; its sessions are signed out\n",
	       u.account);
	if (generated)
		printf("password: %s  (shown once)\n", pw);
	return 0;
}

int cmd_user(struct config *cfg, int argc, char **argv)
{
	const char *account = NULL, *phone = NULL, *pw_env = NULL;
	char *roles[MAX_ROLES];
	int nroles = 0, rc;
	struct db *db;
	const char *sub = argc > 1 ? argv[1] : "";

	if (cmd_wants_help(argc, argv) || argc < 2) {
		usage();
		return argc < 2 ? 2 : 0;
	}
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--account") && v)
			account = argv[++i];
		else if (!strcmp(a, "--phone") && v)
			phone = argv[++i];
		else if (!strcmp(a, "--password-env") && v)
			pw_env = argv[++i];
		else if (!strcmp(a, "--role") && v && nroles < MAX_ROLES)
			roles[nroles++] = argv[++i];
		else if (!strcmp(sub, "passwd") && !account && a[0] != '-')
			account = a;
		else {
			fprintf(stderr, "saiwu: unexpected argument '%s'\n", a);
			return 2;
		}
	}
	db = cmd_open_store(cfg);
	if (!db)
		return 1;
	if (cmd_init_keys(cfg) < 0) {
		db_close(db);
		return 1;
	}
	if (!strcmp(sub, "add")) {
		if (!account || !phone) {
			fprintf(stderr, "saiwu: user add needs --account and "
					"--phone\n");
			rc = 2;
		} else {
			rc = create(db, account, phone, pw_env, roles, nroles,
				    false);
		}
	} else if (!strcmp(sub, "passwd") && account) {
		rc = passwd(db, account, pw_env);
	} else if (!strcmp(sub, "ensure-admin")) {
		const char *demo_phone = getenv("SAIWU_DEMO_ADMIN_PHONE");
		char *admin_role[1] = { "platform_admin" };
		rc = create(db, "admin",
			    demo_phone ? demo_phone : "13800000000",
			    getenv("SAIWU_DEMO_ADMIN_PASSWORD")
				    ? "SAIWU_DEMO_ADMIN_PASSWORD"
				    : NULL,
			    admin_role, 1, true);
		if (rc == 0)
			printf("demo admin: sign in with account 'admin' and %s\n",
			       getenv("SAIWU_DEMO_ADMIN_PASSWORD")
				       ? "the password in SAIWU_DEMO_ADMIN_PASSWORD"
				       : "the password above");
		if (rc == 3) {
			printf("demo admin 'admin' exists; its password was "
			       "printed when it was created\n(reset it with: "
			       "build/saiwu user passwd admin)\n");
			rc = 0;
		}
	} else {
		usage();
		rc = 2;
	}
	db_close(db);
	return rc;
}
