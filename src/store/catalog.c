/* catalog.c: the only SQL that touches competitions, tracks and topics */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "catalog.h"
#include "db_json.h"
#include "../util/banned.h"

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static struct db_param text_or_null(const char *s)
{
	return s ? DB_P_TEXT(s) : DB_P_NULL;
}

/* Runs an upsert whose RETURNING row appears only when something changed. */
static int upsert(struct db *db, const char *sql, int n,
		  const struct db_param *p, int64_t *id, int *changed)
{
	int rc = db_query_int(db, sql, n, p, id);
	if (rc < 0)
		return -1;
	if (rc == 1)
		(*changed)++;
	return rc;
}

static int import_topics(struct db *db, int64_t track_id, const json_t *topics,
			 struct catalog_import_stats *st)
{
	size_t i;
	const json_t *t;
	struct db_rows *r;
	int rc = 0;

	json_array_foreach (topics, i, t) {
		struct db_param p[4] = {
			DB_P_INT(track_id),
			DB_P_INT(json_integer_value(json_object_get(t, "no"))),
			DB_P_TEXT(jstr(t, "title")),
			DB_P_TEXT(jstr(t, "description")),
		};
		int64_t id;
		if (upsert(db,
			   "INSERT INTO topics (track_id, num, title, description) "
			   "VALUES ($1, $2, $3, $4) "
			   "ON CONFLICT (track_id, num) DO UPDATE SET "
			   "title = excluded.title, description = excluded.description, "
			   "retired = 0 "
			   "WHERE topics.title IS DISTINCT FROM excluded.title "
			   "OR topics.description IS DISTINCT FROM excluded.description "
			   "OR topics.retired <> 0 RETURNING id",
			   4, p, &id, &st->topics) < 0)
			return -1;
	}
	/* Topics gone from the file are retired, never deleted. */
	{
		struct db_param p[1] = { DB_P_INT(track_id) };
		r = db_query(db,
			     "SELECT id, num FROM topics WHERE track_id = $1 "
			     "AND retired = 0",
			     1, p);
	}
	if (!r)
		return -1;
	while ((rc = db_next(r)) == 1) {
		int64_t num = db_col_int(r, 1);
		bool present = false;
		json_array_foreach (topics, i, t)
			if (json_integer_value(json_object_get(t, "no")) == num)
				present = true;
		if (!present) {
			struct db_param q[1] = { DB_P_INT(db_col_int(r, 0)) };
			if (db_run(db,
				   "UPDATE topics SET retired = 1 WHERE id = $1",
				   1, q) < 0) {
				rc = -1;
				break;
			}
			st->retired++;
		}
	}
	db_rows_free(r);
	return rc < 0 ? -1 : 0;
}

static int import_one(struct db *db, json_t *doc, int64_t now,
		      struct catalog_import_stats *st)
{
	json_t *copy, *tracks, *reg, *t;
	char *text;
	int64_t comp_id = 0;
	size_t i;
	int rc = -1, found;
	struct db_rows *r;

