/*
 * auth.c: captcha, SMS codes, registration, sign-in and sign-out,
 * password reset and change, and the session endpoint.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "api.h"
#include "errors.h"
#include "input.h"
#include "test_hooks.h"
#include "../app.h"
#include "../captcha/captcha.h"
#include "../crypto/crypto.h"
#include "../domain/account.h"
#include "../http/session.h"
#include "../notify/sms.h"
#include "../store/auth.h"
#include "../store/users.h"
#include "../util/clock.h"
#include "../util/log.h"
#include "../util/banned.h"

#define CAPTCHA_TTL 300
#define SMS_TTL 300
#define SMS_RESEND 60
#define SMS_PER_HOUR 5
#define SMS_PER_DAY 10
#define FAIL_WINDOW 900	     /* failures counted over 15 minutes */
#define FAIL_DELAY_FROM 3    /* from the third failure on, wait … */
#define FAIL_DELAY_MAX 60    /* … 1, 2, 4 … up to 60 seconds */
#define FAIL_LOCK_ACCOUNT 10 /* then the account locks for the window */
#define FAIL_LOCK_IP 50
#define AGREEMENT_VERSION "2026-06"

/* The user and the CSRF token of the (possibly new) session. */
static int send_session(struct req *r, int status)
{
	char csrf[72];
	struct user_row u;
	json_t *user = json_null(), *roles = json_array();
	struct db *db;

	session_csrf_token(r, csrf);
	if (r->user_id) {
		db = req_db(r);
		if (!db)
			return -1;
		if (store_user_by_id(db, r->user_id, &u) != 1)
			return api_db_failed(r, db);
		json_decref(roles);
		roles = store_user_roles(db, r->user_id);
		if (!roles)
			return api_db_failed(r, db);
		/* Every signed-in user is an applicant; the table holds the rest. */
		json_array_insert_new(roles, 0,
				      json_pack("{s:s, s:i, s:n}", "role",
						"applicant", "competition_id",
						0, "competition"));
		user = json_pack("{s:I, s:s, s:s, s:b, s:I}", "id",
				 (json_int_t)u.id, "account", u.account,
				 "phone_masked", u.phone_masked, "has_password",
				 u.password_hash[0] != '\0', "created_at",
				 (json_int_t)u.created_at);
	}
	return api_send(r, status,
			json_pack("{s:b, s:o, s:o, s:s}", "authenticated",
				  r->user_id != 0, "user", user, "roles", roles,
				  "csrf_token", csrf));
}

int api_session_get(struct req *r)
{
	return send_session(r, 200);
}

int api_agreement_get(struct req *r)
{
	const char *text = r->app->agreement;
	if (!text)
		return req_fail(r, E_NOT_FOUND, "not_found",
				"平台服务协议未配置");
	r->resp.cache_control = "public, max-age=300";
	return api_send(r, 200,
			json_pack("{s:s, s:s, s:s}", "title", "平台服务协议",
				  "version", AGREEMENT_VERSION, "text", text));
}

int api_captcha_create(struct req *r)
{
	char answer[CAPTCHA_LEN + 1], id[CR_TOKEN_CHARS], err[256];
	unsigned char *png = NULL;
	size_t len = 0, b64len;
	char *b64, *sealed, *url;
	int64_t now = clock_now();
	struct db *db;
	int rc;

	captcha_new_answer(answer);
	cr_random_token(id);
	if (captcha_render_png(answer, CAPTCHA_FONT_DEFAULT, &png, &len, err,
			       sizeof(err)) < 0)
		return req_fail(r, E_INTERNAL, "captcha", "%s", err);
	b64len = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	b64 = arena_alloc(&r->arena, b64len);
	if (b64)
		sodium_bin2base64(b64, b64len, png, len,
				  sodium_base64_VARIANT_ORIGINAL);
	captcha_png_free(png);
	url = b64 ? arena_printf(&r->arena, "data:image/png;base64,%s", b64)
		  : NULL;
	sealed = cr_seal(answer, strlen(answer));
	if (!url || !sealed) {
		free(sealed);
		return req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	}
	db = req_db(r);
	rc = db ? store_captcha_add(db, id, sealed, now, now + CAPTCHA_TTL)
		: -1;
	free(sealed);
	if (!db)
		return -1;
	if (rc < 0)
		return api_db_failed(r, db);
	if (r->app->cfg.test_mode)
		test_hooks_captcha(id, answer);
	return api_send(r, 200,
			json_pack("{s:s, s:s, s:i}", "captcha_id", id, "image",
				  url, "expires_in", CAPTCHA_TTL));
}

