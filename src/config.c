/* config.c: one option table drives the file, the environment and the flags */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config.h"
#include "util/log.h"
#include "util/str.h"
#include "util/banned.h"

extern char **environ;

enum opt_type {
	OPT_STR,
	OPT_INT,
	OPT_BOOL,
	OPT_LISTEN,
	OPT_LEVEL,
	OPT_ENV,
	OPT_SMS,
	OPT_STORAGE
};

struct opt {
	const char *key;
	enum opt_type type;
	size_t off;
	size_t size;
	int64_t min, max;
	const char *def;
	const char *help;
};

#define S(field)                                                               \
	offsetof(struct config, field), sizeof(((struct config *)0)->field)

static const struct opt opts[] = {
	{ "listen", OPT_LISTEN, S(listen), 0, 0, "127.0.0.1:8080",
	  "address and port to serve on" },
	{ "data_dir", OPT_STR, S(data_dir), 0, 0, "./var",
	  "directory for the SQLite database and stored files" },
	{ "database_url", OPT_STR, S(database_url), 0, 0, "",
	  "sqlite file path, or postgres://… (default: DATA_DIR/saiwu.db)" },
	{ "web_dir", OPT_STR, S(web_dir), 0, 0, "web/dist",
	  "directory of the built front end" },
	{ "catalog_dir", OPT_STR, S(catalog_dir), 0, 0, "catalog",
	  "directory of the contest catalog JSON files" },
	{ "threads", OPT_INT, S(threads), 0, 256, "0",
	  "HTTP worker threads (0: two per core)" },
	{ "group_commit", OPT_BOOL, S(group_commit), 0, 0, "true",
	  "SQLite: one writer thread commits waiting draft saves together" },
	{ "max_connections", OPT_INT, S(max_connections), 1, 100000, "1024",
	  "concurrent connections accepted" },
	{ "max_connections_per_ip", OPT_INT, S(max_connections_per_ip), 0,
	  100000, "0",
	  "connections one client address may hold at once; more are closed "
	  "on accept (0: no limit; counts the proxy behind a reverse proxy)" },
	{ "connection_timeout", OPT_INT, S(connection_timeout), 1, 3600, "30",
	  "seconds a connection may stay idle" },
	{ "connection_memory", OPT_INT, S(connection_memory), 16384, 16777216,
	  "65536", "bytes of buffer per connection" },
	{ "body_limit", OPT_INT, S(body_limit), 1024, 67108864, "1048576",
	  "largest JSON request body in bytes" },
	{ "log_level", OPT_LEVEL, S(log_level), 0, 0, "info",
	  "debug, info, warn or error" },
	{ "env", OPT_ENV, S(env), 0, 0, "development",
	  "development or production" },
	{ "secret_key_file", OPT_STR, S(secret_key_file), 0, 0, "",
	  "32-byte key for keyed hashes and encryption (default: "
	  "DATA_DIR/secret.key, created 0600 on first run)" },
	{ "hash_concurrency", OPT_INT, S(hash_concurrency), 1, 64, "1",
	  "password hashes computed at once; more get 429" },
	{ "auth_rate_limit", OPT_INT, S(auth_rate_limit), 0, 1000000, "600",
	  "sign-in, registration, captcha and SMS-code requests one client "
	  "address may make a minute beyond the burst; more get 429 before "
	  "the body is read (0: no limit)" },
	{ "auth_rate_burst", OPT_INT, S(auth_rate_burst), 1, 100000, "100",
	  "such requests one client address may make at once" },
	{ "auth_tarpit_ms", OPT_INT, S(auth_tarpit_ms), 0, 10000, "500",
	  "milliseconds a refusal of auth_rate_limit waits before it is sent "
	  "(the connection is suspended, nothing works meanwhile; 0: at once)" },
	{ "trusted_proxies", OPT_STR, S(trusted_proxies), 0, 0, "",
	  "reverse proxies whose X-Forwarded-For names the client: addresses "
	  "and CIDR blocks, comma-separated (empty: the TCP peer is the "
	  "client)" },
	{ "cookie_secure", OPT_BOOL, S(cookie_secure), 0, 0, "false",
	  "mark session cookies Secure with the __Host- prefix (behind TLS)" },
	{ "test_mode", OPT_BOOL, S(test_mode), 0, 0, "false",
	  "let automated tests read captcha answers and SMS codes "
	  "(refused in production)" },
	{ "demo", OPT_BOOL, S(demo), 0, 0, "false",
	  "演示 mode: every sub-contest's registration is open around today "
	  "(the catalog keeps its real dates; refused in production)" },
	{ "sms_provider", OPT_SMS, S(sms_provider), 0, 0, "outbox",
	  "outbox (development), aliyun or tencent" },
	{ "sms_endpoint", OPT_STR, S(sms_endpoint), 0, 0, "",
	  "provider URL (default: the provider's public endpoint)" },
	{ "sms_access_key_id", OPT_STR, S(sms_access_key_id), 0, 0, "",
	  "AccessKeyId (aliyun) or SecretId (tencent)" },
	{ "sms_access_key_secret", OPT_STR, S(sms_access_key_secret), 0, 0, "",
	  "AccessKeySecret (aliyun) or SecretKey (tencent)" },
	{ "sms_sign_name", OPT_STR, S(sms_sign_name), 0, 0, "",
	  "approved signature (签名)" },
	{ "sms_template_register", OPT_STR, S(sms_template_register), 0, 0, "",
	  "template for registration codes" },
	{ "sms_template_login", OPT_STR, S(sms_template_login), 0, 0, "",
	  "template for login codes" },
	{ "sms_template_reset", OPT_STR, S(sms_template_reset), 0, 0, "",
	  "template for password reset codes" },
	{ "sms_template_notice", OPT_STR, S(sms_template_notice), 0, 0, "",
	  "template for review notices, one parameter: the text (optional; "
	  "without it aliyun/tencent send no notices)" },
	{ "sms_region", OPT_STR, S(sms_region), 0, 0, "ap-guangzhou",
	  "tencent region" },
	{ "sms_sdk_app_id", OPT_STR, S(sms_sdk_app_id), 0, 0, "",
	  "tencent SmsSdkAppId" },
	{ "sms_timeout", OPT_INT, S(sms_timeout), 1, 60, "5",
	  "seconds to wait for the SMS provider" },
	{ "sms_ip_hourly_limit", OPT_INT, S(sms_ip_hourly_limit), 1, 100000,
	  "30", "SMS codes one IP address may request per hour" },
	{ "storage", OPT_STORAGE, S(storage), 0, 0, "local",
	  "where uploaded files are kept: local (DATA_DIR/files) or s3" },
	{ "s3_endpoint", OPT_STR, S(s3_endpoint), 0, 0, "",
	  "S3 service URL, e.g. http://127.0.0.1:4569 (default: "
	  "https://s3.S3_REGION.amazonaws.com)" },
	{ "s3_bucket", OPT_STR, S(s3_bucket), 0, 0, "",
	  "bucket for uploaded files (storage=s3)" },
	{ "s3_region", OPT_STR, S(s3_region), 0, 0, "us-east-1",
	  "region the requests are signed for (storage=s3)" },
	{ "s3_access_key", OPT_STR, S(s3_access_key), 0, 0, "",
	  "access key ID (storage=s3)" },
	{ "s3_secret_key", OPT_STR, S(s3_secret_key), 0, 0, "",
	  "secret access key (storage=s3)" },
	{ "s3_path_style", OPT_BOOL, S(s3_path_style), 0, 0, "true",
	  "address objects as ENDPOINT/BUCKET/KEY; false: BUCKET.HOST/KEY" },
	{ "scan", OPT_STR, S(scan), 0, 0, "off",
	  "virus scanning of uploads: off, clamd or libclamav" },
	{ "clamd_socket", OPT_STR, S(clamd_socket), 0, 0,
	  "/var/run/clamav/clamd.ctl", "clamd's unix socket (scan=clamd)" },
	{ "clamav_db_dir", OPT_STR, S(clamav_db_dir), 0, 0, "",
	  "signature directory for scan=libclamav (default: libclamav's, "
	  "usually /var/lib/clamav)" },
	{ "export_retention_hours", OPT_INT, S(export_retention_hours), 1, 8760,
	  "24",
	  "hours a finished export job's file is kept before it is deleted" },
	{ "public_url", OPT_STR, S(public_url), 0, 0, "",
	  "address people reach the platform at, e.g. https://saiwu.example.cn "
	  "(links printed in documents; default: from the request's Host)" },
};
#undef S