	/* The document is stored without its tracks: those live in tables. */
	copy = json_copy(doc);
	if (!copy)
		return -1;
	json_object_del(copy, "tracks");
	text = json_dumps(copy, JSON_COMPACT);
	json_decref(copy);
	if (!text)
		return -1;
	reg = json_object_get(doc, "registration");
	{
		struct db_param p[8] = {
			DB_P_TEXT(jstr(doc, "slug")),
			DB_P_TEXT(jstr(doc, "name")),
			DB_P_TEXT(jstr(doc, "short_name")),
			DB_P_INT(json_integer_value(
				json_object_get(doc, "year"))),
			DB_P_INT(json_integer_value(
				json_object_get(doc, "sort_order"))),
			text_or_null(jstr(reg, "opens")),
			text_or_null(jstr(reg, "closes")),
			DB_P_TEXT(text),
		};
		struct db_param q[9];
		memcpy(q, p, sizeof(p));
		q[8] = DB_P_INT(now);
		found = upsert(
			db,
			"INSERT INTO competitions (slug, name, short_name, "
			"year, sort_order, registration_opens, "
			"registration_closes, doc, created_at, updated_at) "
			"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) "
			"ON CONFLICT (slug) DO UPDATE SET name = excluded.name, "
			"short_name = excluded.short_name, year = excluded.year, "
			"sort_order = excluded.sort_order, "
			"registration_opens = excluded.registration_opens, "
			"registration_closes = excluded.registration_closes, "
			"doc = excluded.doc, updated_at = excluded.updated_at "
			"WHERE competitions.doc IS DISTINCT FROM excluded.doc "
			"RETURNING id",
			9, q, &comp_id, &st->competitions);
		if (found == 0)
			found = db_query_int(db,
					     "SELECT id FROM competitions "
					     "WHERE slug = $1",
					     1, p, &comp_id);
	}
	free(text);
	if (found != 1)
		return -1;
	tracks = json_object_get(doc, "tracks");
	json_array_foreach (tracks, i, t) {
		struct db_param p[7] = {
			DB_P_INT(comp_id),
			DB_P_TEXT(jstr(t, "key")),
			DB_P_INT(json_integer_value(json_object_get(t, "no"))),
			DB_P_TEXT(jstr(t, "name")),
			DB_P_TEXT(jstr(t, "title")),
			DB_P_TEXT(jstr(t, "heading")),
			text_or_null(jstr(t, "venue")),
		};
		int64_t track_id = 0;
		int got = upsert(
			db,
			"INSERT INTO tracks (competition_id, track_key, num, "
			"name, title, heading, venue) "
			"VALUES ($1, $2, $3, $4, $5, $6, $7) "
			"ON CONFLICT (competition_id, track_key) DO UPDATE SET "
			"num = excluded.num, name = excluded.name, "
			"title = excluded.title, heading = excluded.heading, "
			"venue = excluded.venue, retired = 0 "
			"WHERE tracks.num IS DISTINCT FROM excluded.num "
			"OR tracks.name IS DISTINCT FROM excluded.name "
			"OR tracks.title IS DISTINCT FROM excluded.title "
			"OR tracks.heading IS DISTINCT FROM excluded.heading "
			"OR tracks.venue IS DISTINCT FROM excluded.venue "
			"OR tracks.retired <> 0 RETURNING id",
			7, p, &track_id, &st->tracks);
		if (got == 0)
			got = db_query_int(
				db,
				"SELECT id FROM tracks WHERE "
				"competition_id = $1 AND track_key = $2",
				2, p, &track_id);
		if (got != 1)
			return -1;
		if (import_topics(db, track_id, json_object_get(t, "topics"),
				  st) < 0)
			return -1;
	}
	{
		struct db_param p[1] = { DB_P_INT(comp_id) };
		r = db_query(db,
			     "SELECT id, track_key FROM tracks WHERE "
			     "competition_id = $1 AND retired = 0",
			     1, p);
	}
	if (!r)
		return -1;
	while ((rc = db_next(r)) == 1) {
		const char *key = db_col_text(r, 1, NULL);
		bool present = false;
		json_array_foreach (tracks, i, t)
			if (key && !strcmp(jstr(t, "key"), key))
				present = true;
		if (!present) {
			struct db_param q[1] = { DB_P_INT(db_col_int(r, 0)) };
			if (db_run(db,
				   "UPDATE tracks SET retired = 1 WHERE id = $1",
				   1, q) < 0) {
				rc = -1;
				break;
			}
			st->retired++;
		}
	}
	db_rows_free(r);
	return rc < 0 ? -1 : 0;
}

int store_catalog_import(struct db *db, json_t *const *docs, int n,
			 struct catalog_import_stats *st, char *err,
			 size_t errlen)
{
	int64_t now = (int64_t)time(NULL);

	memset(st, 0, sizeof(*st));
	if (db_begin_write(db) < 0)
		goto fail;
	for (int i = 0; i < n; i++)
		if (import_one(db, docs[i], now, st) < 0)
			goto fail;
	if (st->competitions + st->tracks + st->topics + st->retired > 0 &&
	    db_run(db,
		   "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 "
		   "AS TEXT) WHERE name = 'catalog_revision'",
		   0, NULL) < 0)
		goto fail;
	if (db_commit(db) < 0)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "catalog import failed: %s", db_errmsg(db));
	db_rollback(db);
	return -1;
}

