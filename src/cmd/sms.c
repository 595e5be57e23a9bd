/* sms.c: `saiwu sms outbox` reads the dev outbox, `sms send` tests a provider */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "cmd.h"
#include "../domain/account.h"
#include "../crypto/crypto.h"
#include "../notify/sms.h"
#include "../store/db.h"
#include "../store/sms_outbox.h"
#include "../util/str.h"
#include "../util/banned.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: saiwu sms outbox [--limit N] [settings]\n"
		"       saiwu sms send --phone P [--purpose register|login|reset] "
		"[settings]\n\n"
		"'sms outbox' lists the newest messages of the development "
		"provider (default\n20), decrypted, so a developer can read "
		"the codes. It is refused with\nenv=production.\n\n"
		"'sms send' sends one message with a random code through the "
		"configured\nsms_provider and prints what the provider said: "
		"an operator's check of the\nsms_* settings. 'saiwu serve "
		"--help' lists them.\n");
}

/*
 * Takes `--name value` or `--name=value` at argv[*i]. Returns the value,
 * or NULL when argv[*i] is another argument.
 */
static const char *flag_value(int argc, char **argv, int *i, const char *name,
			      int *missing)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n))
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = 1;
		return NULL;
	}
	return argv[++*i];
}

static int outbox(struct config *cfg, int argc, char **argv)
{
	int64_t limit = 20;
	struct db *db;
	json_t *rows;
	size_t i;

	for (int k = 2; k < argc; k++) {
		int missing = 0;
		const char *v = flag_value(argc, argv, &k, "--limit", &missing);
		if (!v) {
			fprintf(stderr, "saiwu: %s '%s'\n",
				missing ? "missing value for"
					: "unexpected argument",
				argv[k]);
			return 2;
		}
		if (str_to_i64z(v, 1, 1000, &limit) < 0) {
			fprintf(stderr,
				"saiwu: --limit: expected 1 to 1000, "
				"not '%s'\n",
				v);
			return 2;
		}
	}
	/* The outbox shows live codes in the clear: a development tool only. */
	if (!strcmp(cfg->env, "production")) {
		fprintf(stderr, "saiwu: 'sms outbox' is refused with "
				"env=production: it shows verification codes "
				"in plain text\n");
		return 1;
	}
	db = cmd_open_store(cfg);
	if (!db)
		return 1;
	if (cmd_init_keys(cfg) < 0) {
		db_close(db);
		return 1;
	}
	rows = store_sms_outbox_latest(db, (int)limit);
	if (!rows) {
		fprintf(stderr, "saiwu: cannot read the outbox: %s\n",
			db_errmsg(db));
		db_close(db);
		return 1;
	}
	if (json_array_size(rows) == 0)
		printf("the outbox is empty\n");
	for (i = 0; i < json_array_size(rows); i++) {
		json_t *row = json_array_get(rows, i);
		time_t t = (time_t)json_integer_value(
			json_object_get(row, "created_at"));
		const char *sealed =
			json_string_value(json_object_get(row, "sealed_text"));
		char when[32];
		struct tm tm;
		size_t len = 0;
		char *text = sealed ? cr_open(sealed, &len) : NULL;

		if (!localtime_r(&t, &tm) ||
		    !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm))
			snprintf(when, sizeof(when), "%lld", (long long)t);
		printf("%s  %s  %-8s  %s\n", when,
		       json_string_value(json_object_get(row, "phone_masked")),
		       json_string_value(json_object_get(row, "purpose")),
		       text ? text
			    : "(cannot decrypt: sealed with another key)");
		free(text);
	}
	json_decref(rows);
	db_close(db);
	return 0;
}

static int send_one(struct config *cfg, int argc, char **argv)
{
	const char *phone_arg = NULL, *purpose_arg = "register";
	char phone[12], code[7], masked[16], err[1024];
	struct sms_message m;
	struct sms_result res;
	struct sms_provider *p;
	struct db *db = NULL;
	int rc;

	for (int k = 2; k < argc; k++) {
		int missing = 0;
		const char *v;

		if ((v = flag_value(argc, argv, &k, "--phone", &missing))) {
			phone_arg = v;
		} else if (!missing &&
			   (v = flag_value(argc, argv, &k, "--purpose",
					   &missing))) {
			purpose_arg = v;
		} else {
			fprintf(stderr, "saiwu: %s '%s'\n",
				missing ? "missing value for"
					: "unexpected argument",
				argv[k]);
			return 2;
		}
	}
	if (!phone_arg) {
		fprintf(stderr, "saiwu: sms send needs --phone\n");
		return 2;
	}
	/* The same rule as sign-up: a code goes only where sign-up would send it. */
	if (dom_phone_normalize(phone_arg, phone) != NULL) {
		fprintf(stderr,
			"saiwu: --phone: '%s' is not a mainland mobile "
			"number\n",
			phone_arg);
		return 2;
	}
	if (sms_purpose_parse(purpose_arg, &m.purpose) < 0) {
		fprintf(stderr,
			"saiwu: --purpose: expected register, login or "
			"reset, not '%s'\n",
			purpose_arg);
		return 2;
	}
	p = sms_provider_new(cfg, err, sizeof(err));
	if (!p) {
		fprintf(stderr, "saiwu: %s\n", err);
		return 1;
	}
	/* Only the outbox writes anywhere; a real provider needs no store. */
	if (!strcmp(sms_provider_name(p), "outbox")) {
		db = cmd_open_store(cfg);
		if (!db || cmd_init_keys(cfg) < 0) {
			db_close(db);
			sms_provider_free(p);
			return 1;
		}
	}
	cr_random_digits(code, 6);
	m.phone = phone;
	m.code = code;
	sms_mask_phone(phone, masked, sizeof(masked));
	rc = sms_send(p, db, &m, &res);
	if (rc == 0) {
		printf("sent a %s code to %s via %s: %s%s%s\n",
		       sms_purpose_name(m.purpose), masked,
		       sms_provider_name(p),
		       res.message[0] ? res.message : res.provider_code,
		       res.biz_id[0] ? ", id " : "", res.biz_id);
		if (db)
			printf("read it with 'saiwu sms outbox'\n");
	} else {
		fprintf(stderr,
			"saiwu: sending to %s via %s failed: %s: %s%s\n",
			masked, sms_provider_name(p), res.provider_code,
			res.message, res.retryable ? " (may be retried)" : "");
	}
	db_close(db);
	sms_provider_free(p);
	return rc == 0 ? 0 : 1;
}

int cmd_sms(struct config *cfg, int argc, char **argv)
{
	if (cmd_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "outbox"))
		return outbox(cfg, argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "send"))
		return send_one(cfg, argc, argv);
	usage(stderr);
	return 2;
}