/* Whether id could have come from cr_random_token (base64url, 43 chars). */
static bool captcha_id_shape_ok(const char *id)
{
	size_t n = strlen(id);

	if (n != CR_TOKEN_CHARS - 1)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

/*
 * Uses up the captcha named in the body and checks the answer. Records a
 * field error and returns false when it is missing, unknown, expired,
 * used or wrong. Runs in its own committed transaction: a wrong answer
 * must use the captcha up even though the request fails.
 */
static bool captcha_ok(struct req *r, const char *id, const char *given)
{
	char sealed[256];
	char *answer;
	size_t alen;
	struct db *db;
	int rc;
	bool match;

	if (!id || !given) {
		if (!given)
			req_field_error(r, "captcha_answer", "required",
					"请输入图形验证码");
		else
			req_field_error(r, "captcha_id", "required",
					"请先获取图形验证码");
		return false;
	}
	/*
	 * An id no captcha can have is answered as an unknown one without
	 * the write transaction: a flood of made-up ids must not queue for
	 * the database's write lock.
	 */
	if (!captcha_id_shape_ok(id)) {
		req_field_error(r, "captcha_answer", "captcha_expired",
				"图形验证码已失效，请刷新后重新输入");
		return false;
	}
	db = req_db(r);
	if (!db)
		return false;
	if (db_begin_write(db) < 0) {
		api_db_failed(r, db);
		return false;
	}
	rc = store_captcha_take(db, id, clock_now(), sealed);
	if (rc < 0 || db_commit(db) < 0) {
		api_db_failed(r, db);
		return false;
	}
	if (rc == 0) {
		req_field_error(r, "captcha_answer", "captcha_expired",
				"图形验证码已失效，请刷新后重新输入");
		return false;
	}
	answer = cr_open(sealed, &alen);
	match = answer && captcha_answer_matches(answer, given);
	free(answer);
	if (!match)
		req_field_error(r, "captcha_answer", "captcha_wrong",
				"图形验证码错误，请刷新后重新输入");
	return match;
}

static const char *phone_field(struct req *r, const char *key,
			       char out[PHONE_LEN + 1])
{
	const char *raw = in_str(r, key, "手机号", true, 24);
	const char *why;

	if (!raw)
		return NULL;
	why = dom_phone_normalize(raw, out);
	if (why) {
		req_field_error(r, key, "phone_format", why);
		return NULL;
	}
	return out;
}

static void phone_hash(const char *phone, char out[CR_HASH_HEX])
{
	cr_keyed_hash("phone", phone, strlen(phone), out);
}

static void code_hash(const char *phone, const char *purpose, const char *code,
		      char out[CR_HASH_HEX])
{
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "%s:%s:%s", phone, purpose, code);
	cr_keyed_hash("sms-code", buf, (size_t)n, out);
}

static int too_many(struct req *r, int64_t wait, const char *code,
		    const char *field, const char *what)
{
	char *msg;
	if (wait < 1)
		wait = 1;
	resp_retry_after(r, wait);
	msg = arena_printf(&r->arena, "%s，请 %lld 秒后再试", what,
			   (long long)wait);
	if (field)
		req_field_error(r, field, code, msg ? msg : what);
	return req_fail(r, E_TOO_MANY, code, "%s", msg ? msg : what);
}

