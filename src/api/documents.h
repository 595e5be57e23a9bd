/* documents.h: what the document and export handlers share */
#ifndef API_DOCUMENTS_H
#define API_DOCUMENTS_H

#include <stdint.h>
#include <jansson.h>
#include "../http/request.h"

struct catalog_snapshot;

/* The form schema, parsed once from app->form_text; NULL (503 recorded) if not. */
const json_t *doc_schema(struct req *r);

/* {"541": "城市公共交通运输", …} from catalog_dir, loaded once; NULL if missing. */
const json_t *doc_industry_names(struct req *r);

/* The catalog object of sub-contest `id` in the snapshot, or NULL. */
const json_t *doc_competition(const struct catalog_snapshot *s, int64_t id);

/*
 * Creates a file in DATA_DIR/tmp named after prefix (mode 0600) and
 * writes its path into path (n bytes). Returns the open fd, or -1 with
 * the error recorded on the request.
 */
int doc_tmpfile(struct req *r, const char *prefix, const char *suffix,
		char *path, size_t n);

/*
 * Sends the open file fd (from its start to its end) as the response:
 * 200, the type, "attachment" with the name (RFC 5987), private no-store.
 * The fd belongs to the response from then on. Returns 0, or -1 (the fd
 * closed, the error recorded).
 */
int doc_send_fd(struct req *r, int fd, const char *type, const char *name);

/*
 * Masks the identifiers and phone numbers of a document in place, as the
 * review view does. Returns 0 or -1 (out of memory).
 */
int doc_mask(struct req *r, json_t *doc);

/*
 * Writes the audit entry of a view of personal data in the clear
 * (`action`, on `object_type` `object_id` of the sub-contest). 0 or -1.
 */
int doc_audit(struct req *r, const char *action, const char *object_type,
	      int64_t object_id, int64_t competition_id, const char *detail);

#endif
