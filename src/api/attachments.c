/*
 * attachments.c: 附件 — streamed uploads into slots declared by the form
 * schema, listing, authorised download with ranges, delete and replace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "api.h"
#include "applications.h"
#include "attachments.h"
#include "catalog_cache.h"
#include "documents.h"
#include "roles.h"
#include "../app.h"
#include "../domain/lifecycle.h"
#include "../files/blob.h"
#include "../files/filetype.h"
#include "../files/scan.h"
#include "../files/zipcheck.h"
#include "../store/applications.h"
#include "../store/attachments.h"
#include "../store/pool.h"
#include "../util/clock.h"
#include "../util/log.h"
#include "../util/banned.h"

#define MAX_SLOTS 16
#define MAX_TYPES 10
#define MAX_ROWS_PER_SLOT 4
#define ZIP_MAX_ENTRIES 10000
#define ZIP_MAX_EXPANDED (512ull << 20)

struct slot {
	char key[32];
	char label[128];
	char help[256];
	bool required;
	bool only_tech; /* only while technical verification waits */
	const char *types[MAX_TYPES + 1];
	char type_buf[MAX_TYPES][16];
	int64_t max_bytes;
	int64_t max_files;
	char rows[MAX_ROWS_PER_SLOT][64];
	int nrows;
};

struct slot_table {
	struct slot s[MAX_SLOTS];
	int n;
	int64_t total_max;
	json_t *public; /* the slots as the API shows them */
};

struct upload {
	struct blob_writer *w;
	const struct slot *slot;
	int64_t app_id;
	int64_t replaces;
	char name[640];
	char row[96];
	uint64_t received;
};

void attachments_free(struct slot_table *t)
{
	if (!t)
		return;
	json_decref(t->public);
	free(t);
}

/* A key whose file cannot be seen yet may belong to an upload in flight. */
#define INTENT_GRACE_SECONDS 600

int attachments_sweep_intents(struct app *app)
{
	struct db *db = db_pool_get(app->pool, 5000);
	json_t *list, *it;
	int64_t now = clock_now();
	int removed = 0;
	size_t i;

	if (!db)
		return -1;
	list = store_blob_intents(db, 100000);
	if (!list) {
		log_warn("upload keys: %s", db_errmsg(db));
		db_pool_put(app->pool, db);
		return -1;
	}
	json_array_foreach (list, i, it) {
		const char *key =
			json_string_value(json_object_get(it, "storage_key"));
		int64_t age = now - json_integer_value(
					    json_object_get(it, "created_at"));
		int st = blob_claim_state(app->blobs, key);

		if (st < 0 || st == BLOB_CLAIMED)
			continue;
		if (json_is_true(json_object_get(it, "referenced"))) {
			store_blob_intent_del(db, key);
			continue;
		}
		if (st != BLOB_UNCLAIMED && age < INTENT_GRACE_SECONDS)
			continue;
		/* The file first: a key forgotten too early would hide it. */
		if (blob_delete(app->blobs, key) < 0 ||
		    store_blob_intent_del(db, key) < 0)
			continue;
		if (st == BLOB_UNCLAIMED || st == BLOB_UNKNOWN)
			removed++;
	}
	if (removed)
		log_info("removed %d stored file%s of uploads or exports cut "
			 "short before their row was committed",
			 removed, removed == 1 ? "" : "s");
	json_decref(list);
	db_pool_put(app->pool, db);
	return removed;
}

