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
