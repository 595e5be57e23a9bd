/* migrate.c: `saiwu migrate` brings the schema up to date */
#include <stdio.h>
#include "cmd.h"
#include "../store/db.h"
#include "../store/migrate.h"
#include "../util/banned.h"

int cmd_migrate(struct config *cfg, int argc, char **argv)
{
	char tmp[600], err[1024];
	struct db *db;
	int applied = 0, version;

	if (argc > 1 && !cmd_wants_help(argc, argv)) {
		fprintf(stderr, "saiwu: unknown argument '%s'\n", argv[1]);
		return 2;
	}
	if (cmd_wants_help(argc, argv)) {
		printf("usage: saiwu migrate [settings]\n\n"
		       "Applies the schema migrations the database has not "
		       "seen yet, each in its\nown transaction. `saiwu serve` "
		       "does the same at start.\n");
		return 0;
	}
	if (cmd_make_data_dir(cfg) < 0)
		return 1;
	db = db_open(config_database_url(cfg, tmp, sizeof(tmp)), err,
		     sizeof(err));
	if (!db) {
		fprintf(stderr, "saiwu: %s\n", err);
		return 1;
	}
	if (store_migrate(db, &applied, err, sizeof(err)) < 0) {
		fprintf(stderr, "saiwu: %s\n", err);
		db_close(db);
		return 1;
	}
	version = store_schema_version(db);
	printf("migrations applied: %d; schema version: %d\n", applied,
	       version);
	db_close(db);
	return 0;
}