int attachments_load(struct app *app, const json_t *schema, char *err,
		     size_t errlen)
{
	const json_t *arr = json_object_get(schema, "attachments"), *o;
	struct slot_table *t = calloc(1, sizeof(*t));
	size_t i;

	if (!t) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	t->total_max = json_integer_value(
		json_object_get(schema, "attachments_total_max_bytes"));
	if (t->total_max <= 0)
		t->total_max = 1ll << 30;
	t->public = json_array();
	if (!json_is_array(arr) || json_array_size(arr) > MAX_SLOTS) {
		snprintf(err, errlen, "attachments: expected up to %d slots",
			 MAX_SLOTS);
		goto fail;
	}
	json_array_foreach (arr, i, o) {
		struct slot *s = &t->s[t->n];
		const json_t *types = json_object_get(o, "types"), *v;
		size_t k;
		const char *only =
			json_string_value(json_object_get(o, "only_when"));

		snprintf(s->key, sizeof(s->key), "%s",
			 json_string_value(json_object_get(o, "key"))
				 ? json_string_value(json_object_get(o, "key"))
				 : "");
		snprintf(
			s->label, sizeof(s->label), "%s",
			json_string_value(json_object_get(o, "label"))
				? json_string_value(json_object_get(o, "label"))
				: "");
		snprintf(s->help, sizeof(s->help), "%s",
			 json_string_value(json_object_get(o, "help"))
				 ? json_string_value(json_object_get(o, "help"))
				 : "");
		s->required = json_is_true(json_object_get(o, "required"));
		s->only_tech = only && !strcmp(only, "tech_pending");
		s->max_bytes =
			json_integer_value(json_object_get(o, "max_bytes"));
		s->max_files =
			json_integer_value(json_object_get(o, "max_files"));
		if (!s->key[0] || !s->label[0] || s->max_bytes <= 0 ||
		    s->max_files <= 0 || !json_is_array(types) ||
		    json_array_size(types) == 0 ||
		    json_array_size(types) > MAX_TYPES) {
			snprintf(err, errlen,
				 "attachments[%zu]: needs key, label, "
				 "types, max_bytes and max_files",
				 i);
			goto fail;
		}
		json_array_foreach (types, k, v) {
			if (!filetype_find(json_string_value(v))) {
				snprintf(err, errlen,
					 "attachments[%zu].types[%zu]: "
					 "unknown type",
					 i, k);
				goto fail;
			}
			snprintf(s->type_buf[k], sizeof(s->type_buf[k]), "%s",
				 json_string_value(v));
			s->types[k] = s->type_buf[k];
		}
		s->types[json_array_size(types)] = NULL;
		json_array_foreach (json_object_get(o, "rows"), k, v) {
			if (k >= MAX_ROWS_PER_SLOT)
				break;
			snprintf(s->rows[k], sizeof(s->rows[k]), "%s",
				 json_string_value(v) ? json_string_value(v)
						      : "");
			s->nrows++;
		}
		json_array_append_new(t->public, json_deep_copy(o));
		t->n++;
	}
	app->slots = t;
	return 0;
fail:
	attachments_free(t);
	return -1;
}

static const struct slot *find_slot(struct req *r, struct str key)
{
	const struct slot_table *t = r->app->slots;
	for (int i = 0; t && i < t->n; i++)
		if (strlen(t->s[i].key) == key.len &&
		    !memcmp(t->s[i].key, key.p, key.len))
			return &t->s[i];
	return NULL;
}

static const char *mb(struct req *r, int64_t bytes)
{
	return arena_printf(&r->arena, "%lld MB",
			    (long long)(bytes / (1024 * 1024)));
}

static const char *types_text(struct req *r, const struct slot *s)
{
	char *out = arena_strdup(&r->arena, "");
	for (int i = 0; s->types[i]; i++) {
		const char *label = filetype_label(s->types[i]);
		bool seen = false;
		/* doc and docx are both "Word": name it once. */
		for (int k = 0; k < i; k++)
			if (!strcmp(filetype_label(s->types[k]), label))
				seen = true;
		if (!seen)
			out = arena_printf(&r->arena, "%s%s%s", out ? out : "",
					   out && *out ? "、" : "", label);
	}
	return out ? out : "";
}

/* The row a per-row slot's file belongs to, e.g. "value.cases[0]". */
static bool row_ok(const struct slot *s, const char *row)
{
	for (int i = 0; i < s->nrows; i++) {
		size_t n = strlen(s->rows[i]);
		int64_t idx;
		size_t m;
		if (strncmp(row, s->rows[i], n) || row[n] != '[')
			continue;
		m = strcspn(row + n + 1, "]");
		if (row[n + 1 + m] == ']' && row[n + 2 + m] == '\0' &&
		    str_to_i64((struct str){ row + n + 1, m }, 0, 999, &idx) ==
			    0)
			return true;
	}
	return false;
}

