/* lists.c: `saiwu lists import | verify-uscc` for the entry rules' lists */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "../domain/ident.h"
#include "../domain/unit_list.h"
#include "../store/applications.h"
#include "../store/db.h"
#include "../store/users.h"
#include "../util/clock.h"
#include "../util/banned.h"

#define MAX_FILE (64u << 20)

static void usage(void)
{
	printf("usage: saiwu lists import --kind exclusion|dishonest "
	       "[--competition SLUG] FILE.csv\n"
	       "       saiwu lists verify-uscc CODE [--note TEXT]\n\n"
	       "The CSV has the columns 统一社会信用代码,单位名称,备注 (UTF-8; a "
	       "header line is\nskipped). exclusion lists the organiser and its "
	       "affiliates of one sub-contest\n(--competition required); "
	       "dishonest (失信被执行人 and the like) applies to all.\nA file "
	       "with any malformed line is refused whole, naming each line.\n\n"
	       "verify-uscc accepts a legal credit code that fails the GB "
	       "32100 check\ncharacter, so applications using it can be "
	       "submitted.\n");
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    (size_t)n <= MAX_FILE && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1))) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

static int import(struct db *db, const char *kind, const char *slug,
		  const char *path)
{
	int64_t comp = 0, now = clock_now();
	size_t len = 0, i;
	char *text;
	json_t *parsed, *row;
	int rc = 1;

	if (!unit_list_kind_ok(kind)) {
		fprintf(stderr,
			"saiwu: --kind must be exclusion or dishonest\n");
		return 2;
	}
	if (!strcmp(kind, "exclusion")) {
		if (!slug) {
			fprintf(stderr, "saiwu: the exclusion list needs "
					"--competition SLUG\n");
			return 2;
		}
		if (store_competition_id(db, slug, &comp) != 1) {
			fprintf(stderr, "saiwu: no sub-contest '%s'\n", slug);
			return 1;
		}
	}
	text = read_file(path, &len);
	if (!text) {
		fprintf(stderr, "saiwu: cannot read '%s'\n", path);
		return 1;
	}
	parsed = unit_list_parse(text, len);
	free(text);
	if (!parsed)
		return 1;
	json_array_foreach (json_object_get(parsed, "errors"), i, row)
		fprintf(stderr, "%s:%lld: %s\n", path,
			(long long)json_integer_value(
				json_object_get(row, "line")),
			json_string_value(json_object_get(row, "message")));
	if (json_array_size(json_object_get(parsed, "errors"))) {
		fprintf(stderr,
			"saiwu: nothing imported; fix the lines above\n");
		goto out;
	}
	if (db_begin_write(db) < 0)
		goto dbfail;
	json_array_foreach (json_object_get(parsed, "rows"), i, row) {
		if (!json_is_true(json_object_get(row, "checksum_ok")))
			fprintf(stderr,
				"%s:%lld: warning: %s fails the check "
				"character (kept)\n",
				path,
				(long long)json_integer_value(
					json_object_get(row, "line")),
				json_string_value(
					json_object_get(row, "uscc")));
		if (store_unit_list_add(
			    db, kind, comp,
			    json_string_value(json_object_get(row, "uscc")),
			    json_string_value(json_object_get(row, "name")),
			    json_string_value(json_object_get(row, "note")),
			    now) < 0)
			goto dbfail;
	}
	if (store_audit_add(db, 0, "unit_list_import", kind, comp, "cli", path,
			    now) < 0 ||
	    db_commit(db) < 0)
		goto dbfail;
	printf("%zu rows imported into the %s list%s%s\n",
	       json_array_size(json_object_get(parsed, "rows")), kind,
	       slug && comp ? " of " : "", slug && comp ? slug : "");
	rc = 0;
	goto out;
dbfail:
	fprintf(stderr, "saiwu: %s\n", db_errmsg(db));
	db_rollback(db);
out:
	json_decref(parsed);
	return rc;
}

static int verify(struct db *db, const char *code, const char *note)
{
	char norm[19];
	bool checksum = false;

	ident_uscc_normalize(code, norm);
	if (!norm[0] || (ident_uscc_check(norm, &checksum) && !checksum)) {
		fprintf(stderr,
			"saiwu: '%s' is not shaped like a credit code\n", code);
		return 1;
	}
	if (store_uscc_verify(db, norm, note ? note : "", 0, clock_now()) < 0 ||
	    store_audit_add(db, 0, "uscc_verify", "uscc", 0, "cli", norm,
			    clock_now()) < 0) {
		fprintf(stderr, "saiwu: %s\n", db_errmsg(db));
		return 1;
	}
	printf("%s marked as verified\n", norm);
	return 0;
}

int cmd_lists(struct config *cfg, int argc, char **argv)
{
	const char *kind = NULL, *slug = NULL, *note = NULL, *arg = NULL;
	const char *sub = argc > 1 ? argv[1] : "";
	struct db *db;
	int rc;

	if (argc < 2 || cmd_wants_help(argc, argv)) {
		usage();
		return argc < 2 ? 2 : 0;
	}
	for (int i = 2; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(argv[i], "--kind") && v)
			kind = argv[++i];
		else if (!strcmp(argv[i], "--competition") && v)
			slug = argv[++i];
		else if (!strcmp(argv[i], "--note") && v)
			note = argv[++i];
		else if (argv[i][0] != '-' && !arg)
			arg = argv[i];
		else {
			fprintf(stderr, "saiwu: unexpected argument '%s'\n",
				argv[i]);
			return 2;
		}
	}
	if (!arg || (strcmp(sub, "import") && strcmp(sub, "verify-uscc")) ||
	    (!strcmp(sub, "import") && !kind)) {
		usage();
		return 2;
	}
	db = cmd_open_store(cfg);
	if (!db)
		return 1;
	rc = !strcmp(sub, "import") ? import(db, kind, slug, arg)
				    : verify(db, arg, note);
	db_close(db);
	return rc;
}
