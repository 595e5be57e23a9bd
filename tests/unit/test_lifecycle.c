/* test_lifecycle.c: who may edit, submit or delete, and when */
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
	return done_testing("test_lifecycle");
}