/* The owner's application, as an upload or delete needs it: editable. */
static int owned_editable(struct req *r, const struct slot *slot,
			  struct app_row *a)
{
	struct catalog_snapshot *snap;
	const json_t *comp = NULL, *c;
	struct lc_window w;
	const char *why;
	size_t i;

	if (api_app_own(r, a) < 0)
		return -1;
	if (slot && slot->only_tech) {
		if (strcmp(a->tech_status, "pending")) {
			app_row_release(a);
			return req_fail(
				r, E_CONFLICT, "tech_not_open",
				"技术验证尚未开启或已提交，不能上传技术验证材料");
		}
		if (a->tech_due_at && clock_now() > a->tech_due_at) {
			app_row_release(a);
			return req_fail(r, E_CONFLICT, "tech_overdue",
					"技术验证材料的提交时间已截止");
		}
		return 0;
	}
	snap = catalog_cache_get(r->app->catalog);
	if (snap)
		json_array_foreach (snap->all, i, c)
			if (json_integer_value(json_object_get(c, "id")) ==
			    a->competition_id)
				comp = c;
	app_window(r, comp, a->competition_id, &w);
	catalog_snapshot_unref(snap);
	why = lc_edit_refusal(a->status, &w, clock_now());
	if (why) {
		app_row_release(a);
		return req_fail(r, E_CONFLICT, "not_editable", "%s", why);
	}
	return 0;
}

/* 1 when id is a live file of the application in slot, 0 if not, -1. */
static int live_in_slot(struct req *r, int64_t app_id, const struct slot *s,
			int64_t id)
{
	struct att_row old;
	int rc = store_att_get(r->db, app_id, id, &old);

	if (rc <= 0)
		return rc;
	return !old.deleted_at && !strcmp(old.slot, s->key);
}

static int upload_begin(struct req *r)
{
	const struct slot *slot = find_slot(r, req_param(r, "slot"));
	bool bad = false, b2 = false, b3 = false;
	const char *name = req_query(r, "name", &bad);
	const char *row = req_query(r, "row", &b2);
	const char *rep = req_query(r, "replace", &b3);
	struct upload *u;
	struct app_row a;
	char msg[300], err[256];
	int64_t in_slot = 0, total = 0, replaces = 0;
	int rc;

	if (!slot)
		return req_fail(r, E_NOT_FOUND, "slot_not_found",
				"附件类别不存在");
	if (!name)
		name = req_header(r, "X-File-Name");
	if (bad || b2 || b3 || !name || !*name)
		return req_fail(r, E_BAD_REQUEST, "file_name_required",
				"请提供文件名（name 参数）");
	if (filetype_name_ok(name, msg, sizeof(msg)) < 0)
		return req_fail(r, E_BAD_REQUEST, "bad_file_name", "%s", msg);
	if (rep && str_to_i64z(rep, 1, INT64_MAX, &replaces) < 0)
		return req_fail(r, E_BAD_REQUEST, "bad_replace",
				"replace 应为要替换的附件编号");
	if (slot->nrows && row && !row_ok(slot, row))
		return req_fail(r, E_BAD_REQUEST, "bad_row",
				"row 应指向本类附件对应的表格行，如 %s[0]",
				slot->rows[0]);
	if (!slot->nrows && row && *row)
		return req_fail(r, E_BAD_REQUEST, "bad_row",
				"该类附件不对应表格行");
	if (r->declared_len == 0)
		return req_fail(r, E_BAD_REQUEST, "empty_file", "文件为空");
	/* The cap is announced before a byte is sent, and checked the same way. */
	if (r->declared_len > (uint64_t)slot->max_bytes)
		return req_fail(r, E_TOO_LARGE, "file_too_large",
				"%s单个文件不能超过 %s", slot->label,
				mb(r, slot->max_bytes));
	if (filetype_accept(name, slot->types, NULL, msg, sizeof(msg)) < 0)
		return req_fail(r, E_MEDIA_TYPE, "file_type", "%s", msg);
	if (owned_editable(r, slot, &a) < 0)
		return -1;
	if (store_att_counts(r->db, a.id, slot->key, &in_slot, &total) < 0) {
		app_row_release(&a);
		return req_fail(r, E_INTERNAL, "database", "%s",
				db_errmsg(r->db));
	}
	/* A replace that retires nothing would slip past max_files. */
	if (replaces && (rc = live_in_slot(r, a.id, slot, replaces)) <= 0) {
		app_row_release(&a);
		return rc < 0 ? req_fail(r, E_INTERNAL, "database", "%s",
					 db_errmsg(r->db))
			      : req_fail(
					r, E_NOT_FOUND, "replace_not_found",
					"要替换的文件不存在或已被删除，请刷新后重试");
	}
	if (!replaces && in_slot >= slot->max_files) {
		app_row_release(&a);
		return req_fail(r, E_CONFLICT, "slot_full",
				"%s最多上传 %lld 个文件，请先删除或替换",
				slot->label, (long long)slot->max_files);
	}
	if ((uint64_t)total + r->declared_len >
	    (uint64_t)r->app->slots->total_max) {
		app_row_release(&a);
		return req_fail(r, E_TOO_LARGE, "total_too_large",
				"全部附件合计不能超过 %s",
				mb(r, r->app->slots->total_max));
	}
	u = arena_alloc(&r->arena, sizeof(*u));
	if (!u) {
		app_row_release(&a);
		return req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	}
	u->slot = slot;
	u->app_id = a.id;
	u->replaces = replaces;
	snprintf(u->name, sizeof(u->name), "%s", name);
	snprintf(u->row, sizeof(u->row), "%s", row ? row : "");
	app_row_release(&a);
	u->w = blob_write_begin(r->app->blobs, err, sizeof(err));
	if (!u->w)
		return req_fail(r, E_INTERNAL, "storage", "%s", err);
	r->upload = u;
	return 0;
}