#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static const struct opt *find_opt(const char *key, size_t len)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (strlen(opts[i].key) == len &&
		    !memcmp(opts[i].key, key, len))
			return &opts[i];
	return NULL;
}

static int parse_listen(struct config *c, const char *v)
{
	const char *colon = strrchr(v, ':');
	int64_t port;
	size_t hlen;

	if (!colon || colon == v)
		return -1;
	hlen = (size_t)(colon - v);
	if (hlen >= sizeof(c->listen_host))
		return -1;
	if (str_to_i64z(colon + 1, 0, 65535, &port) < 0)
		return -1;
	memcpy(c->listen_host, v, hlen);
	c->listen_host[hlen] = '\0';
	c->listen_port = (uint16_t)port;
	return 0;
}

static int set_opt(struct config *c, const struct opt *o, const char *v,
		   const char *origin, char *err, size_t errlen)
{
	char *field = (char *)c + o->off;
	int64_t n;
	enum log_level lv;

	switch (o->type) {
	case OPT_INT:
		if (str_to_i64z(v, o->min, o->max, &n) < 0) {
			snprintf(err, errlen,
				 "%s: bad value '%s' for '%s': expected an "
				 "integer from %lld to %lld",
				 origin, v, o->key, (long long)o->min,
				 (long long)o->max);
			return -1;
		}
		*(int64_t *)(void *)field = n;
		return 0;
	case OPT_LISTEN:
		if (parse_listen(c, v) < 0) {
			snprintf(err, errlen,
				 "%s: bad value '%s' for 'listen': expected "
				 "host:port",
				 origin, v);
			return -1;
		}
		break;
	case OPT_LEVEL:
		if (log_level_parse(v, &lv) < 0) {
			snprintf(err, errlen,
				 "%s: bad value '%s' for 'log_level': expected "
				 "debug, info, warn or error",
				 origin, v);
			return -1;
		}
		break;
	case OPT_ENV:
		if (strcmp(v, "development") && strcmp(v, "production")) {
			snprintf(err, errlen,
				 "%s: bad value '%s' for 'env': expected "
				 "development or production",
				 origin, v);
			return -1;
		}
		break;
	case OPT_BOOL:
		if (!strcmp(v, "true") || !strcmp(v, "1") ||
		    !strcmp(v, "yes")) {
			*(bool *)(void *)field = true;
		} else if (!strcmp(v, "false") || !strcmp(v, "0") ||
			   !strcmp(v, "no")) {
			*(bool *)(void *)field = false;
		} else {
			snprintf(
				err, errlen,
				"%s: bad value '%s' for '%s': expected true or "
				"false",
				origin, v, o->key);
			return -1;
		}
		return 0;
	case OPT_SMS:
		if (strcmp(v, "outbox") && strcmp(v, "aliyun") &&
		    strcmp(v, "tencent")) {
			snprintf(
				err, errlen,
				"%s: bad value '%s' for 'sms_provider': expected "
				"outbox, aliyun or tencent",
				origin, v);
			return -1;
		}
		break;
	case OPT_STORAGE:
		if (strcmp(v, "local") && strcmp(v, "s3")) {
			snprintf(err, errlen,
				 "%s: bad value '%s' for 'storage': expected "
				 "local or s3",
				 origin, v);
			return -1;
		}
		break;
	case OPT_STR:
		break;
	}
	if (strlen(v) >= o->size) {
		snprintf(err, errlen,
			 "%s: value for '%s' is too long (max %zu)", origin,
			 o->key, o->size - 1);
		return -1;
	}
	memcpy(field, v, strlen(v) + 1);
	return 0;
}

