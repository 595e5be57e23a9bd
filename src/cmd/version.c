/* version.c: `saiwu version` names the build and its libraries */
#include <stdio.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <microhttpd.h>
#include <sodium.h>
#include <sqlite3.h>
#include "cmd.h"
#include "../util/banned.h"

#ifndef SAIWU_VERSION
#define SAIWU_VERSION "0.1.0"
#endif

int cmd_version(struct config *cfg, int argc, char **argv)
{
	int pq = PQlibVersion();

	(void)cfg;
	if (cmd_wants_help(argc, argv)) {
		printf("usage: saiwu version\n\nPrints the version of saiwu "
		       "and of the libraries it runs on.\n");
		return 0;
	}
	printf("saiwu %s\n", SAIWU_VERSION);
	printf("libmicrohttpd %s, sqlite %s, libpq %d.%d, jansson %s, "
	       "libsodium %s\n",
	       MHD_get_version(), sqlite3_libversion(), pq / 10000, pq % 100,
	       jansson_version_str(), sodium_version_string());
	return 0;
}