static int upload_chunk(struct req *r, const char *p, size_t n)
{
	struct upload *u = r->upload;

	u->received += n;
	if (u->received > (uint64_t)u->slot->max_bytes)
		return req_fail(r, E_TOO_LARGE, "file_too_large",
				"%s单个文件不能超过 %s", u->slot->label,
				mb(r, u->slot->max_bytes));
	if (blob_write(u->w, p, n) < 0)
		return req_fail(r, E_INTERNAL, "storage", "write failed");
	return 0;
}

static void upload_abort(struct req *r)
{
	struct upload *u = r->upload;
	if (u && u->w) {
		blob_write_abort(u->w);
		u->w = NULL;
	}
}

static json_t *att_json(int64_t id, const struct upload *u, const char *kind,
			const char *mime, const char *sha, int64_t now)
{
	return json_pack("{s:I, s:s, s:o, s:s, s:I, s:s, s:s, s:s, s:I}", "id",
			 (json_int_t)id, "slot", u->slot->key, "row",
			 u->row[0] ? json_string(u->row) : json_null(),
			 "file_name", u->name, "size", (json_int_t)u->received,
			 "kind", kind, "mime", mime, "sha256", sha,
			 "uploaded_at", (json_int_t)now);
}

int api_attachment_upload(struct req *r)
{
	struct upload *u = r->upload;
	char kind[16], mime[128], msg[300], sha[65], key[96], virus[128];
	const unsigned char *head;
	size_t headlen;
	struct app_row a;
	struct att_new n;
	int64_t id = 0, in_slot = 0, total = 0, now = clock_now();
	json_t *body;
	int rc;

	if (u->received != r->declared_len)
		return req_fail(r, E_BAD_REQUEST, "incomplete",
				"文件未完整上传");
	head = blob_writer_head(u->w, &headlen);
	if (filetype_sniff(head, headlen, blob_writer_path(u->w), kind, mime,
			   msg, sizeof(msg)) < 0)
		return req_fail(r, E_INTERNAL, "sniff", "%s", msg);
	if (filetype_accept(u->name, u->slot->types, kind, msg, sizeof(msg)) <
	    0)
		return req_fail(r, E_MEDIA_TYPE, "file_type", "%s", msg);
	/* Office files are zip containers: a zip bomb is refused unopened. */
	if ((!strcmp(kind, "docx") || !strcmp(kind, "pptx")) &&
	    zipcheck_file(blob_writer_path(u->w), ZIP_MAX_ENTRIES,
			  ZIP_MAX_EXPANDED, msg, sizeof(msg)) < 0)
		return req_fail(r, E_MEDIA_TYPE, "bad_container",
				"文件结构异常，已拒绝：%s", msg);
	rc = scanner_check(r->app->scanner, blob_writer_path(u->w), virus,
			   sizeof(virus));
	if (rc < 0)
		return req_fail(r, E_UNAVAILABLE, "scan_failed",
				"病毒扫描服务暂不可用，请稍后重试");
	if (rc > 0) {
		log_warn("upload %s: infected (%s), refused", r->id, virus);
		return req_fail(r, E_INVALID, "infected",
				"文件未通过病毒扫描（%s），已拒绝", virus);
	}
	blob_writer_sha256(u->w, sha);
	/*
	 * The key is committed before the file is stored under it, and
	 * forgotten with the row's commit: a crash in between leaves the
	 * key for the next start-up, which removes a file no row names.
	 */
	blob_new_key(key);
	if (!req_db(r))
		return -1;
	if (store_blob_intent_add(r->db, key, now) < 0)
		return req_fail(r, E_INTERNAL, "database", "%s",
				db_errmsg(r->db));
	if (blob_write_publish(u->w, key, msg, sizeof(msg)) < 0) {
		store_blob_intent_del(r->db, key);
		return req_fail(r, E_INTERNAL, "storage", "%s", msg);
	}
	/* Re-checked in the transaction: the record may have changed meanwhile. */
	if (owned_editable(r, u->slot, &a) < 0)
		goto drop;
	app_row_release(&a);
	if (db_begin_write(r->db) < 0 ||
	    store_att_counts(r->db, u->app_id, u->slot->key, &in_slot, &total) <
		    0)
		goto dbfail;
	if (u->replaces) {
		rc = live_in_slot(r, u->app_id, u->slot, u->replaces);
		if (rc < 0)
			goto dbfail;
		if (rc == 0) {
			req_fail(r, E_NOT_FOUND, "replace_not_found",
				 "要替换的文件已被删除或替换，请刷新后重试");
			goto drop;
		}
	} else if (in_slot >= u->slot->max_files) {
		req_fail(r, E_CONFLICT, "slot_full", "%s已达文件数量上限",
			 u->slot->label);
		goto drop;
	}
	/* Uploads running side by side each passed the check at their start. */
	if ((uint64_t)total + u->received >
	    (uint64_t)r->app->slots->total_max) {
		req_fail(r, E_TOO_LARGE, "total_too_large",
			 "全部附件合计不能超过 %s",
			 mb(r, r->app->slots->total_max));
		goto drop;
	}
	n = (struct att_new){ u->app_id,
			      u->slot->key,
			      u->row[0] ? u->row : NULL,
			      u->name,
			      (int64_t)u->received,
			      kind,
			      mime,
			      sha,
			      key,
			      r->user_id,
			      now,
			      u->replaces };
	if (store_att_add(r->db, &n, &id) < 0 ||
	    store_blob_intent_del(r->db, key) < 0 || db_commit(r->db) < 0)
		goto dbfail;
	/* Stored and named by its row: the writer's claim can go. */
	blob_write_abort(u->w);
	u->w = NULL;
	body = att_json(id, u, kind, mime, sha, now);
	rc = resp_json(r, 201, body);
	json_decref(body);
	return rc;
dbfail:
	req_fail(r, E_INTERNAL, "database", "%s", db_errmsg(r->db));
drop:
	/* No row, no file: the stored blob goes too, then its key. */
	db_rollback(r->db);
	if (blob_delete(r->app->blobs, key) == 0)
		store_blob_intent_del(r->db, key);
	return -1;
}

