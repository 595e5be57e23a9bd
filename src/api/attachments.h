/* attachments.h: upload slots of the form, and what submit needs of them */
#ifndef API_ATTACHMENTS_H
#define API_ATTACHMENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "../http/request.h"

struct app;
struct slot_table;

/*
 * Reads the "attachments" slots of the form schema into app->slots.
 * Returns 0, or -1 with the problem (naming the slot) in err.
 */
int attachments_load(struct app *app, const json_t *schema, char *err,
		     size_t errlen);
void attachments_free(struct slot_table *t);

/*
 * Resolves the storage keys uploads and export jobs recorded before
 * storing their file and did not get to forget (the server died before
 * the row's commit): a file no attachments or export_jobs row names is
 * removed, unless a live writer (of another process sharing DATA_DIR)
 * still holds it. A key whose file is
 * not there, or whose driver cannot tell (s3), is left for a later start
 * until it is 10 minutes old. Run at start-up. Returns how many files were
 * removed, or -1 on a database error.
 */
int attachments_sweep_intents(struct app *app);

/*
 * Adds a field error "attachments.<slot>" for each required slot of the
 * application that holds no file. Returns -1 on a database error.
 */
int attachments_check_required(struct req *r, int64_t application_id);

/*
 * Sends the file the route's {att} names of application application_id,
 * whose reader has already been checked, with Range support. With owner
 * (the applicant, or a judge through an assignment) live files only;
 * otherwise (the organisers) earlier versions too. Returns 0, or -1 with
 * 404 or the error recorded.
 */
int api_attachment_send(struct req *r, int64_t application_id, bool owner);

#endif
