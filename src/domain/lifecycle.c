/* lifecycle.c: the status rules of DESIGN §2, decided by the server clock */
#include <string.h>
#include "lifecycle.h"
#include "../util/banned.h"

static const char *const statuses[][2] = {
	{ "draft", "草稿" },
	{ "submitted", "已提交" },
	{ "approved", "已通过" },
	{ "returned", "已退回" },
};

static const char *const stages[][2] = {
	{ "unreviewed", "未审核" },
	{ "preliminary", "初赛" },
	{ "final", "决赛" },
	{ "national", "国赛推送" },
};

static const char *const techs[][2] = {
	{ "not_started", "未开始" }, { "pending", "待提交" },
	{ "verifying", "验证中" },   { "passed", "已通过" },
	{ "failed", "未通过" },
};

#define LABEL(table, code)                                                     \
	do {                                                                   \
		for (size_t i_ = 0; i_ < sizeof(table) / sizeof(table[0]);     \
		     i_++)                                                     \
			if (!strcmp(table[i_][0], code))                       \
				return table[i_][1];                           \
		return "未知";                                                 \
	} while (0)

const char *lc_status_label(const char *status)
{
	LABEL(statuses, status);
}

const char *lc_stage_label(const char *stage)
{
	LABEL(stages, stage);
}

const char *lc_tech_label(const char *tech)
{
	LABEL(techs, tech);
}

bool lc_status_known(const char *status)
{
	return strcmp(lc_status_label(status), "未知") != 0;
}

static bool known(const char *const (*table)[2], size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(table[i][0], code))
			return true;
	return false;
}

bool lc_stage_known(const char *stage)
{
	return known(stages, sizeof(stages) / sizeof(stages[0]), stage);
}

bool lc_tech_known(const char *tech)
{
	return known(techs, sizeof(techs) / sizeof(techs[0]), tech);
}

const char *lc_stage_next(const char *stage)
{
	size_t n = sizeof(stages) / sizeof(stages[0]);

	for (size_t i = 0; i + 1 < n; i++)
		if (!strcmp(stages[i][0], stage))
			return stages[i + 1][0];
	return NULL;
}

/*
 * Stages advance one step at a time: a project reaches 决赛 through 初赛,
 * and 国赛推送 through 决赛, so every step is in the history the
 * applicant reads and none can be skipped by a slip of the mouse. There
 * is no way back either; a mistake is an admin's to correct in the
 * database, with the audit log showing it.
 */
const char *lc_stage_refusal(const char *status, const char *stage,
			     const char *to, const char **code)
{
	const char *next;

	if (!lc_stage_known(to)) {
		*code = "bad_stage";
		return "项目阶段应为 preliminary（初赛）、final（决赛）或 "
		       "national（国赛推送）";
	}
	if (strcmp(status, "approved")) {
		*code = "not_approved";
		return "只有已通过审核的报名可以调整项目阶段";
	}
	next = lc_stage_next(stage);
	if (!next) {
		*code = "stage_order";
		return "项目已处于最后阶段（国赛推送）";
	}
	if (strcmp(next, to)) {
		*code = "stage_order";
		if (!strcmp(next, "preliminary"))
			return "项目阶段须依次推进：当前为未审核，下一阶段为初赛";
		if (!strcmp(next, "final"))
			return "项目阶段须依次推进：当前为初赛，下一阶段为决赛";
		return "项目阶段须依次推进：当前为决赛，下一阶段为国赛推送";
	}
	return NULL;
}

const char *lc_tech_target(enum lc_tech_step step)
{
	switch (step) {
	case LC_TECH_OPEN:
		return "pending";
	case LC_TECH_SUBMIT:
		return "verifying";
	case LC_TECH_PASS:
		return "passed";
	case LC_TECH_FAIL:
		break;
	}
	return "failed";
}

const char *lc_tech_refusal(const char *status, const char *tech,
			    enum lc_tech_step step, const char **code)
{
	*code = "tech_state";
	switch (step) {
	case LC_TECH_OPEN:
		if (strcmp(status, "approved")) {
			*code = "not_approved";
			return "只有已通过审核的报名可以开启技术验证";
		}
		/* A failed verification may be opened again for another try. */
		if (!strcmp(tech, "not_started") || !strcmp(tech, "failed"))
			return NULL;
		if (!strcmp(tech, "pending"))
			return "技术验证已开启，正等待申报方提交材料";
		if (!strcmp(tech, "verifying"))
			return "技术验证材料已提交，正在验证中";
		return "技术验证已通过，不能再次开启";
	case LC_TECH_SUBMIT:
		if (!strcmp(tech, "pending"))
			return NULL;
		if (!strcmp(tech, "verifying"))
			return "技术验证材料已提交，请勿重复提交";
		return "技术验证尚未开启，或已有结果";
	case LC_TECH_PASS:
	case LC_TECH_FAIL:
		if (!strcmp(tech, "verifying"))
			return NULL;
		if (!strcmp(tech, "pending"))
			return "申报方尚未提交技术验证材料";
		return "技术验证不在验证中，不能登记结果";
	}
	return "未知的技术验证步骤";
}

static const char *window_refusal(const struct lc_window *w, int64_t now)
{
	if (!w->opens || !w->closes)
		return "本分赛报名时间待公布";
	if (now < w->opens)
		return "报名尚未开始";
	if (now > w->closes)
		return "报名已截止，草稿不可再编辑或提交";
	return NULL;
}

const char *lc_create_refusal(const struct lc_window *w, int64_t now)
{
	return window_refusal(w, now);
}

const char *lc_edit_refusal(const char *status, const struct lc_window *w,
			    int64_t now)
{
	if (!strcmp(status, "draft"))
		return window_refusal(w, now);
	if (!strcmp(status, "returned")) {
		if (w->resubmit_closes && now > w->resubmit_closes)
			return "退回修改的截止时间已过";
		return NULL;
	}
	if (!strcmp(status, "submitted"))
		return "已提交的报名不可编辑；如需修改，请等待审核退回";
	if (!strcmp(status, "approved"))
		return "已通过审核的报名不可编辑";
	return "该报名当前不可编辑";
}

const char *lc_submit_refusal(const char *status, const struct lc_window *w,
			      int64_t now)
{
	if (!strcmp(status, "submitted"))
		return "该报名已提交，请勿重复提交";
	return lc_edit_refusal(status, w, now);
}

unsigned lc_actions(const char *status, const struct lc_window *w, int64_t now)
{
	unsigned a = LC_VIEW;

	if (!lc_edit_refusal(status, w, now))
		a |= LC_EDIT | LC_SUBMIT;
	if (!strcmp(status, "draft"))
		a |= LC_DELETE;
	return a;
}
