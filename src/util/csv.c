/* csv.c: quoted fields, doubled quotes, CRLF or LF, bounded everything */
#include <string.h>
#include "csv.h"
#include "banned.h"

void csv_init(struct csv *c, const char *p, size_t len)
{
	c->p = p;
	c->end = p + len;
	c->line = 0;
	c->next_line = 1;
	if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		c->p += 3;
}

static void trim(char *s)
{
	size_t n = strlen(s), start = 0;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	while (s[start] == ' ' || s[start] == '\t')
		start++;
	if (start)
		memmove(s, s + start, n - start + 1);
}

static int blank(const char *f, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (f[i] != ' ' && f[i] != '\t')
			return 0;
	return 1;
}

int csv_next(struct csv *c, struct csv_record *rec)
{
	size_t len = 0;
	int bad = 0;
	int quoted = 0;

	rec->n = 0;
	if (c->p >= c->end)
		return 0;
	c->line = c->next_line++;
	rec->fields[0][0] = '\0';
	rec->n = 1;
	while (c->p < c->end) {
		char ch = *c->p++;
		if (quoted) {
			if (ch == '"') {
				if (c->p < c->end && *c->p == '"') {
					c->p++;
				} else {
					quoted = 0;
					continue;
				}
			} else if (ch == '\n') {
				c->next_line++;
			}
		} else if (ch == '"' && blank(rec->fields[rec->n - 1], len)) {
			/* Spaces before an opening quote are not part of the field. */
			len = 0;
			quoted = 1;
			continue;
		} else if (ch == ',') {
			if (rec->n == CSV_MAX_FIELDS) {
				bad = 1;
				continue;
			}
			rec->fields[rec->n - 1][len] = '\0';
			rec->n++;
			len = 0;
			rec->fields[rec->n - 1][0] = '\0';
			continue;
		} else if (ch == '\r' && c->p < c->end && *c->p == '\n') {
			continue;
		} else if (ch == '\n') {
			break;
		}
		if (len + 1 >= CSV_MAX_FIELD) {
			bad = 1;
			continue;
		}
		rec->fields[rec->n - 1][len++] = ch;
	}
	rec->fields[rec->n - 1][len] = '\0';
	if (quoted)
		bad = 1;
	for (int i = 0; i < rec->n; i++)
		trim(rec->fields[i]);
	return bad ? -1 : 1;
}
