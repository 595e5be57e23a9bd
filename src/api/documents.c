/*
 * documents.c: the 申报书 as a PDF (for its owner and for the organisers),
 * the pre-filled 申报主体责任声明 and 参赛单位授权书, and the public check
 * of a submitted 申报书's verification code.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include "api.h"
#include "applications.h"
#include "catalog_cache.h"
#include "documents.h"
#include "errors.h"
#include "roles.h"
#include "../app.h"
#include "../crypto/crypto.h"
#include "../docs/appdoc.h"
#include "../docs/letters.h"
#include "../docs/text.h"
#include "../docs/values.h"
#include "../domain/form.h"
#include "../domain/lifecycle.h"
#include "../store/applications.h"
#include "../store/attachments.h"
#include "../store/audit.h"
#include "../util/clock.h"
#include "../util/log.h"
#include "../util/banned.h"

/*
 * A complete application is a few dozen pages; the cap bounds what a
 * pathological document (every table at its row limit) can cost.
 */
#define PDF_MAX_PAGES 300
#define VERIFY_PURPOSE "pdf-verify"

/* ---- what the handlers share ------------------------------------------ */

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static json_t *schema_cache;
static json_t *industry_cache;
static bool industry_tried;

const json_t *doc_schema(struct req *r)
{
	json_t *s;

	pthread_mutex_lock(&cache_lock);
	/* The schema only changes with a restart: parse it once. */
	if (!schema_cache && r->app->form_text)
		schema_cache = json_loads(r->app->form_text, 0, NULL);
	s = schema_cache;
	pthread_mutex_unlock(&cache_lock);
	if (!s)
		req_fail(r, E_UNAVAILABLE, "no_schema", "申报书格式暂不可用");
	return s;
}

const json_t *doc_industry_names(struct req *r)
{
	json_t *names;

	pthread_mutex_lock(&cache_lock);
	if (!industry_tried) {
		char path[1100];
		json_t *gbt;
		industry_tried = true;
		snprintf(path, sizeof(path), "%s/data/gbt4754-2017.json",
			 r->app->cfg.catalog_dir);
		gbt = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
		if (gbt)
			industry_cache = xp_industry_names(gbt);
		else
			/* Codes without their names still say what was chosen. */
			log_warn("cannot read '%s': industries print as codes",
				 path);
		json_decref(gbt);
	}
	names = industry_cache;
	pthread_mutex_unlock(&cache_lock);
	return names;
}

const json_t *doc_competition(const struct catalog_snapshot *s, int64_t id)
{
	const json_t *c;
	size_t i;

	if (!s)
		return NULL;
	json_array_foreach (s->all, i, c)
		if (json_integer_value(json_object_get(c, "id")) == id)
			return c;
	return NULL;
}

int doc_tmpfile(struct req *r, const char *prefix, const char *suffix,
		char *path, size_t n)
{
	int fd;

	if ((size_t)snprintf(path, n, "%s/tmp/%s-XXXXXX%s",
			     r->app->cfg.data_dir, prefix, suffix) >= n) {
		req_fail(r, E_INTERNAL, "tmpfile", "temp path too long");
		return -1;
	}
	fd = mkostemps(path, (int)strlen(suffix), O_CLOEXEC);
	if (fd < 0)
		req_fail(r, E_INTERNAL, "tmpfile", "cannot create '%s': %s",
			 path, strerror(errno));
	return fd;
}

const char *doc_disposition(struct req *r, const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(name), e = 0, a = 0;
	char *enc = arena_alloc(&r->arena, 3 * n + 1);
	char *ascii = arena_alloc(&r->arena, n + 1);

	if (!enc || !ascii)
		return "attachment";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || strchr("!#$&+-.^_`|~", c)) {
			enc[e++] = (char)c;
		} else {
			enc[e++] = '%';
			enc[e++] = hex[c >> 4];
			enc[e++] = hex[c & 15];
		}
		/* One '_' per non-ASCII character, not per byte. */
		if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\')
			ascii[a++] = (char)c;
		else if ((c & 0xC0) != 0x80)
			ascii[a++] = '_';
	}
	enc[e] = ascii[a] = '\0';
	return arena_printf(&r->arena,
			    "attachment; filename=\"%s\"; filename*=UTF-8''%s",
			    ascii, enc);
}