int store_catalog_revision(struct db *db, int64_t *rev)
{
	int rc = db_query_int(db,
			      "SELECT CAST(value AS BIGINT) FROM meta "
			      "WHERE name = 'catalog_revision'",
			      0, NULL, rev);
	return rc == 1 ? 0 : -1;
}

int store_catalog_count(struct db *db)
{
	int64_t n = 0;
	if (db_query_int(db, "SELECT COUNT(*) FROM competitions", 0, NULL, &n) <
	    0)
		return -1;
	return (int)n;
}

static json_t *topic_row(struct db_rows *r, void *cls)
{
	(void)cls;
	return json_pack("{s:I, s:I, s:s, s:s}", "id",
			 (json_int_t)db_col_int(r, 0), "no",
			 (json_int_t)db_col_int(r, 1), "title",
			 db_col_text(r, 2, NULL), "description",
			 db_col_text(r, 3, NULL));
}

static json_t *load_topics(struct db *db, int64_t track_id)
{
	struct db_param p[1] = { DB_P_INT(track_id) };

	return db_json_rows(db,
			    "SELECT id, num, title, description FROM topics "
			    "WHERE track_id = $1 AND retired = 0 ORDER BY num",
			    1, p, topic_row, NULL);
}

static json_t *track_row(struct db_rows *r, void *cls)
{
	struct db *db = cls;
	int64_t id = db_col_int(r, 0);
	json_t *topics, *o;

	o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:o}", "id",
		      (json_int_t)id, "no", (json_int_t)db_col_int(r, 1), "key",
		      db_col_text(r, 2, NULL), "name", db_col_text(r, 3, NULL),
		      "title", db_col_text(r, 4, NULL), "heading",
		      db_col_text(r, 5, NULL), "venue", db_col_json_text(r, 6));
	if (!o)
		return NULL;
	/* SQLite steps lazily: the nested query uses its own statement. */
	topics = load_topics(db, id);
	if (!topics || json_object_set_new(o, "topics", topics) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *load_tracks(struct db *db, int64_t comp_id)
{
	struct db_param p[1] = { DB_P_INT(comp_id) };

	return db_json_rows(
		db,
		"SELECT id, num, track_key, name, title, heading, venue "
		"FROM tracks WHERE competition_id = $1 AND retired = 0 "
		"ORDER BY num",
		1, p, track_row, db);
}

json_t *store_catalog_load(struct db *db, int64_t *rev_out)
{
	struct db_rows *r = NULL;
	json_t *list = json_array();
	int rc;

	if (!list || db_begin_read(db) < 0)
		goto fail;
	if (store_catalog_revision(db, rev_out) < 0)
		goto fail;
	r = db_query(db,
		     "SELECT id, doc FROM competitions "
		     "ORDER BY sort_order, id",
		     0, NULL);
	if (!r)
		goto fail;
	while ((rc = db_next(r)) == 1) {
		size_t len;
		const char *doc = db_col_text(r, 1, &len);
		json_t *o = json_loadb(doc, len, 0, NULL), *tracks, *full;

		if (!json_is_object(o)) {
			json_decref(o);
			goto fail;
		}
		/* "id" first, then the document, then its tracks. */
		full = json_pack("{s:I}", "id", (json_int_t)db_col_int(r, 0));
		if (!full || json_object_update(full, o) < 0) {
			json_decref(full);
			json_decref(o);
			goto fail;
		}
		json_decref(o);
		if (json_array_append_new(list, full) < 0)
			goto fail;
		tracks = load_tracks(db, db_col_int(r, 0));
		if (!tracks || json_object_set_new(full, "tracks", tracks) < 0)
			goto fail;
	}
	if (rc < 0)
		goto fail;
	db_rows_free(r);
	db_commit(db);
	return list;
fail:
	db_rows_free(r);
	db_rollback(db);
	json_decref(list);
	return NULL;
}
