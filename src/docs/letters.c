/*
 * letters.c: the declaration and authorization letters, pre-filled. The
 * sentences are the spec's; only the blanks are filled in (underlined),
 * and the sub-contest's short name stands where the guide says 广东分赛.
 */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include "letters.h"
#include "pdf.h"
#include "../util/buf.h"
#include "../util/banned.h"

#define STAMP_ROOM 58.0 /* points left blank under a 盖章 line */
#define SIGN_ROOM 30.0

/* An underlined fill-in; an empty value leaves a blank to write on. */
static void fill(struct buf *b, const char *value)
{
	char *esc;

	if (!value || !*value) {
		buf_adds(b, "<u>　　　　　　　　　　</u>");
		return;
	}
	esc = g_markup_escape_text(value, -1);
	buf_printf(b, "<u> %s </u>", esc ? esc : "");
	g_free(esc);
}

static const char *bstr(struct buf *b)
{
	return b->p && b->len ? b->p : "";
}

static void para(struct xp_pdf *p, const char *text)
{
	xp_pdf_text(p, text, XP_INDENT);
	xp_pdf_space(p, 4);
}

/* "牵头参赛单位名称（盖章）：深圳市…" and the room for the stamp. */
static void stamp_line(struct xp_pdf *p, struct buf *b, const char *label,
		       const char *unit)
{
	buf_reset(b);
	buf_adds(b, label);
	fill(b, unit);
	xp_pdf_blank(p, bstr(b), STAMP_ROOM, XP_MARKUP);
}

struct letter {
	enum xp_letter which;
	const struct xp_letter_input *in;
	struct buf b;
};

static void declaration(struct xp_pdf *p, struct letter *l)
{
	const struct xp_letter_input *in = l->in;
	struct buf *b = &l->b;
	char s[1024];

	xp_pdf_title(p, "申报主体责任声明", 18);
	xp_pdf_space(p, 22);
	buf_reset(b);
	buf_adds(b, "本团队");
	fill(b, in->team_name);
	buf_adds(b, "（团队名称）自愿以项目");
	fill(b, in->project_name);
	buf_printf(b,
		   "（项目名称）参加 %d 年“数据要素×”大赛%s，并做出如下声明：",
		   in->year, in->contest);
	xp_pdf_text(p, bstr(b), XP_INDENT | XP_MARKUP);
	xp_pdf_space(p, 4);
	snprintf(
		s, sizeof(s),
		"1.本团队所有成员单位不属于%s组织单位及其下属分公司、子公司、"
		"控股公司、母公司，所有成员单位及团队代表未被列入“信用中国”网站"
		"记录失信被执行人、重大税收违法案件当事人名单、政府采购严重违法"
		"失信行为记录名单。",
		in->contest);
	para(p, s);
	para(p,
	     "2.参赛项目申报材料内容、数据真实准确，知识产权均归属团队成员"
	     "单位，未侵犯任何他人的专利权、著作权、商标权及其他知识产权，证明"
	     "材料合法合规且真实有效。所有材料均为团队成员单位所有，未使用母公"
	     "司、分公司、子公司、控股公司或其它非参赛单位材料。");
	para(p,
	     "3.本团队所有成员仅代表一个团队参赛，本团队仅在本届大赛中申报"
	     "一个参赛项目，参赛项目仅申报本届大赛一个赛题方向且仅在一个分赛区"
	     "参赛。");
	para(p,
	     "4.参赛期间，本团队严格按照大赛组委会要求提交参赛项目有关资料，"
	     "自愿配合资质审核、尽职调查，接受赛事过程中可能产生的质疑与申诉裁"
	     "定，如参赛项目获奖，本团队接受项目公示，接受各界监督。");
	para(p, "如违反以上声明，本团队自愿放弃参赛资格、取消比赛成绩、退回已享"
		"受奖励，并承担一切责任。");
	xp_pdf_space(p, 24);
	stamp_line(p, b, "牵头参赛单位名称（盖章）", in->lead_unit);
	if (!in->n_other)
		stamp_line(p, b, "其他参赛单位名称（盖章）", "");
	for (int i = 0; i < in->n_other; i++)
		stamp_line(p, b, "其他参赛单位名称（盖章）",
			   in->other_units[i]);
	snprintf(s, sizeof(s), "%d 年　　　月　　　日", in->year);
	xp_pdf_text(p, s, XP_RIGHT);
}