int api_sms_code_create(struct req *r)
{
	static const char *const keys[] = { "phone", "purpose", "captcha_id",
					    "captcha_answer", NULL };
	char phone[PHONE_LEN + 1], ph[CR_HASH_HEX], ch[CR_HASH_HEX], code[7];
	const char *purpose, *cid, *cans, *ip = req_client_ip(r);
	enum sms_purpose sp = SMS_LOGIN;
	struct sms_counts c;
	struct user_row u;
	int64_t now = clock_now(), id = 0;
	struct sms_message msg;
	struct sms_result res;
	struct db *db;
	int exists;

	in_only(r, keys);
	phone_field(r, "phone", phone);
	purpose = in_str(r, "purpose", "用途", true, 16);
	if (purpose && sms_purpose_parse(purpose, &sp) < 0)
		req_field_error(r, "purpose", "invalid",
				"用途应为 register、login 或 reset");
	cid = in_str(r, "captcha_id", "图形验证码编号", false, 64);
	cans = in_str(r, "captcha_answer", "图形验证码", false, 16);
	if (input_has_errors(r))
		return input_failed(r);
	if (!captcha_ok(r, cid, cans))
		return r->err.kind ? -1 : input_failed(r);

	db = req_db(r);
	if (!db)
		return -1;
	phone_hash(phone, ph);
	if (db_begin_write(db) < 0)
		return api_db_failed(r, db);
	exists = store_user_by_phone(db, ph, &u);
	if (exists < 0 || store_sms_counts(db, ph, ip ? ip : "", now, &c) < 0)
		return api_db_failed(r, db);
	if (sp == SMS_REGISTER && exists) {
		req_field_error(r, "phone", "phone_taken",
				"该手机号已注册，请直接登录");
		return input_failed(r);
	}
	if (sp == SMS_RESET && !exists) {
		req_field_error(r, "phone", "phone_unknown", "该手机号未注册");
		return input_failed(r);
	}
	if (c.last_at && now - c.last_at < SMS_RESEND)
		return too_many(r, SMS_RESEND - (now - c.last_at),
				"sms_too_soon", "phone", "验证码发送过于频繁");
	if (c.hour >= SMS_PER_HOUR)
		return too_many(r, c.first_in_hour + 3600 - now,
				"sms_hourly_limit", "phone",
				"该手机号一小时内获取验证码次数已达上限");
	if (c.day >= SMS_PER_DAY)
		return too_many(r, c.first_in_day + 86400 - now,
				"sms_daily_limit", "phone",
				"该手机号今日获取验证码次数已达上限");
	if (c.ip_hour >= r->app->cfg.sms_ip_hourly_limit)
		return too_many(r, c.ip_first_in_hour + 3600 - now,
				"sms_ip_limit", NULL,
				"当前网络获取验证码次数过多");
	cr_random_digits(code, 6);
	code_hash(phone, sms_purpose_name(sp), code, ch);
	if (store_sms_code_add(db, ph, sms_purpose_name(sp), ch, ip ? ip : "",
			       now, now + SMS_TTL, &id) < 0 ||
	    db_commit(db) < 0)
		return api_db_failed(r, db);

	/* Sent outside the transaction: a slow provider must not hold the lock. */
	msg.phone = phone;
	msg.purpose = sp;
	msg.code = code;
	memset(&res, 0, sizeof(res));
	if (sms_send(r->app->sms, db, &msg, &res) < 0) {
		log_warn("sms: %s failed for request %s: %s %s",
			 sms_provider_name(r->app->sms), r->id,
			 res.provider_code, res.message);
		/* No usable code may outlive a message that never left. */
		if (store_sms_code_delete(db, id) < 0)
			log_error("sms: cannot delete unsent code %lld: %s",
				  (long long)id, db_errmsg(db));
		return req_fail(r, E_BAD_GATEWAY, "sms_failed",
				"短信发送失败，请稍后重试");
	}
	if (r->app->cfg.test_mode)
		test_hooks_sms(phone, sms_purpose_name(sp), code);
	{
		char masked[PHONE_LEN + 1];
		dom_phone_mask(phone, masked);
		return api_send(r, 201,
				json_pack("{s:b, s:s, s:i, s:i}", "sent", 1,
					  "phone_masked", masked,
					  "resend_after", SMS_RESEND,
					  "expires_in", SMS_TTL));
	}
}

/*
 * Checks the SMS code inside the caller's transaction; on failure records
 * the field error (the caller commits anyway, so the try is counted).
 */
