/* main.c: the saiwu binary — settings first, then one subcommand */
#include <stdio.h>
#include <string.h>
#include <sodium.h>
#include "config.h"
#include "cmd/cmd.h"
#include "util/banned.h"

static const struct {
	const char *name;
	int (*fn)(struct config *cfg, int argc, char **argv);
	const char *help;
} commands[] = {
	{ "serve", cmd_serve, "serve the API and the web app" },
	{ "migrate", cmd_migrate, "apply database migrations" },
	{ "catalog", cmd_catalog, "catalog import: load the contest catalog" },
	{ "sms", cmd_sms,
	  "sms outbox | sms send: read the dev outbox, test the provider" },
	{ "lists", cmd_lists,
	  "lists import | verify-uscc: exclusion and dishonesty lists" },
	{ "routes", cmd_routes, "print the route table as JSON" },
	{ "user", cmd_user,
	  "user add | passwd | ensure-admin: manage accounts" },
	{ "version", cmd_version, "print versions" },
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: saiwu [--config FILE] <command> [settings] [args]\n\n"
		"saiwu (赛务) is the registration and review platform of the "
		"2026 \"数据要素×\"\ncompetition.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nRun 'saiwu <command> --help' for a command's usage; "
		   "'saiwu serve --help'\nlists every setting.\n");
}

int main(int argc, char **argv)
{
	struct config cfg;
	char err[1024];
	const char *config_path = NULL;
	int first = 1;

	if (sodium_init() < 0) {
		fprintf(stderr, "saiwu: libsodium failed to initialise\n");
		return 1;
	}
	if (argc > 2 && !strcmp(argv[1], "--config")) {
		config_path = argv[2];
		first = 3;
	} else if (argc > 1 && !strncmp(argv[1], "--config=", 9)) {
		config_path = argv[1] + 9;
		first = 2;
	}
	if (argc <= first || !strcmp(argv[first], "help") ||
	    !strcmp(argv[first], "--help") || !strcmp(argv[first], "-h")) {
		usage(stdout);
		return argc <= first ? 2 : 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		int sub_argc = argc - first;
		char **sub_argv = argv + first;

		if (strcmp(argv[first], commands[i].name))
			continue;
		if (config_load(&cfg, config_path, &sub_argc, sub_argv, err,
				sizeof(err)) < 0) {
			fprintf(stderr, "saiwu: %s\n", err);
			return 2;
		}
		return commands[i].fn(&cfg, sub_argc, sub_argv);
	}
	fprintf(stderr, "saiwu: unknown command '%s'\n\n", argv[first]);
	usage(stderr);
	return 2;
}