int doc_send_fd(struct req *r, int fd, const char *type, const char *name)
{
	struct stat st;

	if (fstat(fd, &st) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return req_fail(r, E_INTERNAL, "tmpfile", "%s",
				strerror(errno));
	}
	resp_header(r, "Content-Disposition", doc_disposition(r, name));
	r->resp.status = 200;
	r->resp.content_type = type;
	r->resp.cache_control = "private, no-store";
	/* http/ sends it with sendfile() and closes it: memory stays flat. */
	r->resp.fd = fd;
	r->resp.fd_offset = 0;
	r->resp.len = (size_t)st.st_size;
	return 0;
}

struct mask_ctx {
	char *paths[64];
	int n;
	bool oom;
};

static void collect(const char *path, const json_t *value, void *cls)
{
	struct mask_ctx *m = cls;

	(void)value;
	if (m->n < 64) {
		m->paths[m->n] = strdup(path);
		if (m->paths[m->n])
			m->n++;
		else
			m->oom = true;
	}
}

static void mask_value(json_t *holder, const char *key)
{
	const char *v = json_string_value(json_object_get(holder, key));
	char out[128];

	if (v)
		json_object_set_new(holder, key,
				    json_string(xp_mask(v, out, sizeof(out))));
}

int doc_mask_with(const struct form_schema *form, json_t *doc)
{
	static const char *const kinds[] = { "id_number", "mobile" };
	struct mask_ctx m = { .n = 0 };
	json_t *u;
	size_t i;
	int rc = 0;

	for (size_t k = 0; k < 2 && rc == 0; k++)
		if (form_each(form, doc, kinds[k], collect, &m) < 0 || m.oom)
			rc = -1;
	for (int k = 0; k < m.n; k++) {
		char last[64];
		json_t *parent = rc == 0 ? doc_parent_of(doc, m.paths[k], last,
							 sizeof(last))
					 : NULL;
		if (parent)
			mask_value(parent, last);
		free(m.paths[k]);
	}
	if (rc < 0)
		return -1;
	/* 联系方式 is free text but a phone number: sealed and masked alike. */
	json_array_foreach (json_object_get(doc, "units"), i, u)
		mask_value(u, "contact_phone");
	return 0;
}

int doc_mask(struct req *r, json_t *doc)
{
	return doc_mask_with(r->app->form, doc);
}

int doc_audit(struct req *r, const char *action, const char *object_type,
	      int64_t object_id, int64_t competition_id, const char *detail)
{
	struct audit_entry e = {
		.actor = r->user_id,
		.action = action,
		.object_type = object_type,
		.object_id = object_id,
		.competition_id = competition_id,
		.ip = req_client_ip(r),
		.detail = detail,
		.now = clock_now(),
	};
	return store_audit_write(r->db, &e);
}

/* ---- verification codes ----------------------------------------------- */

/*
 * A code stands for one submission: a keyed hash of the record's number
 * and its submission time. Nothing is stored; a forged code fails the
 * hash, and a resubmission (a new time) retires the old code.
 */
static void verify_code(int64_t id, int64_t submitted_at, char out[XP_CODE_MAX])
{
	char in[64], mac[CR_HASH_HEX];
	int n = snprintf(in, sizeof(in), "%lld:%lld", (long long)id,
			 (long long)submitted_at);

	cr_keyed_hash(VERIFY_PURPOSE, in, (size_t)n, mac);
	xp_code_format(id, mac, out);
}

/* SHA-256 of the document in the clear, keys sorted: its content's hash. */
static int content_sha256(const json_t *doc, char hex[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);

	if (!text)
		return -1;
	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	free(text);
	hex_encode(h, sizeof(h), hex);
	return 0;
}

static bool host_ok(const char *h)
{
	size_t n = h ? strlen(h) : 0;

	if (!n || n > 255)
		return false;
	for (; *h; h++)
		if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') ||
		      (*h >= '0' && *h <= '9') || strchr(".-:[]", *h)))
			return false;
	return true;
}