static bool sms_code_ok(struct req *r, struct db *db, const char *phone,
			const char *purpose, const char *code)
{
	char ph[CR_HASH_HEX], ch[CR_HASH_HEX], *msg;
	int left = 0;

	phone_hash(phone, ph);
	code_hash(phone, purpose, code, ch);
	switch (store_sms_code_check(db, ph, purpose, ch, clock_now(), &left)) {
	case SMS_CODE_OK:
		return true;
	case SMS_CODE_WRONG:
		msg = arena_printf(&r->arena, "短信验证码错误，还可尝试 %d 次",
				   left);
		req_field_error(r, "sms_code", "sms_code_wrong",
				msg ? msg : "短信验证码错误");
		return false;
	case SMS_CODE_TOO_MANY:
		req_field_error(r, "sms_code", "sms_code_dead",
				"短信验证码错误次数过多，请重新获取");
		return false;
	case SMS_CODE_NONE:
		req_field_error(r, "sms_code", "sms_code_expired",
				"短信验证码已失效，请重新获取");
		return false;
	case SMS_CODE_ERROR:
		break;
	}
	api_db_failed(r, db);
	return false;
}

/*
 * Argon2id is only worth running for a request that could succeed: there
 * must be a live code, which only a solved captcha can have sent.
 */
static bool sms_code_live(struct req *r, struct db *db, const char *phone,
			  const char *purpose)
{
	char ph[CR_HASH_HEX];
	int rc;

	phone_hash(phone, ph);
	rc = store_sms_code_live(db, ph, purpose, clock_now());
	if (rc < 0) {
		api_db_failed(r, db);
		return false;
	}
	if (rc == 0)
		req_field_error(r, "sms_code", "sms_code_expired",
				"短信验证码已失效，请重新获取");
	return rc == 1;
}

static const char *sms_code_field(struct req *r)
{
	const char *code = in_str(r, "sms_code", "短信验证码", true, 6);
	if (code && (strlen(code) != 6 || strspn(code, "0123456789") != 6)) {
		req_field_error(r, "sms_code", "format",
				"短信验证码为 6 位数字");
		return NULL;
	}
	return code;
}

/* Reads password and password_confirm, checking the rules. */
static const char *in_secret(struct req *r, const char *key, const char *label)
{
	json_t *v = json_object_get(r->json, key);
	char *msg;

	if (!v || json_is_null(v) ||
	    (json_is_string(v) && json_string_length(v) == 0)) {
		msg = arena_printf(&r->arena, "请输入%s", label);
		req_field_error(r, key, "required", msg ? msg : label);
		return NULL;
	}
	if (!json_is_string(v)) {
		msg = arena_printf(&r->arena, "%s应为文本", label);
		req_field_error(r, key, "type", msg ? msg : label);
		return NULL;
	}
	return json_string_value(v);
}

static const char *new_password(struct req *r, const char *account)
{
	/* Passwords are taken byte for byte: sign-in does not trim either. */
	const char *pw = in_secret(r, "password", "密码");
	const char *again = in_secret(r, "password_confirm", "确认密码");
	const char *why;

	if (!pw)
		return NULL;
	why = dom_password_check(pw, account);
	if (why) {
		req_field_error(r, "password", "weak_password", why);
		return NULL;
	}
	if (again && strcmp(pw, again)) {
		req_field_error(r, "password_confirm", "mismatch",
				"两次输入的密码不一致");
		return NULL;
	}
	return again ? pw : NULL;
}

static int hash_busy(struct req *r)
{
	resp_retry_after(r, 1);
	return req_fail(r, E_TOO_MANY, "busy", "登录人数较多，请稍后重试");
}

/* Hashes a new password, answering 429 at once when the cap is reached. */
static int hash_new_password(struct req *r, const char *pw,
			     char out[CR_PWHASH_MAX])
{
	switch (cr_password_hash(pw, strlen(pw), out)) {
	case CR_PW_OK:
		return 0;
	case CR_PW_BUSY:
		return hash_busy(r);
	default:
		return req_fail(r, E_INTERNAL, "hash", "argon2id failed");
	}
}