const struct route_stream api_attachment_stream = {
	upload_begin,
	upload_chunk,
	upload_abort,
};

/* Owner, or a reviewer/admin of the sub-contest; anyone else gets 404. */
static int readable(struct req *r, struct app_row *a, bool *owner)
{
	struct str sid = req_param(r, "id");
	int64_t id = 0;
	int rc;

	if (str_to_i64(sid, 1, INT64_MAX, &id) < 0)
		return req_fail(r, E_NOT_FOUND, "not_found", "报名记录不存在");
	if (!req_db(r))
		return -1;
	rc = store_app_get(r->db, id, 0, a);
	if (rc < 0)
		return req_fail(r, E_INTERNAL, "database", "%s",
				db_errmsg(r->db));
	if (rc == 0)
		return req_fail(r, E_NOT_FOUND, "not_found", "报名记录不存在");
	*owner = a->user_id == r->user_id;
	if (!*owner && api_require_reviewer(r, a->competition_id) < 0) {
		app_row_release(a);
		return -1;
	}
	return 0;
}

int api_attachments_list(struct req *r)
{
	struct app_row a;
	bool owner;
	json_t *files, *slots, *body, *f;
	size_t i;
	int64_t total = 0;
	int rc;

	if (readable(r, &a, &owner) < 0)
		return -1;
	files = store_att_list(r->db, a.id, !owner);
	app_row_release(&a);
	if (!files)
		return req_fail(r, E_INTERNAL, "database", "%s",
				db_errmsg(r->db));
	json_array_foreach (files, i, f)
		if (!json_integer_value(json_object_get(f, "deleted_at")))
			total += json_integer_value(json_object_get(f, "size"));
	slots = json_deep_copy(r->app->slots->public);
	body = json_pack("{s:o, s:o, s:I, s:I}", "slots", slots, "files", files,
			 "total_bytes", (json_int_t)total, "total_max_bytes",
			 (json_int_t)r->app->slots->total_max);
	rc = body ? resp_json(r, 200, body)
		  : req_fail(r, E_UNAVAILABLE, "out_of_memory", NULL);
	json_decref(body);
	return rc;
}