static void authorization(struct xp_pdf *p, struct letter *l)
{
	const struct xp_letter_input *in = l->in;
	struct buf *b = &l->b;
	struct buf who;
	char s[512];
	static const char *const items[] = {
		"2.在大赛中展示本单位的研究成果、方案或产品；",
		"3.与大赛组织方、其他参赛单位或个人进行交流与合作；",
		"4.在大赛中签署相关文件、协议等；",
		"5.在大赛中行使其他与本单位权益相关的合法权利。",
	};

	xp_pdf_title(p, "参赛单位授权书", 18);
	xp_pdf_space(p, 22);
	/* The blank holds the team's name and its members' names. */
	buf_init(&who, 8192);
	if (in->team_name && *in->team_name) {
		buf_adds(&who, in->team_name);
		for (int i = 0; i < in->n_members; i++)
			buf_printf(&who, "%s%s", i ? "、" : "：",
				   in->members[i]);
	}
	buf_reset(b);
	buf_adds(b, "兹授权我单位之团队");
	fill(b, bstr(&who));
	buf_release(&who);
	buf_printf(b,
		   "（团队名称及成员姓名），以本单位的名义参加 %d 年“数据要素×”"
		   "大赛，并代表本单位在该大赛中行使相关权利、履行相关义务。",
		   in->year);
	xp_pdf_text(p, bstr(b), XP_INDENT | XP_MARKUP);
	xp_pdf_space(p, 4);
	para(p, "授权事项包括但不限于：");
	snprintf(s, sizeof(s), "1.代表本单位参加 %d 年“数据要素×”大赛；",
		 in->year);
	para(p, s);
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		para(p, items[i]);
	para(p, "授权期限：自授权书签发之日起至大赛结束之日止。");
	para(p,
	     "本单位对被授权人/团队在授权期限内所进行的一切行为承担法律责任。");
	para(p, "特此授权。");
	xp_pdf_space(p, 18);
	buf_reset(b);
	buf_adds(b, "团队负责人名称：");
	fill(b, in->leader_name);
	xp_pdf_blank(p, bstr(b), 4, XP_MARKUP);
	xp_pdf_blank(p, "团队负责人（签字）：", SIGN_ROOM, 0);
	buf_reset(b);
	buf_adds(b, "团队负责人身份证号码：");
	fill(b, in->leader_id);
	xp_pdf_blank(p, bstr(b), 10, XP_MARKUP);
	stamp_line(p, b, "牵头参赛单位名称（盖章）：", in->lead_unit);
	if (!in->n_other)
		stamp_line(p, b, "其他参赛单位名称（盖章）（如合作组队参赛）：",
			   "");
	for (int i = 0; i < in->n_other; i++)
		stamp_line(p, b, "其他参赛单位名称（盖章）（如合作组队参赛）：",
			   in->other_units[i]);
	xp_pdf_text(p, "授权日期：　　　　年　　　月　　　日", 0);
}

static void body(struct xp_pdf *p, void *cls)
{
	struct letter *l = cls;

	if (l->which == XP_DECLARATION)
		declaration(p, l);
	else
		authorization(p, l);
}

int xp_letter_pdf(int fd, enum xp_letter which,
		  const struct xp_letter_input *in, int *pages_out, char *err,
		  size_t errlen)
{
	struct letter l = { which, in, { 0 } };
	struct xp_pdf_opts o = {
		.font = XP_FONT_SERIF,
		.font_size = 12,
		.line_spacing = 1.3,
		.max_pages = 8,
		.meta_title = which == XP_DECLARATION ? "申报主体责任声明"
						      : "参赛单位授权书",
	};
	int rc;

	buf_init(&l.b, 64u << 10);
	rc = xp_pdf_render(fd, &o, body, &l, pages_out, err, errlen);
	buf_release(&l.b);
	return rc;
}
