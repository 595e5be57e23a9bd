/* test_lifecycle.c: who may edit, submit or delete, and when */
#include <string.h>
#include "harness.h"
#include "domain/lifecycle.h"

int main(void)
{
	struct lc_window open = { 1000, 2000, 0 }, unpublished = { 0, 0, 0 };
	struct lc_window resub = { 1000, 2000, 3000 };
	unsigned a;

	is_str(lc_status_label("draft"), "草稿", "draft label");
	is_str(lc_status_label("submitted"), "已提交", "submitted label");
	is_str(lc_status_label("approved"), "已通过", "approved label");
	is_str(lc_status_label("returned"), "已退回", "returned label");
	is_str(lc_stage_label("unreviewed"), "未审核", "stage label");
	is_str(lc_stage_label("national"), "国赛推送", "national label");
	is_str(lc_tech_label("verifying"), "验证中", "tech label");
	ok(!lc_status_known("bogus") && lc_status_known("returned"), "known");

	ok(!lc_edit_refusal("draft", &open, 1500), "draft editable while open");
	ok(lc_edit_refusal("draft", &open, 999) != NULL, "not before opening");
	ok(lc_edit_refusal("draft", &open, 2001) != NULL,
	   "read-only after close");
	ok(lc_edit_refusal("draft", &unpublished, 1500) != NULL,
	   "no window published");
	ok(lc_edit_refusal("submitted", &open, 1500) != NULL,
	   "submitted is read-only");
	ok(lc_edit_refusal("approved", &open, 1500) != NULL,
	   "approved is read-only");
	ok(!lc_edit_refusal("returned", &open, 2500),
	   "returned editable after close when no deadline set");
	ok(!lc_edit_refusal("returned", &resub, 2999), "before the deadline");
	ok(lc_edit_refusal("returned", &resub, 3001) != NULL,
	   "after the resubmission deadline");
	ok(lc_submit_refusal("submitted", &open, 1500) != NULL,
	   "no double submit");
	ok(!lc_submit_refusal("draft", &open, 1500), "submit a draft");
	ok(!lc_create_refusal(&open, 1500) && lc_create_refusal(&open, 2500),
	   "create only while open");

	a = lc_actions("draft", &open, 1500);
	ok(a == (LC_VIEW | LC_EDIT | LC_SUBMIT | LC_DELETE), "draft actions");
	a = lc_actions("draft", &open, 2500);
	ok(a == (LC_VIEW | LC_DELETE), "closed draft: view and delete");
	a = lc_actions("submitted", &open, 1500);
	ok(a == LC_VIEW, "submitted: view only");
	a = lc_actions("returned", &open, 1500);
	ok(a == (LC_VIEW | LC_EDIT | LC_SUBMIT), "returned: edit and submit");
	/* Stages: 未审核 → 初赛 → 决赛 → 国赛推送, one step at a time. */
	{
		const char *code = NULL;

		is_str(lc_stage_next("unreviewed"), "preliminary",
		       "next: 初赛");
		is_str(lc_stage_next("preliminary"), "final", "next: 决赛");
		is_str(lc_stage_next("final"), "national", "next: 国赛推送");
		ok(lc_stage_next("national") == NULL, "nothing after 国赛推送");
		ok(lc_stage_next("bogus") == NULL, "unknown stage");
		ok(lc_stage_known("final") && !lc_stage_known("semi"),
		   "stage known");
		ok(lc_tech_known("verifying") && !lc_tech_known("done"),
		   "tech known");
		ok(!lc_stage_refusal("approved", "unreviewed", "preliminary",
				     &code),
		   "approved → 初赛");
		ok(!lc_stage_refusal("approved", "final", "national", &code),
		   "决赛 → 国赛推送");
		ok(lc_stage_refusal("submitted", "unreviewed", "preliminary",
				    &code) != NULL &&
			   !strcmp(code, "not_approved"),
		   "only approved records have a stage");
		ok(lc_stage_refusal("returned", "unreviewed", "preliminary",
				    &code) &&
			   !strcmp(code, "not_approved"),
		   "not a returned one");
		ok(lc_stage_refusal("approved", "unreviewed", "final", &code) &&
			   !strcmp(code, "stage_order"),
		   "no skipping 初赛");
		ok(lc_stage_refusal("approved", "final", "preliminary",
				    &code) &&
			   !strcmp(code, "stage_order"),
		   "no going back");
		ok(lc_stage_refusal("approved", "final", "final", &code) &&
			   !strcmp(code, "stage_order"),
		   "no standing still");
		ok(lc_stage_refusal("approved", "national", "national",
				    &code) &&
			   !strcmp(code, "stage_order"),
		   "nothing after the last");
		ok(lc_stage_refusal("approved", "unreviewed", "semi", &code) &&
			   !strcmp(code, "bad_stage"),
		   "unknown target");
	}
	/* Technical verification. */
	{
		const char *code = NULL;

		is_str(lc_tech_target(LC_TECH_OPEN), "pending",
		       "open → 待提交");
		is_str(lc_tech_target(LC_TECH_SUBMIT), "verifying",
		       "submit → 验证中");
		is_str(lc_tech_target(LC_TECH_PASS), "passed", "pass");
		is_str(lc_tech_target(LC_TECH_FAIL), "failed", "fail");
		ok(!lc_tech_refusal("approved", "not_started", LC_TECH_OPEN,
				    &code),
		   "open for an approved record");
		ok(!lc_tech_refusal("approved", "failed", LC_TECH_OPEN, &code),
		   "open again after a failure");
		ok(lc_tech_refusal("submitted", "not_started", LC_TECH_OPEN,
				   &code) &&
			   !strcmp(code, "not_approved"),
		   "not before approval");
		ok(lc_tech_refusal("approved", "pending", LC_TECH_OPEN,
				   &code) &&
			   !strcmp(code, "tech_state"),
		   "not twice");
		ok(lc_tech_refusal("approved", "passed", LC_TECH_OPEN, &code) !=
			   NULL,
		   "passed is final");
		ok(!lc_tech_refusal("approved", "pending", LC_TECH_SUBMIT,
				    &code),
		   "submit while pending");
		ok(lc_tech_refusal("approved", "verifying", LC_TECH_SUBMIT,
				   &code) != NULL,
		   "no double submit");
		ok(lc_tech_refusal("approved", "not_started", LC_TECH_SUBMIT,
				   &code) != NULL,
		   "nothing to submit before it opens");
		ok(!lc_tech_refusal("approved", "verifying", LC_TECH_PASS,
				    &code) &&
			   !lc_tech_refusal("approved", "verifying",
					    LC_TECH_FAIL, &code),
		   "judge while verifying");
		ok(lc_tech_refusal("approved", "pending", LC_TECH_PASS,
				   &code) &&
			   !strcmp(code, "tech_state"),
		   "not before the materials came");
	}
	return done_testing("test_lifecycle");
}
