/* api.h: the handlers of the route table in routes.c */
#ifndef API_API_H
#define API_API_H

#include <stddef.h>
#include "../http/request.h"
#include "../http/router.h"

/*
 * A handler reads its input from r (params, query, r->json), calls
 * domain/ and store/, and fills r->resp through resp_json() and friends.
 * It returns 0, or -1 after req_fail() recorded what went wrong.
 * docs/ADDING-AN-ENDPOINT.md lists the steps for a new one.
 */

extern const struct route api_routes[];
extern const size_t api_routes_count;

/* health.c */
int api_health_get(struct req *r);
int api_metrics_get(struct req *r);

/* competitions.c */
int api_competitions_list(struct req *r);
int api_competition_get(struct req *r);
int api_competition_tracks(struct req *r);

/* csp_reports.c */
int api_csp_report_create(struct req *r);

#endif
