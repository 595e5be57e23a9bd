/* test_sms.c: provider settings, the sealed outbox, transport failures */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <jansson.h>
#include <sodium.h>
#include "harness.h"
#include "crypto/crypto.h"
#include "notify/sms.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/sms_outbox.h"

static void base(struct config *c, const char *provider)
{
	int argc = 0;
	char *argv[1] = { NULL };
	char err[256];

	config_load(c, NULL, &argc, argv, err, sizeof(err));
	snprintf(c->sms_provider, sizeof(c->sms_provider), "%s", provider);
	snprintf(c->sms_access_key_id, sizeof(c->sms_access_key_id), "AK");
	snprintf(c->sms_access_key_secret, sizeof(c->sms_access_key_secret),
		 "SK");
	snprintf(c->sms_sign_name, sizeof(c->sms_sign_name), "数据要素大赛");
	snprintf(c->sms_template_register, sizeof(c->sms_template_register),
		 "SMS_1");
	snprintf(c->sms_template_login, sizeof(c->sms_template_login), "SMS_2");
	snprintf(c->sms_template_reset, sizeof(c->sms_template_reset), "SMS_3");
	snprintf(c->sms_sdk_app_id, sizeof(c->sms_sdk_app_id), "1400000000");
}

/* Clears one setting and checks the error names it. */
static void missing(const char *provider, size_t off, const char *key)
{
	struct config c;
	char err[256] = "";
	struct sms_provider *p;

	base(&c, provider);
	((char *)&c)[off] = '\0';
	p = sms_provider_new(&c, err, sizeof(err));
	ok(!p && strstr(err, key), "%s without %s: '%s'", provider, key, err);
	sms_provider_free(p);
}

#define OFF(field) offsetof(struct config, field)

static void test_settings(void)
{
	struct config c;
	char err[256] = "";
	struct sms_provider *p;

	missing("aliyun", OFF(sms_access_key_id), "sms_access_key_id");
	missing("aliyun", OFF(sms_access_key_secret), "sms_access_key_secret");
	missing("aliyun", OFF(sms_sign_name), "sms_sign_name");
	missing("aliyun", OFF(sms_template_register), "sms_template_register");
	missing("aliyun", OFF(sms_template_login), "sms_template_login");
	missing("aliyun", OFF(sms_template_reset), "sms_template_reset");
	missing("tencent", OFF(sms_access_key_secret), "sms_access_key_secret");
	missing("tencent", OFF(sms_sdk_app_id), "sms_sdk_app_id");
	missing("tencent", OFF(sms_region), "sms_region");

	base(&c, "aliyun");
	c.sms_sdk_app_id[0] = '\0';
	p = sms_provider_new(&c, err, sizeof(err));
	ok(p != NULL, "aliyun needs no sdk app id: %s", err);
	is_str(p ? sms_provider_name(p) : NULL, "aliyun", "aliyun name");
	sms_provider_free(p);

	base(&c, "tencent");
	p = sms_provider_new(&c, err, sizeof(err));
	is_str(p ? sms_provider_name(p) : NULL, "tencent", "tencent name");
	sms_provider_free(p);

	base(&c, "outbox");
	memset(c.sms_access_key_id, 0, sizeof(c.sms_access_key_id));
	p = sms_provider_new(&c, err, sizeof(err));
	is_str(p ? sms_provider_name(p) : NULL, "outbox",
	       "outbox needs no keys");
	sms_provider_free(p);

	{
		static const char *const bad[] = {
			"ftp://127.0.0.1/", "http://",	     "http://h/path",
			"http://user@h/",   "http://h/?a=b", "127.0.0.1:80",
			"http://h /",
		};
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			base(&c, "aliyun");
			snprintf(c.sms_endpoint, sizeof(c.sms_endpoint), "%s",
				 bad[i]);
			err[0] = '\0';
			p = sms_provider_new(&c, err, sizeof(err));
			ok(!p && strstr(err, "sms_endpoint"),
			   "endpoint '%s' refused: '%s'", bad[i], err);
			sms_provider_free(p);
		}
	}
	base(&c, "aliyun");
	snprintf(c.sms_endpoint, sizeof(c.sms_endpoint), "http://127.0.0.1:9");
	p = sms_provider_new(&c, err, sizeof(err));
	ok(p != NULL, "endpoint without a slash accepted: %s", err);
	sms_provider_free(p);
}