int api_register(struct req *r)
{
	static const char *const keys[] = { "account",	"phone",
					    "password", "password_confirm",
					    "sms_code", "agree",
					    NULL };
	char phone[PHONE_LEN + 1], lower[21], ph[CR_HASH_HEX];
	char masked[PHONE_LEN + 1], pwhash[CR_PWHASH_MAX];
	const char *account, *pw, *code, *why;
	struct user_new nu;
	char *sealed;
	int64_t id = 0;
	struct db *db;
	int rc;

	in_only(r, keys);
	account = in_str(r, "account", "账号", true, 64);
	if (account && (why = dom_account_check(account))) {
		req_field_error(r, "account", "account_format", why);
		account = NULL;
	}
	phone_field(r, "phone", phone);
	pw = new_password(r, account);
	code = sms_code_field(r);
	if (!json_is_true(json_object_get(r->json, "agree")))
		req_field_error(r, "agree", "required",
				"请阅读并同意平台服务协议");
	if (input_has_errors(r) || !account || !pw || !code)
		return input_failed(r);

	db = req_db(r);
	if (!db)
		return -1;
	if (!sms_code_live(r, db, phone, "register"))
		return r->err.kind ? -1 : input_failed(r);
	/* Hash before the transaction: argon2id must not hold the write lock. */
	if (hash_new_password(r, pw, pwhash) < 0)
		return -1;
	dom_account_lower(account, lower);
	phone_hash(phone, ph);
	dom_phone_mask(phone, masked);
	sealed = cr_seal(phone, strlen(phone));
	if (!sealed)
		return req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	db = req_db(r);
	if (!db || db_begin_write(db) < 0) {
		free(sealed);
		return db ? api_db_failed(r, db) : -1;
	}
	{
		struct user_row u;
		int a = store_user_by_account(db, lower, &u);
		int p = a >= 0 ? store_user_by_phone(db, ph, &u) : -1;
		if (a < 0 || p < 0) {
			free(sealed);
			return api_db_failed(r, db);
		}
		if (a)
			req_field_error(r, "account", "account_taken",
					"该账号已被注册");
		if (p)
			req_field_error(r, "phone", "phone_taken",
					"该手机号已注册，请直接登录");
		if (a || p) {
			free(sealed);
			return input_failed(r);
		}
	}
	if (!sms_code_ok(r, db, phone, "register", code)) {
		free(sealed);
		if (r->err.kind)
			return -1;
		/* The failed try is kept: it counts towards the five. */
		if (db_commit(db) < 0)
			return api_db_failed(r, db);
		return input_failed(r);
	}
	nu = (struct user_new){
		account,	   lower,      ph, sealed, masked, pwhash,
		AGREEMENT_VERSION, clock_now()
	};
	rc = store_user_create(db, &nu, &id);
	free(sealed);
	if (rc == STORE_DUP_ACCOUNT || rc == STORE_DUP_PHONE) {
		req_field_error(r,
				rc == STORE_DUP_ACCOUNT ? "account" : "phone",
				"taken",
				rc == STORE_DUP_ACCOUNT
					? "该账号已被注册"
					: "该手机号已注册，请直接登录");
		return input_failed(r);
	}
	if (rc < 0)
		return api_db_failed(r, db);
	if (session_start(r, id, false) < 0)
		return -1;
	if (db_commit(db) < 0)
		return api_db_failed(r, db);
	log_info("user %lld registered (request %s)", (long long)id, r->id);
	return send_session(r, 201);
}

/*
 * Growing delays and temporary locks after failed sign-ins, by account
 * and by client address. Returns 0 when the attempt may go on.
 */
static int throttle(struct req *r, struct db *db, const char *acct_key,
		    const char *ip_key)
{
	int64_t now = clock_now(), n = 0, last = 0;

	if (store_auth_failure_stats(db, "account", acct_key, now - FAIL_WINDOW,
				     &n, &last) < 0)
		return api_db_failed(r, db);
	if (n >= FAIL_LOCK_ACCOUNT) {
		int64_t wait = last + FAIL_WINDOW - now;
		resp_retry_after(r, wait);
		return req_fail(
			r, E_TOO_MANY, "account_locked",
			"密码错误次数过多，账号已临时锁定，请 %lld 分钟后再试",
			(long long)((wait + 59) / 60));
	}
	if (n >= FAIL_DELAY_FROM) {
		int64_t delay = (int64_t)1 << (n - FAIL_DELAY_FROM);
		if (delay > FAIL_DELAY_MAX)
			delay = FAIL_DELAY_MAX;
		if (now - last < delay)
			return too_many(r, delay - (now - last),
					"login_throttled", NULL,
					"尝试过于频繁");
	}
	if (store_auth_failure_stats(db, "ip", ip_key, now - FAIL_WINDOW, &n,
				     &last) < 0)
		return api_db_failed(r, db);
	if (n >= FAIL_LOCK_IP) {
		resp_retry_after(r, last + FAIL_WINDOW - now);
		return req_fail(r, E_TOO_MANY, "ip_locked",
				"当前网络登录失败次数过多，请稍后再试");
	}
	return 0;
}

