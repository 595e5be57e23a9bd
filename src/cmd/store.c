/* store.c: opening the database for a subcommand */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "cmd.h"
#include "../store/db.h"
#include "../store/migrate.h"
#include "../util/banned.h"

static int make_dir(const char *path)
{
	char tmp[512];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, path, n + 1);
	/* mkdir -p: each missing parent in turn. */
	for (size_t i = 1; i < n; i++) {
		if (tmp[i] != '/')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0750) < 0 && errno != EEXIST)
			return -1;
		tmp[i] = '/';
	}
	if (mkdir(tmp, 0750) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

int cmd_make_data_dir(const struct config *cfg)
{
	if (make_dir(cfg->data_dir) < 0) {
		fprintf(stderr, "saiwu: cannot create data_dir '%s': %s\n",
			cfg->data_dir, strerror(errno));
		return -1;
	}
	return 0;
}

struct db *cmd_open_store(const struct config *cfg)
{
	char tmp[600], err[1024];
	const char *url = config_database_url(cfg, tmp, sizeof(tmp));
	struct db *db;
	int applied = 0;

	if (cmd_make_data_dir(cfg) < 0)
		return NULL;
	db = db_open(url, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "saiwu: %s\n", err);
		return NULL;
	}
	if (store_migrate(db, &applied, err, sizeof(err)) < 0) {
		fprintf(stderr, "saiwu: %s\n", err);
		db_close(db);
		return NULL;
	}
	return db;
}

int cmd_wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return 1;
	return 0;
}
