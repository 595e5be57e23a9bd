/* catalog.c: `saiwu catalog import` loads the contest catalog files */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cmd.h"
#include "../domain/catalog.h"
#include "../store/catalog.h"
#include "../store/db.h"
#include "../util/banned.h"

#define MAX_FILES 64

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int by_sort_order(const void *a, const void *b)
{
	json_int_t x = json_integer_value(
		json_object_get(*(json_t *const *)a, "sort_order"));
	json_int_t y = json_integer_value(
		json_object_get(*(json_t *const *)b, "sort_order"));
	return x < y ? -1 : x > y;
}

int catalog_import_dir(struct db *db, const char *dir,
		       struct catalog_import_stats *st, char *err,
		       size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *names[MAX_FILES];
	json_t *docs[MAX_FILES];
	int n = 0, rc = -1;

	memset(docs, 0, sizeof(docs));
	if (!d) {
		snprintf(err, errlen, "cannot open catalog_dir '%s': %s", dir,
			 strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") ||
		    e->d_name[0] == '.')
			continue;
		if (n == MAX_FILES) {
			snprintf(err, errlen, "more than %d files in '%s'",
				 MAX_FILES, dir);
			goto out;
		}
		names[n] = strdup(e->d_name);
		if (!names[n]) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		n++;
	}
	if (n == 0) {
		snprintf(err, errlen, "no *.json catalog files in '%s'", dir);
		goto out;
	}
	qsort(names, (size_t)n, sizeof(names[0]), by_name);
	for (int i = 0; i < n; i++) {
		char path[1024], why[512];
		json_error_t jerr;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		docs[i] = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
		if (!docs[i]) {
			snprintf(err, errlen, "%s:%d:%d: %s", path, jerr.line,
				 jerr.column, jerr.text);
			goto out;
		}
		if (dom_catalog_check(docs[i], why, sizeof(why)) < 0) {
			snprintf(err, errlen, "%s: %s", path, why);
			goto out;
		}
		for (int k = 0; k < i; k++)
			if (json_equal(json_object_get(docs[k], "slug"),
				       json_object_get(docs[i], "slug"))) {
				snprintf(err, errlen,
					 "%s: slug '%s' also in %s", path,
					 json_string_value(json_object_get(
						 docs[i], "slug")),
					 names[k]);
				goto out;
			}
	}
	/* New sub-contests get their ids in display order. */
	qsort(docs, (size_t)n, sizeof(docs[0]), by_sort_order);
	rc = store_catalog_import(db, docs, n, st, err, errlen);
out:
	closedir(d);
	for (int i = 0; i < n; i++) {
		free(names[i]);
		json_decref(docs[i]);
	}
	return rc;
}

int cmd_catalog(struct config *cfg, int argc, char **argv)
{
	struct catalog_import_stats st;
	char err[1024];
	const char *dir = cfg->catalog_dir;
	struct db *db;

	if (argc < 2 || strcmp(argv[1], "import") ||
	    cmd_wants_help(argc, argv)) {
		printf("usage: saiwu catalog import [--catalog-dir DIR] [settings]\n\n"
		       "Loads every *.json sub-contest file of DIR (default: "
		       "catalog) into the\ndatabase. Rows are matched by slug, "
		       "track key and topic number, so a second\nimport of "
		       "the same files changes nothing and an edited file "
		       "updates in place.\nA running server picks the change "
		       "up within a second.\n");
		return cmd_wants_help(argc, argv) ? 0 : 2;
	}
	if (argc > 2) {
		fprintf(stderr, "saiwu: unexpected argument '%s'\n", argv[2]);
		return 2;
	}
	db = cmd_open_store(cfg);
	if (!db)
		return 1;
	if (catalog_import_dir(db, dir, &st, err, sizeof(err)) < 0) {
		fprintf(stderr, "saiwu: %s\n", err);
		db_close(db);
		return 1;
	}
	printf("catalog imported from %s: %d sub-contests, %d tracks, "
	       "%d topics changed; %d retired\n",
	       dir, st.competitions, st.tracks, st.topics, st.retired);
	db_close(db);
	return 0;
}