/*
 * The key sign-in failures count under: the account itself when the name
 * or number finds one, so that typing the phone number instead of the
 * name does not start a fresh count (and ten more guesses); otherwise
 * what was typed, normalised. No name or number contains a ':'.
 */
static void login_key(const struct user_row *u, const char *typed,
		      char out[CR_HASH_HEX])
{
	char buf[32];
	int n;

	if (!u) {
		cr_keyed_hash("login", typed, strlen(typed), out);
		return;
	}
	n = snprintf(buf, sizeof(buf), "user:%lld", (long long)u->id);
	cr_keyed_hash("login", buf, (size_t)n, out);
}

static int login_password(struct req *r, bool remember)
{
	const char *login = in_str(r, "login", "账号或手机号", true, 64);
	json_t *pwv = json_object_get(r->json, "password");
	const char *cid = in_str(r, "captcha_id", "图形验证码编号", false, 64);
	const char *cans = in_str(r, "captcha_answer", "图形验证码", false, 16);
	const char *pw = json_string_value(pwv), *ip = req_client_ip(r);
	char key[CR_HASH_HEX], ipkey[CR_HASH_HEX], norm[PHONE_LEN + 1];
	char lower[21];
	struct user_row u;
	bool by_phone;
	int found;
	struct db *db;
	enum cr_pw v;

	if (!pw || !*pw)
		req_field_error(r, "password", "required", "请输入密码");
	if (input_has_errors(r))
		return input_failed(r);
	by_phone = dom_phone_normalize(login, norm) == NULL;
	if (!by_phone)
		dom_account_lower(login, lower);
	cr_keyed_hash("ip", ip ? ip : "", ip ? strlen(ip) : 0, ipkey);
	db = req_db(r);
	if (!db)
		return -1;
	if (by_phone) {
		char ph[CR_HASH_HEX];
		phone_hash(norm, ph);
		found = store_user_by_phone(db, ph, &u);
	} else {
		found = store_user_by_account(db, lower, &u);
	}
	if (found < 0)
		return api_db_failed(r, db);
	login_key(found ? &u : NULL, by_phone ? norm : lower, key);
	if (throttle(r, db, key, ipkey) < 0)
		return -1;
	if (!captcha_ok(r, cid, cans))
		return r->err.kind ? -1 : input_failed(r);
	/* Over-long passwords are never hashed; unknown accounts still are. */
	if (strlen(pw) > CR_PASSWORD_MAX)
		v = CR_PW_MISMATCH;
	else
		v = cr_password_verify(
			found && u.password_hash[0] ? u.password_hash : NULL,
			pw, strlen(pw));
	if (v == CR_PW_BUSY)
		return hash_busy(r);
	if (v != CR_PW_OK || !found || u.disabled) {
		int64_t now = clock_now();
		if (db_begin_write(db) < 0 ||
		    store_auth_failure_add(db, "account", key, now) < 0 ||
		    store_auth_failure_add(db, "ip", ipkey, now) < 0 ||
		    db_commit(db) < 0)
			return api_db_failed(r, db);
		req_field_error(r, "password", "bad_credentials",
				"账号或密码错误");
		return req_fail(r, E_UNAUTHORIZED, "bad_credentials",
				"账号或密码错误");
	}
	if (db_begin_write(db) < 0 ||
	    store_auth_failure_clear(db, "account", key) < 0)
		return api_db_failed(r, db);
	if (session_start(r, u.id, remember) < 0)
		return -1;
	if (db_commit(db) < 0)
		return api_db_failed(r, db);
	return send_session(r, 200);
}