const char *doc_public_base(struct req *r)
{
	const char *base = r->app->cfg.public_url;
	size_t n = strlen(base);

	if (n) {
		while (n && base[n - 1] == '/')
			n--;
		return arena_printf(&r->arena, "%.*s", (int)n, base);
	}
	/* Without public_url, the address the request came to. */
	if (host_ok(req_header(r, "Host")))
		return arena_printf(&r->arena, "%s://%s",
				    r->app->cfg.cookie_secure ? "https"
							      : "http",
				    req_header(r, "Host"));
	return "";
}

/* ---- the 申报书 -------------------------------------------------------- */

/* "申报书-12-粤港澳…平台.pdf": the record, then its project's name. */
static const char *file_name(struct req *r, const char *kind, int64_t id,
			     const char *project)
{
	char name[160];
	size_t n = 0;

	for (const char *p = project ? project : ""; *p;) {
		unsigned char c = (unsigned char)*p;
		size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		/* Whole characters only, and no separators or controls. */
		if (n + len > 120 || strnlen(p, len) < len)
			break;
		if (c >= 0x20 && c != '/' && c != '\\' && c != 0x7F) {
			memcpy(name + n, p, len);
			n += len;
		}
		p += len;
	}
	name[n] = '\0';
	return arena_printf(&r->arena, "%s-%lld%s%s.pdf", kind, (long long)id,
			    n ? "-" : "", name);
}