static void test_helpers(void)
{
	char m[16];
	enum sms_purpose pu = SMS_REGISTER;

	sms_mask_phone("13800138000", m, sizeof(m));
	is_str(m, "138****8000", "masked");
	sms_mask_phone("1380013800", m, sizeof(m));
	is_str(m, "***", "short number masked whole");
	ok(sms_purpose_parse("reset", &pu) == 0 && pu == SMS_RESET, "reset");
	ok(sms_purpose_parse("Reset", &pu) < 0, "case matters");
	is_str(sms_purpose_name(SMS_LOGIN), "login", "login name");
}

/* A port nothing listens on: connect() fails at once, no network used. */
static void test_transport(void)
{
	struct config c;
	char err[256];
	struct sms_provider *p;
	struct sms_result res;
	struct sms_message msg = { "13800138000", SMS_LOGIN, "123456" };
	const char *kinds[] = { "aliyun", "tencent" };

	for (int i = 0; i < 2; i++) {
		base(&c, kinds[i]);
		snprintf(c.sms_endpoint, sizeof(c.sms_endpoint),
			 "http://127.0.0.1:1/");
		p = sms_provider_new(&c, err, sizeof(err));
		ok(p != NULL, "%s provider: %s", kinds[i], err);
		if (!p)
			continue;
		ok(sms_send(p, NULL, &msg, &res) < 0 && !res.ok &&
			   res.retryable,
		   "%s: refused connection is a retryable failure", kinds[i]);
		is_str(res.provider_code, "transport", "transport code");
		sms_provider_free(p);
	}
}

struct worker {
	struct sms_provider *p;
	int failed_right;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	struct sms_message msg = { "13800138000", SMS_REGISTER, "654321" };

	for (int i = 0; i < 3; i++) {
		struct sms_result res;
		if (sms_send(w->p, NULL, &msg, &res) < 0 && res.retryable &&
		    !strcmp(res.provider_code, "transport"))
			w->failed_right++;
	}
	return NULL;
}