/* A phone with no account gets one, as the guide's 短信登录 promises. */
static int create_sms_user(struct req *r, struct db *db, const char *phone,
			   int64_t *id)
{
	char account[21], lower[21], ph[CR_HASH_HEX], masked[PHONE_LEN + 1];
	char *sealed = cr_seal(phone, strlen(phone));
	struct user_new nu;
	int rc = STORE_DUP_ACCOUNT;

	if (!sealed)
		return req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	phone_hash(phone, ph);
	dom_phone_mask(phone, masked);
	for (int tries = 0; tries < 5 && rc == STORE_DUP_ACCOUNT; tries++) {
		static const char alnum[] = "abcdefghjkmnpqrstuvwxyz23456789";
		memcpy(account, "user_", 5);
		for (int i = 5; i < 15; i++)
			account[i] = alnum[cr_random_below(sizeof(alnum) - 1)];
		account[15] = '\0';
		dom_account_lower(account, lower);
		nu = (struct user_new){
			account,	   lower,      ph, sealed, masked, NULL,
			AGREEMENT_VERSION, clock_now()
		};
		rc = store_user_create(db, &nu, id);
	}
	free(sealed);
	if (rc != 0)
		return api_db_failed(r, db);
	log_info("user %lld created by SMS sign-in (request %s)",
		 (long long)*id, r->id);
	return 0;
}

static int login_sms(struct req *r, bool remember)
{
	char phone[PHONE_LEN + 1], ph[CR_HASH_HEX];
	const char *code;
	struct user_row u;
	int64_t id = 0;
	struct db *db;
	int found;

	phone_field(r, "phone", phone);
	code = sms_code_field(r);
	if (input_has_errors(r) || !code)
		return input_failed(r);
	db = req_db(r);
	if (!db)
		return -1;
	if (db_begin_write(db) < 0)
		return api_db_failed(r, db);
	if (!sms_code_ok(r, db, phone, "login", code)) {
		if (r->err.kind)
			return -1;
		if (db_commit(db) < 0)
			return api_db_failed(r, db);
		return input_failed(r);
	}
	phone_hash(phone, ph);
	found = store_user_by_phone(db, ph, &u);
	if (found < 0)
		return api_db_failed(r, db);
	if (found && u.disabled)
		return req_fail(r, E_FORBIDDEN, "account_disabled",
				"该账号已停用");
	if (found)
		id = u.id;
	else if (create_sms_user(r, db, phone, &id) < 0)
		return -1;
	if (session_start(r, id, remember) < 0)
		return -1;
	if (db_commit(db) < 0)
		return api_db_failed(r, db);
	return send_session(r, found ? 200 : 201);
}

int api_login(struct req *r)
{
	static const char *const keys[] = {
		"method",     "login",		"password", "phone", "sms_code",
		"captcha_id", "captcha_answer", "remember", NULL
	};
	const char *method = in_str(r, "method", "登录方式", true, 16);
	bool remember = in_bool(r, "remember", "记住我");

	in_only(r, keys);
	if (input_has_errors(r))
		return input_failed(r);
	if (!strcmp(method, "password"))
		return login_password(r, remember);
	if (!strcmp(method, "sms"))
		return login_sms(r, remember);
	req_field_error(r, "method", "invalid", "登录方式应为 password 或 sms");
	return input_failed(r);
}

int api_logout(struct req *r)
{
	if (session_end(r) < 0)
		return -1;
	return send_session(r, 200);
}

int api_logout_all(struct req *r)
{
	struct db *db = req_db(r);
	int64_t user = r->user_id;

	if (!db)
		return -1;
	if (store_session_revoke_user(db, user, 0, clock_now()) < 0)
		return api_db_failed(r, db);
	r->session_id = 0;
	if (session_end(r) < 0)
		return -1;
	return send_session(r, 200);
}