int doc_pdf_write(const struct doc_pdf_env *env, const struct app_row *a,
		  bool masked, const char *viewer_note, int fd, int *pages_out,
		  char *err, size_t errlen)
{
	char sha[65] = "", code[XP_CODE_MAX] = "", *url = NULL;
	json_t *doc = NULL, *files = NULL;
	struct xp_app_input in;
	int rc = -1;

	*pages_out = 0;
	if (!env->competition) {
		snprintf(err, errlen, "application %lld has no sub-contest",
			 (long long)a->id);
		return -1;
	}
	doc = json_loads(a->doc, 0, NULL);
	if (!doc || doc_unseal(doc) < 0 || content_sha256(doc, sha) < 0) {
		snprintf(err, errlen,
			 "application %lld: stored document "
			 "unreadable",
			 (long long)a->id);
		goto out;
	}
	if (masked && doc_mask_with(env->form, doc) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	files = store_att_list(env->db, a->id, false);
	if (!files) {
		snprintf(err, errlen, "database: %s", db_errmsg(env->db));
		goto out;
	}
	if (a->submitted_at && strcmp(a->status, "draft")) {
		size_t n;
		verify_code(a->id, a->submitted_at, code);
		n = strlen(env->public_base) + strlen(code) + 16;
		url = malloc(n);
		if (!url) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		snprintf(url, n, "%s/verify/%s", env->public_base, code);
	}
	in = (struct xp_app_input){
		.schema = env->schema,
		.doc = doc,
		.competition = env->competition,
		.industry_names = env->industry_names,
		.files = files,
		.id = a->id,
		.status = a->status,
		.status_label = lc_status_label(a->status),
		.stage_label = lc_stage_label(a->stage),
		.return_reason = a->return_reason,
		.updated_at = a->updated_at,
		.submitted_at = a->submitted_at,
		.generated_at = clock_now(),
		.verify_code = code[0] ? code : NULL,
		.verify_url = url,
		.content_sha256 = sha,
		.viewer_note = viewer_note,
		.max_pages = PDF_MAX_PAGES,
	};
	rc = xp_app_pdf(fd, &in, pages_out, err, errlen);
out:
	free(url);
	json_decref(doc);
	json_decref(files);
	return rc;
}

static int render_app(struct req *r, const struct app_row *a, bool masked,
		      const char *viewer_note)
{
	struct catalog_snapshot *snap = catalog_cache_get(r->app->catalog);
	const json_t *schema = doc_schema(r);
	struct doc_pdf_env env = {
		.form = r->app->form,
		.db = r->db,
		.schema = schema,
		.industry_names = doc_industry_names(r),
		.competition = doc_competition(snap, a->competition_id),
		.public_base = doc_public_base(r),
	};
	char path[1100], err[256];
	int fd = -1, pages = 0, rc = -1;
	int64_t t0 = now_ns();

	if (!schema)
		goto out;
	if (!env.public_base)
		env.public_base = "";
	fd = doc_tmpfile(r, "pdf", ".pdf", path, sizeof(path));
	if (fd < 0)
		goto out;
	/* The name goes at once: the open fd is all the response needs. */
	unlink(path);
	if (doc_pdf_write(&env, a, masked, viewer_note, fd, &pages, err,
			  sizeof(err)) < 0) {
		req_fail(r, E_INTERNAL, "pdf", "%s", err);
		goto out;
	}
	log_debug("application %lld: pdf of %d pages in %.1f ms",
		  (long long)a->id, pages, (now_ns() - t0) / 1e6);
	resp_header(r, "X-Page-Count", arena_printf(&r->arena, "%d", pages));
	rc = doc_send_fd(r, fd, "application/pdf",
			 file_name(r, "申报书", a->id, a->project_name));
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	catalog_snapshot_unref(snap);
	return rc;
}

int doc_send_app_pdf(struct req *r, const struct app_row *a, bool masked,
		     const char *viewer_note)
{
	return render_app(r, a, masked, viewer_note);
}

int api_application_pdf(struct req *r)
{
	struct app_row a;
	int rc;

	if (api_app_own(r, &a) < 0)
		return -1;
	rc = render_app(r, &a, false, NULL);
	app_row_release(&a);
	return rc;
}

/*
 * The organisers' copy: as the review view, identifiers and phone
 * numbers masked; ?unmask=1 shows them to an admin of the sub-contest,
 * and that is written to the audit log.
 */
int api_review_application_pdf(struct req *r)
{
	bool bad = false, unmask;
	const char *q = req_query(r, "unmask", &bad);
	struct app_row a;
	int rc;

	unmask = q && !strcmp(q, "1");
	if (api_app_reviewed(r, unmask, &a) < 0)
		return -1;
	if (unmask && doc_audit(r, "view_personal_data", "application", a.id,
				a.competition_id, "{\"via\":\"pdf\"}") < 0) {
		app_row_release(&a);
		return api_db_failed(r, r->db);
	}
	rc = render_app(
		r, &a, !unmask,
		unmask ? "本文件含未脱敏的个人信息，查看已记录审计日志，请妥善保管。"
		       : "评审视图：证件号码、手机号等个人信息已脱敏。");
	app_row_release(&a);
	return rc;
}

/* ---- the letters ------------------------------------------------------ */

static const char *doc_s(const json_t *doc, const char *path)
{
	const char *s = json_string_value(form_get(doc, path));
	return s ? s : "";
}

static void letter_input(const json_t *doc, const json_t *comp,
			 struct xp_letter_input *in)
{
	const json_t *units = json_object_get(doc, "units"), *u;
	const json_t *members = json_object_get(doc, "members"), *m;
	const json_t *leader = NULL;
	size_t i;

	memset(in, 0, sizeof(*in));
	in->year = (int)json_integer_value(json_object_get(comp, "year"));
	if (!in->year)
		in->year = 2026;
	in->contest = json_string_value(json_object_get(comp, "short_name"));
	if (!in->contest)
		in->contest = "";
	in->team_name = doc_s(doc, "team.name");
	in->project_name = doc_s(doc, "project.name");
	in->lead_unit = doc_s(doc, "basic.lead_unit_name");
	json_array_foreach (units, i, u) {
		const char *name =
			json_string_value(json_object_get(u, "name"));
		if (!name || !*name)
			continue;
		if (json_is_true(json_object_get(u, "is_lead")))
			in->lead_unit = name;
		else if (in->n_other < XP_LETTER_MAX_UNITS)
			in->other_units[in->n_other++] = name;
	}
	json_array_foreach (members, i, m) {
		const char *name =
			json_string_value(json_object_get(m, "name"));
		if (name && *name && in->n_members < XP_LETTER_MAX_MEMBERS)
			in->members[in->n_members++] = name;
		/* The team's 联络人 answers for it; else its first member. */
		if (!leader ||
		    (json_is_true(json_object_get(m, "is_contact")) &&
		     !json_is_true(json_object_get(leader, "is_contact"))))
			leader = m;
	}
	in->leader_name = json_string_value(json_object_get(leader, "name"));
	in->leader_id = json_string_value(json_object_get(leader, "id_number"));
}

int api_application_letter(struct req *r)
{
	struct str name = req_param(r, "name");
	struct catalog_snapshot *snap = NULL;
	const json_t *comp;
	struct xp_letter_input in;
	enum xp_letter which;
	struct app_row a;
	json_t *doc = NULL;
	char path[1100], err[256];
	int rc, fd = -1, pages = 0;

	if (str_eq(name, "declaration.pdf"))
		which = XP_DECLARATION;
	else if (str_eq(name, "authorization.pdf"))
		which = XP_AUTHORIZATION;
	else
		return req_fail(r, E_NOT_FOUND, "not_found",
				"没有这份文件（可下载 declaration.pdf 或 "
				"authorization.pdf）");
	if (api_app_own(r, &a) < 0)
		return -1;
	rc = -1;
	snap = catalog_cache_get(r->app->catalog);
	comp = doc_competition(snap, a.competition_id);
	doc = json_loads(a.doc, 0, NULL);
	if (!comp || !doc || doc_unseal(doc) < 0) {
		req_fail(r, E_INTERNAL, "doc", "stored document unreadable");
		goto out;
	}
	letter_input(doc, comp, &in);
	fd = doc_tmpfile(r, "letter", ".pdf", path, sizeof(path));
	if (fd < 0)
		goto out;
	unlink(path);
	if (xp_letter_pdf(fd, which, &in, &pages, err, sizeof(err)) < 0) {
		req_fail(r, E_INTERNAL, "pdf", "%s", err);
		goto out;
	}
	rc = doc_send_fd(r, fd, "application/pdf",
			 file_name(r,
				   which == XP_DECLARATION ? "申报主体责任声明"
							   : "参赛单位授权书",
				   a.id, a.project_name));
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	json_decref(doc);
	app_row_release(&a);
	catalog_snapshot_unref(snap);
	return rc;
}

/* ---- the public check ------------------------------------------------- */

/*
 * GET /api/v1/verify/{code}: anyone holding a printed 申报书 may check it.
 * The answer confirms that the record exists with this submission, and
 * gives its content hash and status: nothing personal.
 */
int api_verify_get(struct req *r)
{
	struct str s = req_param(r, "code");
	char code[XP_CODE_MAX + 1], mac[XP_CODE_MAC_HEX + 1];
	char want[XP_CODE_MAX], sha[65];
	struct app_row a;
	json_t *doc;
	int64_t id = 0;
	int rc;

	if (s.len > XP_CODE_MAX || !s.len)
		goto unknown;
	memcpy(code, s.p, s.len);
	code[s.len] = '\0';
	if (xp_code_parse(code, &id, mac) < 0)
		goto unknown;
	if (!req_db(r))
		return -1;
	rc = store_app_get(r->db, id, 0, &a);
	if (rc < 0)
		return api_db_failed(r, r->db);
	if (rc == 0)
		goto unknown;
	if (!strcmp(a.status, "draft") || !a.submitted_at) {
		app_row_release(&a);
		goto unknown;
	}
	verify_code(a.id, a.submitted_at, want);
	/* Compared in constant time, over the formatted codes. */
	xp_code_format(id, mac, code);
	if (!cr_equal(code, want)) {
		app_row_release(&a);
		goto unknown;
	}
	doc = json_loads(a.doc, 0, NULL);
	if (!doc || doc_unseal(doc) < 0 || content_sha256(doc, sha) < 0) {
		json_decref(doc);
		app_row_release(&a);
		return req_fail(r, E_INTERNAL, "doc",
				"stored document unreadable");
	}
	json_decref(doc);
	rc = api_send(r, 200,
		      json_pack("{s:b, s:s, s:s, s:s, s:s}", "valid", 1, "code",
				want, "status", a.status, "status_label",
				lc_status_label(a.status), "content_sha256",
				sha));
	app_row_release(&a);
	return rc;
unknown:
	return req_fail(r, E_NOT_FOUND, "verify_not_found",
			"验证码无效：没有与之对应的已提交申报书"
			"（申报书重新提交后，旧验证码即失效）");
}
