/*
 * notices.c: each decision writes a message the applicant reads in the
 * site (消息) and queues an SMS from the admin's template. Both are part
 * of the decision's transaction; the SMS itself is sent later by the
 * notice sender, so a slow or failing provider never holds up or undoes
 * a decision.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "notices.h"
#include "../app.h"
#include "../crypto/crypto.h"
#include "../domain/lifecycle.h"
#include "../notify/notice_sender.h"
#include "../store/applications.h"
#include "../store/messages.h"
#include "../util/clock.h"
#include "../util/timefmt.h"
#include "../util/banned.h"

/* SMS run to a few segments at most: long values are cut. */
#define SMS_PROJECT_CHARS 30
#define SMS_REASON_CHARS 60
#define SMS_TEXT_MAX 1000

void api_format_due(int64_t t, char out[20])
{
	char iso[26];

	time_format_cn(t, iso);
	/* "2026-08-01T18:00:00+08:00" → "2026-08-01 18:00" */
	snprintf(out, 20, "%.10s %.5s", iso, iso + 11);
}

static const char *project_of(struct req *r, const struct app_row *a)
{
	if (a->project_name && *a->project_name)
		return a->project_name;
	return arena_printf(&r->arena, "报名记录 %lld", (long long)a->id);
}

/* The in-app title and body: full values, for the site. */
static void message_text(struct req *r, const struct app_row *a,
			 enum notice_event e, const struct notice_facts *f,
			 const char **title, const char **body)
{
	const char *project = project_of(r, a);
	char due[20] = "";

	if (f->due_at)
		api_format_due(f->due_at, due);
	switch (e) {
	case NOTICE_APPROVE:
		*title = "报名审核通过";
		*body = arena_printf(&r->arena,
				     "您的项目《%s》已通过形式审查。", project);
		break;
	case NOTICE_RETURN:
		*title = "报名被退回，请修改后重新提交";
		*body = arena_printf(
			&r->arena,
			"您的项目《%s》被退回。退回原因：%s。请在“我的赛事”中修改后重新提交。",
			project, f->reason ? f->reason : "");
		break;
	case NOTICE_STAGE:
		*title = "项目阶段更新";
		*body = arena_printf(&r->arena, "您的项目《%s》已进入%s阶段。",
				     project, lc_stage_label(f->stage));
		break;
	case NOTICE_TECH_OPEN:
		*title = "请提交技术验证材料";
		*body = arena_printf(
			&r->arena,
			"您的项目《%s》需进行技术验证，请于 %s 前上传技术验证材料并提交。要求：%s",
			project, due, f->instructions ? f->instructions : "");
		break;
	case NOTICE_AWARD:
		*title = "获奖通知";
		*body = arena_printf(
			&r->arena,
			"恭喜！您的项目《%s》获得%s。评审结果已公布，请在“我的赛事”中查看。",
			project, f->award ? f->award : "");
		break;
	default:
		*title = f->passed ? "技术验证已通过" : "技术验证未通过";
		*body = arena_printf(
			&r->arena, "您的项目《%s》技术验证结果：%s。%s%s",
			project, f->passed ? "已通过" : "未通过",
			f->reason && *f->reason ? "验证意见：" : "",
			f->reason ? f->reason : "");
		break;
	}
	if (!*body)
		*body = "";
}

int api_notice_record(struct req *r, const struct app_row *a,
		      enum notice_event e, const struct notice_facts *f)
{
	const char *title = "", *body = "";
	char project[SMS_PROJECT_CHARS * 4 + 8],
		reason[SMS_REASON_CHARS * 4 + 8];
	char due[20] = "", *tmpl = NULL, *sealed, text[SMS_TEXT_MAX];
	struct notice_var vars[6];
	int rc;

	message_text(r, a, e, f, &title, &body);
	if (store_message_add(r->db, a->user_id, a->id, notice_event_name(e),
			      title, body, clock_now()) < 0)
		return -1;
	if (store_sms_template_get(r->db, notice_event_name(e), &tmpl, NULL,
				   NULL) < 0)
		return -1;
	if (f->due_at)
		api_format_due(f->due_at, due);
	notice_clip(project_of(r, a), SMS_PROJECT_CHARS, project,
		    sizeof(project));
	notice_clip(f->reason, SMS_REASON_CHARS, reason, sizeof(reason));
	vars[0] = (struct notice_var){ "project", project };
	vars[1] = (struct notice_var){ "reason", reason };
	vars[2] =
		(struct notice_var){ "stage",
				     f->stage ? lc_stage_label(f->stage) : "" };
	vars[3] = (struct notice_var){ "due", due };
	vars[4] = (struct notice_var){ "result",
				       f->passed ? "已通过" : "未通过" };
	vars[5] = (struct notice_var){ "award", f->award ? f->award : "" };
	/* A text cut short by the cap still goes: better than none. */
	notice_render(tmpl ? tmpl : notice_default_sms(e), vars, 6, text,
		      sizeof(text));
	free(tmpl);
	sealed = cr_seal(text, strlen(text));
	if (!sealed)
		return -1;
	rc = store_sms_notice_add(r->db, a->user_id, a->id,
				  notice_event_name(e), sealed, clock_now());
	free(sealed);
	return rc;
}

void api_notices_kick(struct req *r)
{
	notice_sender_kick(r->app->notices);
}
