/* catalog.h: what a sub-contest catalog file must hold */
#ifndef DOMAIN_CATALOG_H
#define DOMAIN_CATALOG_H

#include <stddef.h>
#include <jansson.h>

/*
 * Checks a parsed catalog document (one sub-contest): required keys and
 * their types, unique track keys and numbers, unique topic numbers in each
 * track, venues that exist. Returns 0, or -1 with the first problem, named
 * by its JSON path (e.g. "tracks[3].topics[0].title"), in err.
 */
int dom_catalog_check(const json_t *doc, char *err, size_t errlen);

#endif