/* Parses "bytes=a-b" / "bytes=a-" / "bytes=-n" for one range. */
static int parse_range(const char *h, uint64_t size, uint64_t *from,
		       uint64_t *len)
{
	const char *dash;
	int64_t a = -1, b = -1;

	if (strncmp(h, "bytes=", 6) || strchr(h, ','))
		return -1;
	h += 6;
	dash = strchr(h, '-');
	if (!dash)
		return -1;
	if (dash > h && str_to_i64((struct str){ h, (size_t)(dash - h) }, 0,
				   INT64_MAX, &a) < 0)
		return -1;
	if (dash[1] && str_to_i64z(dash + 1, 0, INT64_MAX, &b) < 0)
		return -1;
	if (a < 0 && b < 0)
		return -1;
	if (a < 0) { /* the last b bytes */
		if (b == 0)
			return -1;
		a = (uint64_t)b > size ? 0 : (int64_t)(size - (uint64_t)b);
		b = (int64_t)size - 1;
	} else if (b < 0 || (uint64_t)b >= size) {
		b = (int64_t)size - 1;
	}
	if ((uint64_t)a >= size || b < a)
		return -1;
	*from = (uint64_t)a;
	*len = (uint64_t)(b - a + 1);
	return 0;
}

int api_attachment_get(struct req *r)
{
	struct app_row a;
	int64_t app_id;
	bool owner;

	if (readable(r, &a, &owner) < 0)
		return -1;
	app_id = a.id;
	app_row_release(&a);
	return api_attachment_send(r, app_id, owner);
}

