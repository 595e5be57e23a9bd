/* csp_reports.c: browsers report Content-Security-Policy violations here */
#include "api.h"
#include "../util/log.h"
#include "../util/banned.h"

static const char *field(json_t *report, const char *key)
{
	const char *s = json_string_value(json_object_get(report, key));
	return s ? s : "-";
}

int api_csp_report_create(struct req *r)
{
	json_t *report = json_object_get(r->json, "csp-report");

	if (!json_is_object(report))
		return req_fail(r, E_BAD_REQUEST, "invalid_report",
				"缺少 csp-report 对象");
	/* A blocked script in a user's browser is a lead worth logging. */
	log_warn("csp-report document=%.200s directive=%.100s blocked=%.200s",
		 field(report, "document-uri"),
		 field(report, "violated-directive"),
		 field(report, "blocked-uri"));
	r->resp.status = 204;
	r->resp.len = 0;
	return 0;
}
