/* routes.c: THE route table; every endpoint of the server is one row here */
#include <stdint.h>
#include "api.h"
#include "../util/banned.h"

#define KB(n) ((size_t)(n) << 10)

/*
 * Columns: methods, path pattern, handler, flags, body cap (0: none;
 * SIZE_MAX: the configured body_limit), metrics name.
 */
const struct route api_routes[] = {
	{ HTTP_GET, "/healthz", api_health_get, 0, 0, "healthz" },
	{ HTTP_GET, "/metrics", api_metrics_get, 0, 0, "metrics" },
	{ HTTP_GET, "/api/v1/competitions", api_competitions_list,
	  0, 0, "competitions_list" },
	{ HTTP_GET, "/api/v1/competitions/{slug}", api_competition_get,
	  0, 0, "competition_get" },
	{ HTTP_GET, "/api/v1/competitions/{slug}/tracks",
	  api_competition_tracks, 0, 0,
	  "competition_tracks" },
	{ HTTP_GET, "/api/v1/competitions/{slug}/form", api_form_get, 0, 0,
	  "competition_form" },
	{ HTTP_POST, "/api/v1/applications", api_application_create,
	  ROUTE_JSON | ROUTE_SESSION, KB(4), "applications_create" },
	{ HTTP_GET, "/api/v1/applications", api_applications_list,
	  ROUTE_SESSION, 0, "applications_list" },
	{ HTTP_GET, "/api/v1/applications/{id}", api_application_get,
	  ROUTE_SESSION, 0, "application_get" },
	{ HTTP_PUT, "/api/v1/applications/{id}", api_application_put,
	  ROUTE_JSON | ROUTE_SESSION, SIZE_MAX, "application_put" },
	{ HTTP_PATCH, "/api/v1/applications/{id}", api_application_patch,
	  ROUTE_JSON | ROUTE_SESSION, SIZE_MAX, "application_patch" },
	{ HTTP_DELETE, "/api/v1/applications/{id}", api_application_delete,
	  ROUTE_SESSION, 0, "application_delete" },
	{ HTTP_POST, "/api/v1/applications/{id}/validate",
	  api_application_validate, ROUTE_SESSION, 0, "application_validate" },
	{ HTTP_POST, "/api/v1/applications/{id}/submit", api_application_submit,
	  ROUTE_SESSION, KB(1), "application_submit" },
	{ HTTP_POST, "/api/v1/review/applications/{id}/approve",
	  api_review_approve, ROUTE_JSON | ROUTE_SESSION, KB(4),
	  "review_approve" },
	{ HTTP_POST, "/api/v1/review/applications/{id}/return",
	  api_review_return, ROUTE_JSON | ROUTE_SESSION, KB(8),
	  "review_return" },
	{ HTTP_POST, "/api/v1/admin/unit-lists/{kind}", api_unit_list_import,
	  ROUTE_SESSION, 8u << 20, "admin_unit_lists" },
	{ HTTP_POST, "/api/v1/admin/uscc-verified", api_uscc_verify,
	  ROUTE_JSON | ROUTE_SESSION, KB(4), "admin_uscc_verified" },
	{ HTTP_GET, "/api/v1/platform", api_platform_get, 0, 0, "platform" },
	{ HTTP_GET, "/api/v1/session", api_session_get, ROUTE_USER, 0,
	  "session" },
	{ HTTP_GET, "/api/v1/agreement", api_agreement_get, 0,
	  0, "agreement" },
	{ HTTP_GET, "/api/v1/captcha", api_captcha_create, 0, 0, "captcha" },
	{ HTTP_POST, "/api/v1/sms-codes", api_sms_code_create, ROUTE_JSON,
	  KB(4), "sms_codes" },
	{ HTTP_POST, "/api/v1/register", api_register, ROUTE_JSON, KB(4),
	  "register" },
	{ HTTP_POST, "/api/v1/login", api_login, ROUTE_JSON, KB(4), "login" },
	{ HTTP_POST, "/api/v1/logout", api_logout, 0, 0, "logout" },
	{ HTTP_POST, "/api/v1/logout-all", api_logout_all, ROUTE_SESSION, 0,
	  "logout_all" },
	{ HTTP_POST, "/api/v1/password/reset", api_password_reset, ROUTE_JSON,
	  KB(4), "password_reset" },
	{ HTTP_POST, "/api/v1/password/change", api_password_change,
	  ROUTE_JSON | ROUTE_SESSION, KB(4), "password_change" },
	{ HTTP_GET, "/api/v1/test/captchas/{id}", api_test_captcha_get,
	  ROUTE_TEST_ONLY, 0, "test_captcha" },
	{ HTTP_GET, "/api/v1/test/sms/{phone}", api_test_sms_get,
	  ROUTE_TEST_ONLY, 0, "test_sms" },
	{ HTTP_POST, "/api/v1/test/clock", api_test_clock_advance,
	  ROUTE_TEST_ONLY | ROUTE_JSON, KB(1), "test_clock" },
	{ HTTP_POST, "/api/v1/csp-reports", api_csp_report_create,
	  ROUTE_JSON | ROUTE_CSP_REPORT | ROUTE_NO_CSRF, KB(16), "csp_reports" },
};

const size_t api_routes_count = sizeof(api_routes) / sizeof(api_routes[0]);