static char *trim(char *s)
{
	char *e;
	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int load_file(struct config *c, const char *path, char *err,
		     size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[2048];
	int lineno = 0, rc = 0;

	if (!f) {
		snprintf(err, errlen, "cannot open config file '%s': %s", path,
			 strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char origin[600], *eq, *key, *val;
		const struct opt *o;

		lineno++;
		snprintf(origin, sizeof(origin), "%s:%d", path, lineno);
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errlen, "%s: line too long", origin);
			rc = -1;
			break;
		}
		key = trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			snprintf(err, errlen, "%s: expected 'key = value'",
				 origin);
			rc = -1;
			break;
		}
		*eq = '\0';
		key = trim(key);
		val = trim(eq + 1);
		o = find_opt(key, strlen(key));
		if (!o) {
			snprintf(err, errlen, "%s: unknown key '%s'", origin,
				 key);
			rc = -1;
			break;
		}
		if (set_opt(c, o, val, origin, err, errlen) < 0) {
			rc = -1;
			break;
		}
	}
	fclose(f);
	return rc;
}

static int load_env(struct config *c, char *err, size_t errlen)
{
	for (char **e = environ; *e; e++) {
		const char *name = *e, *eq;
		char key[64];
		size_t len;
		const struct opt *o;

		if (strncmp(name, "SAIWU_", 6))
			continue;
		eq = strchr(name, '=');
		if (!eq)
			continue;
		len = (size_t)(eq - name) - 6;
		/* These belong to the tools around the server, not to it. */
		if (!strncmp(name, "SAIWU_CONFIG=", 13) ||
		    !strncmp(name, "SAIWU_TEST_STORE=", 17) ||
		    !strncmp(name, "SAIWU_TEST_PG_URL=", 18) ||
		    !strncmp(name, "SAIWU_TEST_S3_", 14) ||
		    !strncmp(name, "SAIWU_BIN=", 10) ||
		    !strncmp(name, "SAIWU_DEMO_", 11) ||
		    !strncmp(name, "SAIWU_CATALOG_DIR_FOR_TESTS=", 28))
			continue;
		if (len >= sizeof(key))
			len = sizeof(key) - 1;
		for (size_t i = 0; i < len; i++)
			key[i] = (char)tolower((unsigned char)name[6 + i]);
		key[len] = '\0';
		o = find_opt(key, len);
		if (!o) {
			snprintf(err, errlen,
				 "environment: unknown variable '%.*s'",
				 (int)(eq - name), name);
			return -1;
		}
		{
			char origin[96];
			snprintf(origin, sizeof(origin), "environment %.*s",
				 (int)(eq - name), name);
			if (set_opt(c, o, eq + 1, origin, err, errlen) < 0)
				return -1;
		}
	}
	return 0;
}

