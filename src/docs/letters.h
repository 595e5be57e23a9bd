/*
 * letters.h: the 申报主体责任声明 and the 参赛单位授权书 (the Guangdong
 * guide 第二部分 第二章 and 第三章), word for word, pre-filled with the
 * team, the project, the units, the members and the team leader, with
 * room left for stamps, signatures and the date.
 */
#ifndef DOCS_LETTERS_H
#define DOCS_LETTERS_H

#include <stddef.h>

#define XP_LETTER_MAX_UNITS 8
#define XP_LETTER_MAX_MEMBERS 8

enum xp_letter { XP_DECLARATION, XP_AUTHORIZATION };

struct xp_letter_input {
	int year; /* of the contest: "2026 年“数据要素×”大赛" */
	const char *contest;   /* the sub-contest's short name: 广东分赛 */
	const char *team_name; /* "" leaves a blank to fill by hand */
	const char *project_name; /* "" as well */
	const char *lead_unit;
	const char *other_units[XP_LETTER_MAX_UNITS];
	int n_other;
	const char *members[XP_LETTER_MAX_MEMBERS];
	int n_members;
	const char *leader_name;
	const char *leader_id;
};

/*
 * Writes the letter to fd as a one- or two-page PDF. Returns 0 with the
 * page count in *pages_out, or -1 with a message in err.
 */
int xp_letter_pdf(int fd, enum xp_letter which,
		  const struct xp_letter_input *in, int *pages_out, char *err,
		  size_t errlen);

#endif