int api_attachment_send(struct req *r, int64_t application_id, bool owner)
{
	struct att_row att;
	struct str aid = req_param(r, "att");
	int64_t id = 0;
	uint64_t size = 0, from = 0, len = 0;
	char err[256];
	const char *range;
	int fd, rc;

	if (str_to_i64(aid, 1, INT64_MAX, &id) < 0)
		return req_fail(r, E_NOT_FOUND, "not_found", "附件不存在");
	if (!req_db(r))
		return -1;
	rc = store_att_get(r->db, application_id, id, &att);
	if (rc < 0)
		return req_fail(r, E_INTERNAL, "database", "%s",
				db_errmsg(r->db));
	/* Earlier versions stay readable for the organisers only. */
	if (rc == 0 || (att.deleted_at && owner))
		return req_fail(r, E_NOT_FOUND, "not_found", "附件不存在");
	fd = blob_open(r->app->blobs, att.storage_key, &size, err, sizeof(err));
	if (fd < 0)
		return req_fail(r, E_INTERNAL, "storage", "%s", err);
	resp_header(r, "Content-Disposition",
		    doc_disposition(r, att.file_name));
	resp_header(r, "Accept-Ranges", "bytes");
	r->resp.content_type = arena_strdup(&r->arena, att.mime);
	r->resp.cache_control = "private, no-store";
	snprintf(r->resp.etag, sizeof(r->resp.etag), "\"%.64s\"", att.sha256);
	range = req_header(r, "Range");
	if (range) {
		if (parse_range(range, size, &from, &len) < 0) {
			close(fd);
			resp_header(r, "Content-Range",
				    arena_printf(&r->arena, "bytes */%llu",
						 (unsigned long long)size));
			return req_fail(r, E_RANGE, "bad_range",
					"请求的范围无效");
		}
		resp_header(r, "Content-Range",
			    arena_printf(&r->arena, "bytes %llu-%llu/%llu",
					 (unsigned long long)from,
					 (unsigned long long)(from + len - 1),
					 (unsigned long long)size));
		r->resp.status = 206;
	} else {
		from = 0;
		len = size;
		r->resp.status = 200;
	}
	r->resp.fd = fd;
	r->resp.fd_offset = from;
	r->resp.len = (size_t)len;
	return 0;
}

int api_attachment_delete(struct req *r)
{
	struct app_row a;
	struct str aid = req_param(r, "att");
	int64_t id = 0;
	int rc;

	const struct slot *slot = NULL;
	struct att_row att;
	int64_t app_id = 0;

	if (str_to_i64(aid, 1, INT64_MAX, &id) < 0)
		return req_fail(r, E_NOT_FOUND, "not_found", "附件不存在");
	/*
	 * A file of the 技术验证材料 slot follows the verification's window,
	 * not the record's: it may go while the verification waits for it.
	 */
	if (str_to_i64(req_param(r, "id"), 1, INT64_MAX, &app_id) == 0 &&
	    req_db(r) && store_att_get(r->db, app_id, id, &att) == 1) {
		struct str key = { att.slot, strlen(att.slot) };
		const struct slot *s = find_slot(r, key);
		if (s && s->only_tech)
			slot = s;
	}
	if (owned_editable(r, slot, &a) < 0)
		return -1;
	rc = store_att_delete(r->db, a.id, id, clock_now());
	app_row_release(&a);
	if (rc < 0)
		return req_fail(r, E_INTERNAL, "database", "%s",
				db_errmsg(r->db));
	if (rc == 0)
		return req_fail(r, E_NOT_FOUND, "not_found", "附件不存在");
	r->resp.status = 204;
	return 0;
}

int attachments_check_required(struct req *r, int64_t application_id)
{
	const struct slot_table *t = r->app->slots;

	for (int i = 0; t && i < t->n; i++) {
		const struct slot *s = &t->s[i];
		int64_t in_slot = 0, total = 0;
		char field[64], *msg;

		if (!s->required)
			continue;
		if (store_att_counts(r->db, application_id, s->key, &in_slot,
				     &total) < 0)
			return req_fail(r, E_INTERNAL, "database", "%s",
					db_errmsg(r->db));
		if (in_slot)
			continue;
		snprintf(field, sizeof(field), "attachments.%s", s->key);
		msg = arena_printf(&r->arena,
				   "请上传%s（%s，单个文件不超过 %s）",
				   s->label, types_text(r, s),
				   mb(r, s->max_bytes));
		req_field_error(r, field, "required", msg ? msg : s->label);
	}
	return 0;
}

int api_attachment_dispatch(struct req *r)
{
	return r->method == HTTP_DELETE ? api_attachment_delete(r)
					: api_attachment_get(r);
}
