/* test_config.c: defaults < file < environment < flags; bad input names the key */
#include <stdlib.h>
#include <unistd.h>
#include "harness.h"
#include "config.h"

static char path[64];

static void write_file(const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

int main(void)
{
	struct config c;
	char err[512];
	char *argv[8];
	int argc;
	int fd;

	snprintf(path, sizeof(path), "/tmp/saiwu-config-XXXXXX");
	fd = mkstemp(path);
	close(fd);
	unsetenv("SAIWU_CONFIG");
	unsetenv("SAIWU_LISTEN");
	unsetenv("SAIWU_THREADS");

	ok(config_load(&c, NULL, NULL, NULL, err, sizeof(err)) == 0,
	   "defaults load: %s", err);
	is_str(c.listen, "127.0.0.1:8080", "default listen");
	is_str(c.listen_host, "127.0.0.1", "listen host");
	is_int(c.listen_port, 8080, "listen port");
	is_str(c.data_dir, "./var", "default data_dir");
	is_int(c.body_limit, 1048576, "default body_limit");

	write_file("# comment\n\nlisten = 127.0.0.1:9000\nthreads = 3\n");
	ok(config_load(&c, path, NULL, NULL, err, sizeof(err)) == 0,
	   "file loads: %s", err);
	is_int(c.listen_port, 9000, "file listen");
	is_int(c.threads, 3, "file threads");

	setenv("SAIWU_THREADS", "5", 1);
	ok(config_load(&c, path, NULL, NULL, err, sizeof(err)) == 0,
	   "env loads");
	is_int(c.threads, 5, "env beats file");

	argv[0] = "serve";
	argv[1] = "--threads=7";
	argv[2] = "--listen";
	argv[3] = "127.0.0.1:9100";
	argv[4] = "--help";
	argv[5] = NULL;
	argc = 5;
	ok(config_load(&c, path, &argc, argv, err, sizeof(err)) == 0,
	   "flags load: %s", err);
	is_int(c.threads, 7, "flag beats env");
	is_int(c.listen_port, 9100, "flag with separate value");
	is_int(argc, 2, "settings taken out of argv");
	is_str(argv[1], "--help", "other flags left");
	unsetenv("SAIWU_THREADS");

	write_file("listen = 127.0.0.1:9000\nbogus = 1\n");
	ok(config_load(&c, path, NULL, NULL, err, sizeof(err)) < 0 &&
		   strstr(err, "unknown key 'bogus'") && strstr(err, ":2"),
	   "unknown file key named with its line: %s", err);

	write_file("threads = many\n");
	ok(config_load(&c, path, NULL, NULL, err, sizeof(err)) < 0 &&
		   strstr(err, "'threads'"),
	   "bad value named: %s", err);

	write_file("no equals sign\n");
	ok(config_load(&c, path, NULL, NULL, err, sizeof(err)) < 0,
	   "malformed line refused");

	setenv("SAIWU_NOPE", "1", 1);
	ok(config_load(&c, NULL, NULL, NULL, err, sizeof(err)) < 0 &&
		   strstr(err, "SAIWU_NOPE"),
	   "unknown env named: %s", err);
	unsetenv("SAIWU_NOPE");

	setenv("SAIWU_LISTEN", "nonsense", 1);
	ok(config_load(&c, NULL, NULL, NULL, err, sizeof(err)) < 0 &&
		   strstr(err, "'listen'"),
	   "bad listen named: %s", err);
	unsetenv("SAIWU_LISTEN");

	argv[0] = "serve";
	argv[1] = "--log-level=loud";
	argv[2] = NULL;
	argc = 2;
	ok(config_load(&c, NULL, &argc, argv, err, sizeof(err)) < 0 &&
		   strstr(err, "'log_level'"),
	   "bad flag named: %s", err);

	argv[1] = "--threads";
	argv[2] = NULL;
	argc = 2;
	ok(config_load(&c, NULL, &argc, argv, err, sizeof(err)) < 0 &&
		   strstr(err, "needs a value"),
	   "missing value: %s", err);

	argv[1] = "--body-limit=10";
	argc = 2;
	ok(config_load(&c, NULL, &argc, argv, err, sizeof(err)) < 0 &&
		   strstr(err, "body_limit"),
	   "below minimum: %s", err);

	ok(config_load(&c, "/nonexistent/saiwu.conf", NULL, NULL, err,
		       sizeof(err)) < 0 &&
		   strstr(err, "cannot open"),
	   "missing file");
	unlink(path);
	return done_testing("test_config");
}