static int load_flags(struct config *c, int *argc, char **argv, char *err,
		      size_t errlen)
{
	int out = 0;

	for (int i = 0; i < *argc; i++) {
		const char *a = argv[i], *val, *eq;
		char key[64];
		size_t len;
		const struct opt *o;

		if (strncmp(a, "--", 2) || !strcmp(a, "--")) {
			argv[out++] = argv[i];
			continue;
		}
		a += 2;
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		if (len >= sizeof(key)) {
			snprintf(err, errlen, "unknown option '--%s'", a);
			return -1;
		}
		for (size_t k = 0; k < len; k++)
			key[k] = a[k] == '-' ? '_' : a[k];
		key[len] = '\0';
		o = find_opt(key, len);
		if (!o) {
			/* Leave it to the subcommand (e.g. --help, --dir). */
			argv[out++] = argv[i];
			continue;
		}
		if (eq) {
			val = eq + 1;
		} else if (i + 1 < *argc) {
			val = argv[++i];
		} else {
			snprintf(err, errlen, "option '--%s' needs a value", a);
			return -1;
		}
		{
			char origin[96];
			snprintf(origin, sizeof(origin), "flag --%.*s",
				 (int)len, a);
			if (set_opt(c, o, val, origin, err, errlen) < 0)
				return -1;
		}
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

int config_load(struct config *c, const char *config_path, int *argc,
		char **argv, char *err, size_t errlen)
{
	const char *path = config_path;

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < NOPTS; i++)
		if (set_opt(c, &opts[i], opts[i].def, "default", err, errlen) <
		    0)
			return -1;
	if (!path)
		path = getenv("SAIWU_CONFIG");
	if (path && *path && load_file(c, path, err, errlen) < 0)
		return -1;
	if (load_env(c, err, errlen) < 0)
		return -1;
	if (argc && load_flags(c, argc, argv, err, errlen) < 0)
		return -1;
	if (c->demo && !strcmp(c->env, "production")) {
		snprintf(
			err, errlen,
			"'demo' cannot be used with env=production: production "
			"uses the catalog's real dates");
		return -1;
	}
	/* The test hooks must never be reachable on a real deployment. */
	if (c->test_mode &&
	    (!strcmp(c->env, "production") || c->cookie_secure)) {
		snprintf(err, errlen,
			 "'test_mode' cannot be used with env=production or "
			 "cookie_secure=true");
		return -1;
	}
	/* In production a code must reach a phone, not a table. */
	if (!strcmp(c->env, "production") &&
	    !strcmp(c->sms_provider, "outbox")) {
		snprintf(
			err, errlen,
			"'sms_provider' is outbox, which only records messages: "
			"env=production needs aliyun or tencent");
		return -1;
	}
	{
		enum log_level lv = LOG_INFO;
		log_level_parse(c->log_level, &lv);
		log_set_level(lv);
	}
	return 0;
}

void config_print_help(void)
{
	printf("Settings (config file key, environment variable, flag):\n");
	for (size_t i = 0; i < NOPTS; i++) {
		char env[64], flag[64];
		size_t k;
		for (k = 0; opts[i].key[k] && k < 40; k++) {
			env[k] = (char)toupper((unsigned char)opts[i].key[k]);
			flag[k] = opts[i].key[k] == '_' ? '-' : opts[i].key[k];
		}
		env[k] = flag[k] = '\0';
		printf("  %-21s SAIWU_%-21s --%s\n      %s%s%s%s\n",
		       opts[i].key, env, flag, opts[i].help,
		       *opts[i].def ? " (default: " : "", opts[i].def,
		       *opts[i].def ? ")" : "");
	}
}

const char *config_database_url(const struct config *c, char *tmp, size_t n)
{
	if (c->database_url[0])
		return c->database_url;
	snprintf(tmp, n, "%s/saiwu.db", c->data_dir);
	return tmp;
}
