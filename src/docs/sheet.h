/*
 * sheet.h: the organisers' exports of a sub-contest's applications, as
 * an XLSX workbook (docs/xlsx.c, streamed: memory stays flat whatever
 * the number of rows) or as CSV (one sheet). Columns come from the form
 * schema: every scalar field of the document on the applications sheet,
 * one sheet per table (members, units, cases, …), and the attachments.
 */
#ifndef DOCS_SHEET_H
#define DOCS_SHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "jscan.h"

enum xp_format { XP_XLSX, XP_CSV };

struct xp_export_opts {
	enum xp_format format;
	const char *path;   /* the file to write (created, truncated) */
	const char *tmpdir; /* for the per-sheet temp files of an XLSX */
	const json_t *schema;
	const json_t *competition;
	const json_t *industry_names; /* or NULL */
	const json_t *slots;	      /* the schema's attachment slots */
	bool unmask;  /* ID and phone numbers in full (audited by the caller) */
	bool summary; /* one sheet of the columns kept beside the documents */
	const char *sheet; /* CSV: which sheet (xp_export_has_sheet()) */
	const char *note; /* printed in the workbook's properties and headers */
};

/* One application's columns beside its document. */
struct xp_app_meta {
	int64_t id;
	const char *status_label;
	const char *stage_label;
	const char *tech_label;
	int64_t created_at;
	int64_t updated_at;
	int64_t submitted_at;
	const char *return_reason; /* NULL: none */
	/* Summaries: the columns kept beside the document. */
	const char *project_name;
	const char *team_name;
	const char *lead_unit_name;
	const char *lead_uscc;
	const char *track_name;
	int64_t topic_no;
	const char *topic_title;
	const char *region;
	const char *lead_nature;
};

/* One live attachment. */
struct xp_file_meta {
	int64_t application_id;
	const char *project_name;
	const char *slot;
	const char *row; /* NULL: the slot as a whole */
	const char *file_name;
	int64_t size;
	const char *kind;
	const char *sha256;
	int64_t uploaded_at;
};

struct xp_export;

/*
 * True when name is a sheet of this schema's exports (a summary has
 * "applications" only): "applications",
 * "attachments", or a table's key ("members", "units", "cases",
 * "patents", …).
 */
bool xp_export_has_sheet(const json_t *schema, const char *name);

/*
 * Opens the export: the file and, for XLSX, every sheet with its header
 * row. Returns the export, or NULL with a message in err.
 */
struct xp_export *xp_export_open(const struct xp_export_opts *o, char *err,
				 size_t errlen);

/*
 * Adds one application: a row on the applications sheet and its rows on
 * the table sheets. doc (parsed by jscan.h) is in the clear; identifiers
 * and phone numbers are masked here unless opts->unmask. A summary
 * (opts->summary) takes its row from m alone and doc may be NULL.
 * Returns 0, or -1 on a write error.
 */
int xp_export_app(struct xp_export *x, const struct xp_app_meta *m,
		  const struct xj *doc);

/* Adds one row to the attachments sheet. Returns 0 or -1. */
int xp_export_file(struct xp_export *x, const struct xp_file_meta *f);

/*
 * Finishes the file and frees x (also after a failed add). Returns 0, or
 * -1 with a message in err; the file is then incomplete.
 */
int xp_export_close(struct xp_export *x, char *err, size_t errlen);

#endif
