/*
 * appdoc.h: the 申报书 of one application as a PDF (the Guangdong guide
 * 第二部分 第一章): a cover, every part of the form in the schema's (the
 * spec's) order and numbering, and the list of attachments.
 */
#ifndef DOCS_APPDOC_H
#define DOCS_APPDOC_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

struct xp_app_input {
	const json_t *schema; /* catalog/forms/2026.json */
	const json_t *doc; /* in the clear, masked as the reader may see it */
	const json_t *competition;    /* the record's sub-contest (catalog) */
	const json_t *industry_names; /* xp_industry_names(), or NULL */
	const json_t *
		files; /* live attachments: [{slot,row,file_name,size,sha256,…}] */
	int64_t id;
	const char *status; /* draft, submitted, approved, returned */
	const char *status_label;
	const char *stage_label;
	const char *return_reason; /* NULL: none */
	int64_t updated_at;
	int64_t submitted_at; /* 0: never submitted */
	int64_t generated_at;
	const char *verify_code;    /* NULL unless submitted */
	const char *verify_url;	    /* where the code is checked (the QR) */
	const char *content_sha256; /* of the document in the clear */
	const char *viewer_note;    /* e.g. that identifiers are masked */
	int max_pages;
};

/*
 * Writes the 申报书 PDF to fd: drafts carry a 草稿 watermark; submitted
 * records their submission time, verification code and a QR code of
 * verify_url. Returns 0 with the page count in *pages_out, or -1 with a
 * message in err.
 */
int xp_app_pdf(int fd, const struct xp_app_input *in, int *pages_out, char *err,
	       size_t errlen);

#endif
