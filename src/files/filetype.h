/* filetype.h: the attachment types we accept, and sniffing their content */
#ifndef FILES_FILETYPE_H
#define FILES_FILETYPE_H

#include <stddef.h>

#define FILETYPE_KIND_MAX 16  /* bytes for a kind, with its NUL */
#define FILETYPE_MIME_MAX 128 /* bytes for a MIME type, with its NUL */

/*
 * Kinds that filetype_sniff() reports besides the table's: an OLE2
 * compound file that libmagic could not narrow down (an old Word or
 * PowerPoint file, or something else in the same container), a plain zip,
 * a program, and anything else.
 */
#define FILETYPE_CDF "cdf"
#define FILETYPE_ZIP "zip"
#define FILETYPE_EXE "exe"
#define FILETYPE_OTHER "other"

/* One kind of attachment we may accept. */
struct filetype {
	const char *kind;    /* "pdf", "docx", … */
	const char *mime;    /* the Content-Type to serve it with */
	const char *label;   /* short name for messages: "PDF", "Word" */
	const char *exts[3]; /* lower case, without the dot; NULL-ended */
};

/* pdf, doc, docx, ppt, pptx, jpg, png and mp4, in that order. */
extern const struct filetype filetype_table[];
extern const size_t filetype_count;

/* Returns the table entry for kind, or NULL when it is not one of ours. */
const struct filetype *filetype_find(const char *kind);

/*
 * Returns the table entry whose extensions include ext (without the dot,
 * compared case-insensitively), or NULL.
 */
const struct filetype *filetype_by_ext(const char *ext);

/*
 * Returns the short name of a table kind for messages ("PDF", "Word",
 * "PPT", "JPG", "PNG", "MP4"), or NULL for any other kind.
 */
const char *filetype_label(const char *kind);

/*
 * Identifies a file by its content with libmagic. head holds the first len
 * bytes (head may be NULL when len is 0); path, when not NULL, names the
 * whole file and is read when the head cannot tell: zip containers (to
 * tell OOXML from a plain zip), OLE2 compound files and unknown data.
 *
 * On success returns 0 with kind_out set to a table kind or to
 * FILETYPE_CDF, FILETYPE_ZIP, FILETYPE_EXE or FILETYPE_OTHER, and mime_out
 * to the MIME type found (truncated to fit). A zip that libmagic calls
 * plain but whose entries are those of a Word or PowerPoint document is
 * reported as docx or pptx with that type's MIME type.
 *
 * Returns -1 with an operator-facing message in err when libmagic cannot
 * be set up or fails on this input; the upload must then be refused.
 *
 * Thread-safe: each thread lazily opens its own libmagic handle, closed
 * when the thread exits or by filetype_thread_release().
 */
int filetype_sniff(const unsigned char *head, size_t len, const char *path,
		   char kind_out[FILETYPE_KIND_MAX],
		   char mime_out[FILETYPE_MIME_MAX], char *err, size_t errlen);

/*
 * Closes the calling thread's libmagic handle now, if it has one. For
 * the main thread (whose thread-specific data is never destroyed) and for
 * tests; a later filetype_sniff() on the thread opens a new one.
 */
void filetype_thread_release(void);

/*
 * Decides whether an upload called filename whose content was sniffed as
 * sniffed_kind is acceptable where the NULL-terminated list allowed_kinds
 * of table kinds is (names not in the table are ignored). The extension,
 * compared case-insensitively, must belong to an allowed kind, and the
 * content must be of that same kind; FILETYPE_CDF content agrees with a
 * .doc or .ppt name.
 *
 * sniffed_kind NULL checks the extension only (an upload is refused on
 * its name before its body is read).
 *
 * Returns 0, or -1 with a message for the user in msg (Chinese, naming
 * the accepted types and what is wrong), for example "文件类型不符：仅接受
 * PDF、Word、JPG、PNG 文件（该文件实际为 PNG 图片，扩展名却是 .pdf）".
 */
int filetype_accept(const char *filename, const char *const *allowed_kinds,
		    const char *sniffed_kind, char *msg, size_t msglen);

/*
 * Checks an upload's file name: well-formed UTF-8 of 1 to 200 characters
 * (code points), no '/' or '\\', no control characters (C0, DEL, C1) or
 * invisible direction and zero-width marks, and not "." or "..".
 * Returns 0, or -1 with a message for the user (Chinese) in msg.
 */
int filetype_name_ok(const char *name, char *msg, size_t n);

#endif
