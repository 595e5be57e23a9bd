/* roles.c: role checks read the roles table on every request, never a cache */
#include <string.h>
#include "roles.h"
#include "../store/users.h"
#include "../util/banned.h"

static bool has_role(json_t *roles, const char *const *names,
		     int64_t competition_id)
{
	json_t *role;
	size_t i;

	json_array_foreach (roles, i, role) {
		const char *name =
			json_string_value(json_object_get(role, "role"));
		json_int_t comp = json_integer_value(
			json_object_get(role, "competition_id"));
		if (!strcmp(name, "platform_admin"))
			return true;
		for (const char *const *n = names; *n; n++)
			if (!strcmp(name, *n) && competition_id &&
			    comp == competition_id)
				return true;
	}
	return false;
}

int api_require_reviewer(struct req *r, int64_t competition_id)
{
	static const char *const names[] = { "reviewer", "competition_admin",
					     NULL };
	struct db *db = req_db(r);
	json_t *roles;
	bool ok;

	if (!db)
		return -1;
	roles = store_user_roles(db, r->user_id);
	if (!roles)
		return req_fail(r, E_INTERNAL, "database", "%s", db_errmsg(db));
	ok = has_role(roles, names, competition_id);
	json_decref(roles);
	if (!ok)
		return req_fail(r, E_NOT_FOUND, "not_found", "报名记录不存在");
	return 0;
}

int api_require_admin(struct req *r, int64_t competition_id)
{
	struct db *db = req_db(r);
	json_t *roles, *role;
	size_t i;
	bool ok = false;

	if (!db)
		return -1;
	roles = store_user_roles(db, r->user_id);
	if (!roles)
		return req_fail(r, E_INTERNAL, "database", "%s", db_errmsg(db));
	json_array_foreach (roles, i, role) {
		const char *name =
			json_string_value(json_object_get(role, "role"));
		json_int_t comp = json_integer_value(
			json_object_get(role, "competition_id"));
		if (!strcmp(name, "platform_admin") ||
		    (!strcmp(name, "competition_admin") && competition_id &&
		     comp == competition_id))
			ok = true;
	}
	json_decref(roles);
	if (!ok)
		return req_fail(r, E_FORBIDDEN, "forbidden", "需要管理员权限");
	return 0;
}

int api_staff_level(struct req *r, int64_t competition_id,
		    enum staff_level *level, bool *platform)
{
	struct db *db = req_db(r);
	json_t *roles, *role;
	size_t i;

	*level = STAFF_NONE;
	if (platform)
		*platform = false;
	if (!db)
		return -1;
	if (!r->user_id)
		return 0;
	roles = store_user_roles(db, r->user_id);
	if (!roles)
		return req_fail(r, E_INTERNAL, "database", "%s", db_errmsg(db));
	json_array_foreach (roles, i, role) {
		const char *name =
			json_string_value(json_object_get(role, "role"));
		json_int_t comp = json_integer_value(
			json_object_get(role, "competition_id"));
		if (!strcmp(name, "platform_admin")) {
			*level = STAFF_ADMIN;
			if (platform)
				*platform = true;
		} else if (competition_id && comp == competition_id) {
			if (!strcmp(name, "competition_admin"))
				*level = STAFF_ADMIN;
			else if (!strcmp(name, "reviewer") &&
				 *level < STAFF_REVIEWER)
				*level = STAFF_REVIEWER;
		}
	}
	json_decref(roles);
	return 0;
}
