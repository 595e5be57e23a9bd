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
	  ROUTE_PUBLIC_CACHE, 0, "competitions_list" },
	{ HTTP_GET, "/api/v1/competitions/{slug}", api_competition_get,
	  ROUTE_PUBLIC_CACHE, 0, "competition_get" },
	{ HTTP_GET, "/api/v1/competitions/{slug}/tracks",
	  api_competition_tracks, ROUTE_PUBLIC_CACHE, 0,
	  "competition_tracks" },
	{ HTTP_POST, "/api/v1/csp-reports", api_csp_report_create,
	  ROUTE_JSON | ROUTE_CSP_REPORT, KB(16), "csp_reports" },
};

const size_t api_routes_count = sizeof(api_routes) / sizeof(api_routes[0]);