/* Worker threads share one provider; each call has its own handle. */
static void test_threads(void)
{
	struct config c;
	char err[256];
	struct worker w[4];
	pthread_t t[4];
	struct sms_provider *p[2];

	base(&c, "aliyun");
	snprintf(c.sms_endpoint, sizeof(c.sms_endpoint), "http://127.0.0.1:1/");
	p[0] = sms_provider_new(&c, err, sizeof(err));
	base(&c, "tencent");
	snprintf(c.sms_endpoint, sizeof(c.sms_endpoint), "http://127.0.0.1:1/");
	p[1] = sms_provider_new(&c, err, sizeof(err));
	ok(p[0] && p[1], "providers for threads");
	if (!p[0] || !p[1])
		goto out;
	for (int i = 0; i < 4; i++) {
		w[i].p = p[i % 2];
		w[i].failed_right = 0;
		pthread_create(&t[i], NULL, worker_run, &w[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		is_int(w[i].failed_right, 3, "thread's sends failed cleanly");
	}
out:
	sms_provider_free(p[0]);
	sms_provider_free(p[1]);
}

static void test_outbox(void)
{
	char dir[] = "/tmp/saiwu-sms-XXXXXX", key[64], file[64], err[256];
	struct config c;
	struct sms_provider *p;
	struct sms_result res;
	struct db *db = NULL;
	json_t *rows;
	int applied;

	ok(mkdtemp(dir) != NULL, "temp dir");
	snprintf(key, sizeof(key), "%s/secret.key", dir);
	snprintf(file, sizeof(file), "%s/saiwu.db", dir);
	ok(cr_init(key, err, sizeof(err)) == 0, "cr_init: %s", err);
	db = db_open(file, err, sizeof(err));
	ok(db != NULL, "open: %s", err);
	if (!db)
		return;
	ok(store_migrate(db, &applied, err, sizeof(err)) == 0, "migrate: %s",
	   err);

	base(&c, "outbox");
	c.sms_sign_name[0] = '\0';
	p = sms_provider_new(&c, err, sizeof(err));
	ok(p != NULL, "outbox provider: %s", err);
	if (!p)
		goto out;
	{
		struct sms_message bad[] = {
			{ "1380013800", SMS_LOGIN, "123456" },
			{ "138001380001", SMS_LOGIN, "123456" },
			{ "2380013800a", SMS_LOGIN, "123456" },
			{ "13800138000", SMS_LOGIN, "12345" },
			{ "13800138000", SMS_LOGIN, "12345a" },
			{ "13800138000", (enum sms_purpose)7, "123456" },
		};
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			ok(sms_send(p, db, &bad[i], &res) < 0 && !res.retryable,
			   "bad message %zu refused", i);
		ok(sms_send(p, NULL, &bad[0], &res) < 0, "no db refused");
	}
	{
		struct sms_message a = { "13800138000", SMS_LOGIN, "123456" };
		struct sms_message b = { "13912345678", SMS_RESET, "654321" };
		ok(sms_send(p, db, &a, &res) == 0 && res.ok, "outbox send: %s",
		   res.message);
		ok(sms_send(p, db, &b, &res) == 0 && res.ok, "outbox send 2");
	}
	sms_provider_free(p);

	rows = store_sms_outbox_latest(db, 10);
	is_int(json_array_size(rows), 2, "two rows");
	{
		json_t *r0 = json_array_get(rows, 0),
		       *r1 = json_array_get(rows, 1);
		size_t n0 = 0, n1 = 0;
		char *t0 = cr_open(
			json_string_value(json_object_get(r0, "sealed_text")),
			&n0);
		char *t1 = cr_open(
			json_string_value(json_object_get(r1, "sealed_text")),
			&n1);

		is_str(json_string_value(json_object_get(r0, "phone_masked")),
		       "139****5678", "newest first");
		is_str(json_string_value(json_object_get(r0, "purpose")),
		       "reset", "purpose stored");
		is_str(t0,
		       "【数据要素×大赛】您的重置密码验证码为654321，5分钟内有效。",
		       "default sign, reset text");
		is_str(t1,
		       "【数据要素×大赛】您的登录验证码为123456，5分钟内有效。",
		       "login text");
		ok(strstr(json_string_value(json_object_get(r1, "sealed_text")),
			  "123456") == NULL,
		   "code not in the sealed text");
		ok(json_integer_value(json_object_get(r1, "created_at")) > 0,
		   "created_at");
		free(t0);
		free(t1);
	}
	json_decref(rows);
	rows = store_sms_outbox_latest(db, 1);
	is_int(json_array_size(rows), 1, "limit respected");
	json_decref(rows);
	{
		char want[CR_HASH_HEX], got[CR_HASH_HEX] = "";
		struct db_param q[1];
		struct db_rows *r;

		cr_keyed_hash("phone", "13800138000", 11, want);
		q[0] = DB_P_TEXT(want);
		r = db_query(db,
			     "SELECT phone_hash FROM sms_outbox WHERE "
			     "phone_hash = $1",
			     1, q);
		if (r && db_next(r) == 1)
			snprintf(got, sizeof(got), "%s",
				 db_col_text(r, 0, NULL));
		db_rows_free(r);
		is_str(got, want, "number found by its keyed hash");
	}

	base(&c, "outbox");
	p = sms_provider_new(&c, err, sizeof(err));
	if (p) {
		struct sms_message a = { "13800138000", SMS_REGISTER,
					 "111222" };
		ok(sms_send(p, db, &a, &res) == 0, "outbox with sign name");
		sms_provider_free(p);
	}
	rows = store_sms_outbox_latest(db, 1);
	{
		size_t n = 0;
		char *t = cr_open(
			json_string_value(json_object_get(
				json_array_get(rows, 0), "sealed_text")),
			&n);
		is_str(t,
		       "【数据要素大赛】您的注册验证码为111222，5分钟内有效。",
		       "configured sign, register text");
		free(t);
	}
	json_decref(rows);
out:
	db_close(db);
	{
		const char *files[] = { "saiwu.db", "saiwu.db-wal",
					"saiwu.db-shm", "secret.key" };
		for (size_t i = 0; i < 4; i++) {
			char f[96];
			snprintf(f, sizeof(f), "%s/%s", dir, files[i]);
			unlink(f);
		}
		rmdir(dir);
	}
}

int main(void)
{
	if (sodium_init() < 0) {
		printf("not ok - sodium_init\n");
		return 1;
	}
	test_helpers();
	test_settings();
	test_transport();
	test_threads();
	test_outbox();
	return done_testing("test_sms");
}
