/* keys.c: the master key every subcommand that touches secrets loads */
#include <stdio.h>
#include "cmd.h"
#include "../crypto/crypto.h"
#include "../util/banned.h"

int cmd_init_keys(const struct config *cfg)
{
	char path[600], err[700];

	if (cfg->secret_key_file[0])
		snprintf(path, sizeof(path), "%s", cfg->secret_key_file);
	else
		snprintf(path, sizeof(path), "%s/secret.key", cfg->data_dir);
	if (cr_init(path, err, sizeof(err)) < 0) {
		fprintf(stderr, "saiwu: %s\n", err);
		return -1;
	}
	cr_set_hash_concurrency((int)cfg->hash_concurrency);
	return 0;
}
