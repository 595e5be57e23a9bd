/* documents.h: what the document and export handlers share */
#ifndef API_DOCUMENTS_H
#define API_DOCUMENTS_H

#include <stdbool.h>
#include <stddef.h>
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
 * The Content-Disposition value "attachment" for a file called name:
 * the UTF-8 name percent-encoded (RFC 5987) beside an ASCII fallback.
 * The text lives in the request's arena; plain "attachment" when out of
 * memory.
 */
const char *doc_disposition(struct req *r, const char *name);

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

/* doc_mask() outside a request: the form's identifier fields. */
struct form_schema;
int doc_mask_with(const struct form_schema *form, json_t *doc);

/*
 * Where the platform is reached from outside: public_url without its
 * trailing '/', else http(s):// and the request's Host, else "" (links
 * are then relative). Lives in the request's arena.
 */
const char *doc_public_base(struct req *r);

/* What drawing a 申报书 needs besides the record, in or out of a request. */
struct db;
struct doc_pdf_env {
	const struct form_schema *form;
	struct db *db; /* for the list of attachments */
	const json_t *schema;
	const json_t *industry_names; /* or NULL */
	const json_t *competition;    /* the record's sub-contest */
	const char *public_base;      /* doc_public_base(): the QR's link */
};

/*
 * Writes the 申报书 of record a (its document sealed, as stored) to fd:
 * masked as the review view when `masked`, with viewer_note printed on
 * it (or NULL). Returns 0 with the page count in *pages_out, or -1 with a
 * message for the log in err.
 */
struct app_row;
int doc_pdf_write(const struct doc_pdf_env *env, const struct app_row *a,
		  bool masked, const char *viewer_note, int fd, int *pages_out,
		  char *err, size_t errlen);

/*
 * Sends the 申报书 of record a as the response (a PDF drawn into a
 * temporary file), as doc_pdf_write() draws it. Returns 0, or -1 with
 * the error recorded.
 */
int doc_send_app_pdf(struct req *r, const struct app_row *a, bool masked,
		     const char *viewer_note);

/*
 * Writes the audit entry of a view of personal data in the clear
 * (`action`, on `object_type` `object_id` of the sub-contest). 0 or -1.
 */
int doc_audit(struct req *r, const char *action, const char *object_type,
	      int64_t object_id, int64_t competition_id, const char *detail);

#endif
