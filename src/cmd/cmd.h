/* cmd.h: the subcommands of the saiwu binary */
#ifndef CMD_CMD_H
#define CMD_CMD_H

#include <stddef.h>
#include "../config.h"

struct db;
struct catalog_import_stats;

/*
 * Each subcommand gets its arguments after the subcommand name (flags
 * that are settings already taken out into cfg) and returns the exit
 * status.
 */
int cmd_serve(struct config *cfg, int argc, char **argv);
int cmd_migrate(struct config *cfg, int argc, char **argv);
int cmd_catalog(struct config *cfg, int argc, char **argv);
int cmd_version(struct config *cfg, int argc, char **argv);
int cmd_sms(struct config *cfg, int argc, char **argv);

/* Creates the data directory (and parents). Returns 0, or -1 after printing why. */
int cmd_make_data_dir(const struct config *cfg);

/*
 * Creates the data directory when needed and opens the configured
 * database with its migrations applied. Returns NULL after printing why.
 */
struct db *cmd_open_store(const struct config *cfg);

/*
 * Reads every *.json file of dir (in name order), checks each, and stores
 * them all in one transaction. Returns 0, or -1 with the file and the
 * problem in err.
 */
int catalog_import_dir(struct db *db, const char *dir,
		       struct catalog_import_stats *st, char *err,
		       size_t errlen);

/*
 * Loads (or creates) the master key named by secret_key_file, default
 * DATA_DIR/secret.key, and applies hash_concurrency. Call after
 * cmd_open_store() (which creates the data directory). Returns 0, or -1
 * after printing why.
 */
int cmd_init_keys(const struct config *cfg);

int cmd_user(struct config *cfg, int argc, char **argv);
int cmd_lists(struct config *cfg, int argc, char **argv);
int cmd_routes(struct config *cfg, int argc, char **argv);

/* Returns true when argv holds -h or --help. */
int cmd_wants_help(int argc, char **argv);

#endif
