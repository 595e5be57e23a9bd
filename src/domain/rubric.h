/* rubric.h: scoring criteria, their validation and a judge's weighted total */
#ifndef DOMAIN_RUBRIC_H
#define DOMAIN_RUBRIC_H

#include <jansson.h>
#include <stdbool.h>

/* True for a scoring stage: "preliminary" (初赛) or "final" (决赛). */
bool rubric_stage_known(const char *stage);

/*
 * Returns a new reference to the built-in criteria (the five of the
 * issue, weights 25/20/15/20/20, max 10 each), for a sub-contest and stage
 * without its own rubric.
 */
json_t *rubric_default_criteria(void);

/*
 * Checks a criteria array as an admin sends it. Returns 0, or -1 after
 * calling report(ctx, field, code, message) once per problem (field like
 * "criteria[2].weight"; the message in Chinese).
 */
int rubric_validate(const json_t *criteria,
		    void (*report)(void *ctx, const char *field,
				   const char *code, const char *message),
		    void *ctx);

/*
 * A judge's weighted total, 0–100: the sum over the criteria of
 * weight × score / max. Returns -1 when a criterion has no score in
 * `scores` (an object keyed by criterion key) or a score is out of range.
 */
double rubric_total(const json_t *criteria, const json_t *scores);

/*
 * The weighted points (weight × score / max) one criterion contributes,
 * or -1 when the sheet has no valid score for it.
 */
double rubric_points(const json_t *criterion, const json_t *scores);

#endif