int api_password_reset(struct req *r)
{
	static const char *const keys[] = { "phone", "sms_code", "password",
					    "password_confirm", NULL };
	char phone[PHONE_LEN + 1], ph[CR_HASH_HEX], pwhash[CR_PWHASH_MAX];
	char key[CR_HASH_HEX];
	const char *code, *pw;
	struct user_row u;
	struct db *db;
	int found;

	in_only(r, keys);
	phone_field(r, "phone", phone);
	code = sms_code_field(r);
	pw = new_password(r, NULL);
	if (input_has_errors(r) || !code || !pw)
		return input_failed(r);
	db = req_db(r);
	if (!db)
		return -1;
	phone_hash(phone, ph);
	found = store_user_by_phone(db, ph, &u);
	if (found < 0)
		return api_db_failed(r, db);
	/*
	 * No code can have been sent to an unregistered phone for a reset, so
	 * it gets the same answer as a wrong code: this endpoint has no
	 * captcha and must not tell who is registered.
	 */
	if (!found || !sms_code_live(r, db, phone, "reset")) {
		if (r->err.kind)
			return -1;
		if (!found)
			req_field_error(r, "sms_code", "sms_code_expired",
					"短信验证码已失效，请重新获取");
		return input_failed(r);
	}
	if (!strcasecmp(pw, u.account)) {
		req_field_error(r, "password", "weak_password",
				"密码不能与账号相同");
		return input_failed(r);
	}
	if (hash_new_password(r, pw, pwhash) < 0)
		return -1;
	if (db_begin_write(db) < 0)
		return api_db_failed(r, db);
	if (!sms_code_ok(r, db, phone, "reset", code)) {
		if (r->err.kind)
			return -1;
		if (db_commit(db) < 0)
			return api_db_failed(r, db);
		return input_failed(r);
	}
	login_key(&u, NULL, key);
	if (store_user_set_password(db, u.id, pwhash, clock_now()) < 0 ||
	    store_session_revoke_user(db, u.id, 0, clock_now()) < 0 ||
	    store_auth_failure_clear(db, "account", key) < 0 ||
	    db_commit(db) < 0)
		return api_db_failed(r, db);
	log_info("user %lld reset the password (request %s)", (long long)u.id,
		 r->id);
	r->session_id = 0;
	if (session_end(r) < 0)
		return -1;
	return api_send(r, 200, json_pack("{s:b}", "reset", 1));
}

int api_password_change(struct req *r)
{
	static const char *const keys[] = { "current_password", "password",
					    "password_confirm", NULL };
	json_t *cur = json_object_get(r->json, "current_password");
	const char *current = json_string_value(cur), *pw;
	char pwhash[CR_PWHASH_MAX];
	struct user_row u;
	struct db *db;
	enum cr_pw v;
	char key[CR_HASH_HEX], ipkey[CR_HASH_HEX];
	const char *ip = req_client_ip(r);

	in_only(r, keys);
	db = req_db(r);
	if (!db)
		return -1;
	if (store_user_by_id(db, r->user_id, &u) != 1)
		return api_db_failed(r, db);
	pw = new_password(r, u.account);
	if (!u.password_hash[0])
		req_field_error(r, "current_password", "no_password",
				"当前账号尚未设置密码，请通过“找回密码”设置");
	else if (!current || !*current)
		req_field_error(r, "current_password", "required",
				"请输入当前密码");
	if (input_has_errors(r) || !pw)
		return input_failed(r);
	/*
	 * A stolen session must not become a way to guess the password:
	 * wrong current passwords count as failed sign-ins of the account.
	 */
	login_key(&u, NULL, key);
	cr_keyed_hash("ip", ip ? ip : "", ip ? strlen(ip) : 0, ipkey);
	if (throttle(r, db, key, ipkey) < 0)
		return -1;
	if (strlen(current) > CR_PASSWORD_MAX)
		v = CR_PW_MISMATCH;
	else
		v = cr_password_verify(u.password_hash, current,
				       strlen(current));
	if (v == CR_PW_BUSY)
		return hash_busy(r);
	if (v != CR_PW_OK) {
		int64_t now = clock_now();
		if (db_begin_write(db) < 0 ||
		    store_auth_failure_add(db, "account", key, now) < 0 ||
		    store_auth_failure_add(db, "ip", ipkey, now) < 0 ||
		    db_commit(db) < 0)
			return api_db_failed(r, db);
		req_field_error(r, "current_password", "wrong",
				"当前密码不正确");
		return input_failed(r);
	}
	if (hash_new_password(r, pw, pwhash) < 0)
		return -1;
	/* Other browsers signed in with the old password are signed out. */
	if (db_begin_write(db) < 0 ||
	    store_user_set_password(db, u.id, pwhash, clock_now()) < 0 ||
	    store_session_revoke_user(db, u.id, r->session_id, clock_now()) <
		    0 ||
	    db_commit(db) < 0)
		return api_db_failed(r, db);
	return api_send(r, 200, json_pack("{s:b}", "changed", 1));
}
