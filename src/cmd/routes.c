/* routes.c: `saiwu routes` prints the route table, for tests and operators */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <jansson.h>
#include "cmd.h"
#include "../api/api.h"
#include "../util/banned.h"

static json_t *methods(unsigned m)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = { { HTTP_GET, "GET" },	  { HTTP_HEAD, "HEAD" },
		      { HTTP_POST, "POST" },	  { HTTP_PUT, "PUT" },
		      { HTTP_PATCH, "PATCH" },	  { HTTP_DELETE, "DELETE" },
		      { HTTP_OPTIONS, "OPTIONS" } };
	json_t *a = json_array();

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (m & names[i].bit)
			json_array_append_new(a, json_string(names[i].name));
	return a;
}

/*
 * The security matrix test reads this, so a new route is covered without
 * anyone remembering to add it.
 */
int cmd_routes(struct config *cfg, int argc, char **argv)
{
	json_t *out = json_array();
	char *text;

	(void)cfg;
	if (cmd_wants_help(argc, argv)) {
		printf("usage: saiwu routes\n\nPrints the route table as JSON: "
		       "methods, pattern, flags, body cap, name.\n");
		return 0;
	}
	for (size_t i = 0; i < api_routes_count; i++) {
		const struct route *r = &api_routes[i];
		json_array_append_new(
			out,
			json_pack(
				"{s:o, s:s, s:s, s:I, s:b, s:b, s:b, s:b, s:b}",
				"methods", methods(r->methods), "pattern",
				r->pattern, "name", r->name, "body_cap",
				(json_int_t)(r->body_cap == SIZE_MAX
						     ? -1
						     : (json_int_t)r->body_cap),
				"json", (r->flags & ROUTE_JSON) != 0, "session",
				(r->flags & ROUTE_SESSION) != 0, "no_csrf",
				(r->flags & ROUTE_NO_CSRF) != 0, "test_only",
				(r->flags & ROUTE_TEST_ONLY) != 0, "stream",
				r->stream != NULL));
	}
	text = json_dumps(out, JSON_INDENT(1));
	json_decref(out);
	if (!text)
		return 1;
	puts(text);
	free(text);
	return 0;
}
