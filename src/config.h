/* config.h: saiwu's settings, from file, environment and flags */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

struct config {
	char listen[128];     /* host:port */
	char listen_host[64]; /* parsed from listen */
	uint16_t listen_port;
	char data_dir[512];
	char database_url[1024]; /* empty: sqlite file in data_dir */
	char web_dir[512];
	char catalog_dir[512];
	int64_t threads;   /* 0: two per core */
	bool group_commit; /* SQLite: batch durable writes in one commit */
	int64_t max_connections;
	int64_t max_connections_per_ip; /* 0: no limit */
	int64_t connection_timeout;	/* seconds */
	int64_t connection_memory;	/* bytes per connection */
	int64_t body_limit;		/* default cap for JSON bodies */
	char log_level[16];
	char env[16];		   /* development | production */
	char secret_key_file[512]; /* empty: DATA_DIR/secret.key */
	int64_t hash_concurrency;  /* password hashes at once */
	int64_t auth_rate_limit; /* auth requests a minute an address; 0 off */
	int64_t auth_rate_burst; /* … at once */
	int64_t auth_tarpit_ms;	 /* refusals answered after this */
	char trusted_proxies[512]; /* CIDRs whose X-Forwarded-For we read */
	bool cookie_secure;	   /* Secure + __Host- cookies (behind TLS) */
	bool test_mode; /* exposes /api/v1/test/… for automated tests */
	bool demo;	/* 演示: registration open around today */
	char sms_provider[16]; /* outbox | aliyun | tencent */
	char sms_endpoint[256];
	char sms_access_key_id[128];
	char sms_access_key_secret[256];
	char sms_sign_name[128];
	char sms_template_register[64];
	char sms_template_login[64];
	char sms_template_reset[64];
	char sms_template_notice[64]; /* decision notices (optional) */
	char sms_region[64];	      /* tencent: X-TC-Region */
	char sms_sdk_app_id[64];      /* tencent: SmsSdkAppId */
	int64_t sms_timeout;	      /* seconds */
	int64_t sms_ip_hourly_limit;
	char storage[8];       /* local | s3: where uploads are kept */
	char s3_endpoint[256]; /* empty: https://s3.REGION.amazonaws.com */
	char s3_bucket[64];
	char s3_region[64];
	char s3_access_key[128];
	char s3_secret_key[256];
	bool s3_path_style;	 /* host/bucket/key, not bucket.host/key */
	char scan[16];		 /* off | clamd | libclamav */
	char clamd_socket[108];	 /* fits sockaddr_un.sun_path */
	char clamav_db_dir[512]; /* empty: libclamav's default */
	char public_url[256];	 /* empty: http(s)://Host of the request */
	int64_t export_retention_hours; /* finished export files kept */
};

/*
 * Fills *c with the defaults, then applies, each overriding the one
 * before: the config file (path from `config_path`, or SAIWU_CONFIG, or
 * none), the SAIWU_* environment variables, then the `--key=value` /
 * `--key value` flags in argv (argc may be 0). Consumed flags are removed
 * from argv and *argc is updated, leaving positional arguments.
 *
 * Returns 0, or -1 with a message naming the key in err.
 */
int config_load(struct config *c, const char *config_path, int *argc,
		char **argv, char *err, size_t errlen);

/* Writes the option table (flag, environment variable, default, meaning). */
void config_print_help(void);

/* Returns the SQLite path or PostgreSQL URL the store should open. */
const char *config_database_url(const struct config *c, char *tmp, size_t n);

#endif
