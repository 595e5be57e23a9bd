/* eligibility.c: rules across applications, lists and sub-contests */
#include <stdio.h>
#include <string.h>
#include "eligibility.h"
#include "../crypto/crypto.h"
#include "../domain/form.h"
#include "../domain/ident.h"
#include "../store/applications.h"
#include "../util/banned.h"

#define MAX_ROWS 64

static void add(json_t *out, const char *field, const char *code,
		const char *message)
{
	json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "field", field,
					     "code", code, "message", message));
}

int elig_person_hash(const char *id, char out[CR_HASH_HEX])
{
	char norm[ID_NUMBER_MAX + 1];

	ident_id_normalize(id, norm);
	if (!norm[0])
		return -1;
	cr_keyed_hash("person", norm, strlen(norm), out);
	return 0;
}

static int check_members(struct req *r, const struct app_row *a,
			 const json_t *doc, json_t *out)
{
	const json_t *rows = form_get(doc, "members"), *row;
	char seen[MAX_ROWS][CR_HASH_HEX];
	size_t i;
	int n = 0;

	json_array_foreach (rows, i, row) {
		const char *id =
			json_string_value(json_object_get(row, "id_number"));
		const char *name =
			json_string_value(json_object_get(row, "name"));
		char h[CR_HASH_HEX], field[48], msg[300];
		int64_t elsewhere;

		if (!id || !*id || i >= MAX_ROWS)
			continue;
		if (elig_person_hash(id, h) < 0)
			continue;
		snprintf(field, sizeof(field), "members[%zu].id_number", i);
		for (int k = 0; k < n; k++)
			if (!strcmp(seen[k], h)) {
				snprintf(
					msg, sizeof(msg),
					"团队成员第 %zu 行（%s）与前面的成员证件号码相同",
					i + 1, name ? name : "");
				add(out, field, "member_repeated", msg);
			}
		memcpy(seen[n++], h, CR_HASH_HEX);
		elsewhere = store_app_people_elsewhere(r->db, h, a->id);
		if (elsewhere < 0)
			return -1;
		if (elsewhere > 0) {
			snprintf(
				msg, sizeof(msg),
				"团队成员第 %zu 行（%s）已在其他团队报名：每位参赛代表"
				"只能代表 1 个团队参赛",
				i + 1, name ? name : "");
			add(out, field, "member_elsewhere", msg);
		}
	}
	return 0;
}

static int check_unit(struct req *r, int64_t comp_id, const char *raw,
		      const char *field, const char *who, json_t *out)
{
	char norm[19], msg[300];
	int rc;

	if (!raw || !*raw)
		return 0;
	ident_uscc_normalize(raw, norm);
	if (!norm[0])
		return 0;
	rc = store_unit_listed(r->db, "exclusion", comp_id, norm);
	if (rc < 0)
		return -1;
	if (rc) {
		snprintf(
			msg, sizeof(msg),
			"%s属于本分赛组织单位或其下属、关联单位，不能在本分赛参赛",
			who);
		add(out, field, "unit_excluded", msg);
	}
	rc = store_unit_listed(r->db, "dishonest", 0, norm);
	if (rc < 0)
		return -1;
	if (rc) {
		snprintf(msg, sizeof(msg),
			 "%s被列入失信被执行人等失信名单，不能参赛", who);
		add(out, field, "unit_dishonest", msg);
	}
	return 0;
}

static bool same_uscc(const char *a, const char *b)
{
	char x[19], y[19];
	ident_uscc_normalize(a ? a : "", x);
	ident_uscc_normalize(b ? b : "", y);
	return x[0] && !strcmp(x, y);
}

static int check_units(struct req *r, int64_t comp_id, const json_t *doc,
		       bool submit, json_t *out)
{
	const json_t *rows = form_get(doc, "units"), *row;
	const char *lead_uscc =
		json_string_value(form_get(doc, "basic.lead_uscc"));
	const char *lead_name =
		json_string_value(form_get(doc, "basic.lead_unit_name"));
	const json_t *lead = NULL;
	size_t i;

	if (check_unit(r, comp_id, lead_uscc, "basic.lead_uscc", "牵头单位",
		       out) < 0)
		return -1;
	json_array_foreach (rows, i, row) {
		char field[40], who[200];
		const char *name =
			json_string_value(json_object_get(row, "name"));
		snprintf(field, sizeof(field), "units[%zu].uscc", i);
		snprintf(who, sizeof(who), "参赛单位第 %zu 行（%s）", i + 1,
			 name ? name : "");
		if (!same_uscc(json_string_value(json_object_get(row, "uscc")),
			       lead_uscc) &&
		    check_unit(r, comp_id,
			       json_string_value(json_object_get(row, "uscc")),
			       field, who, out) < 0)
			return -1;
		if (json_is_true(json_object_get(row, "is_lead")))
			lead = row;
	}
	/* The lead unit named on page 01 is the lead row of the units table. */
	if (submit && lead &&
	    (!same_uscc(json_string_value(json_object_get(lead, "uscc")),
			lead_uscc) ||
	     !lead_name ||
	     strcmp(lead_name,
		    json_string_value(json_object_get(lead, "name"))
			    ? json_string_value(json_object_get(lead, "name"))
			    : "")))
		add(out, "units", "lead_mismatch",
		    "参赛单位中的牵头单位须与基础信息中的牵头单位名称和统一社会信用代码一致");
	return 0;
}

json_t *elig_check(struct req *r, const struct app_row *a,
		   const json_t *competition, const json_t *doc, bool submit)
{
	json_t *out = json_array();
	int64_t comp_id =
		json_integer_value(json_object_get(competition, "id"));
	const char *project = json_string_value(form_get(doc, "project.name"));
	const char *lead_uscc =
		json_string_value(form_get(doc, "basic.lead_uscc"));

	if (!out)
		return NULL;
	if (!r->db && !req_db(r))
		goto fail;
	if (check_members(r, a, doc, out) < 0 ||
	    check_units(r, comp_id, doc, submit, out) < 0)
		goto fail;
	if (project && *project && lead_uscc && *lead_uscc) {
		char norm[19];
		int64_t n;
		ident_uscc_normalize(lead_uscc, norm);
		n = store_app_same_project_elsewhere(r->db, norm, project,
						     comp_id, a->id);
		if (n < 0)
			goto fail;
		if (n > 0)
			add(out, "project.name", "entered_elsewhere",
			    "同一牵头单位的同名项目已在其他分赛报名：参赛团队只能选择"
			    "一个地方分赛参赛");
	}
	return out;
fail:
	json_decref(out);
	req_fail(r, E_INTERNAL, "database", "%s", db_errmsg(r->db));
	return NULL;
}
