/* test_notice.c: the SMS templates of decision notices, checked and filled */
#include <string.h>
#include "harness.h"
#include "domain/notice.h"

int main(void)
{
	enum notice_event e;
	char why[300], out[256], clip[64];
	struct notice_var vars[] = { { "project", "智联平台" },
				     { "reason", "材料不全" },
				     { "stage", "初赛" } };

	ok(notice_event_parse("return", &e) == 0 && e == NOTICE_RETURN,
	   "parse return");
	ok(notice_event_parse("tech_result", &e) == 0 &&
		   e == NOTICE_TECH_RESULT,
	   "parse tech_result");
	ok(notice_event_parse("birthday", &e) < 0, "unknown event");
	is_str(notice_event_name(NOTICE_STAGE), "stage", "name");
	is_str(notice_event_label(NOTICE_APPROVE), "审核通过", "label");
	for (unsigned i = 0; i < NOTICE_COUNT; i++)
		ok(notice_template_check(
			   (enum notice_event)i,
			   notice_default_sms((enum notice_event)i), why,
			   sizeof(why)) == NULL,
		   "every built-in template passes its own check");

	ok(!notice_template_check(NOTICE_RETURN, "《{project}》退回：{reason}",
				  why, sizeof(why)),
	   "known placeholders");
	ok(notice_template_check(NOTICE_APPROVE, "原因{reason}", why,
				 sizeof(why)) != NULL &&
		   strstr(why, "{reason}") && strstr(why, "{project}"),
	   "a placeholder of another event, named with the allowed ones");
	ok(notice_template_check(NOTICE_RETURN, "", why, sizeof(why)) != NULL,
	   "empty");
	ok(notice_template_check(NOTICE_RETURN, "{project", why, sizeof(why)) !=
		   NULL,
	   "open brace");
	ok(notice_template_check(NOTICE_RETURN, "project}", why, sizeof(why)) !=
		   NULL,
	   "stray close brace");
	ok(notice_template_check(NOTICE_RETURN, "{{project}}", why,
				 sizeof(why)) != NULL,
	   "nested braces");
	ok(notice_template_check(NOTICE_RETURN, "a\nb", why, sizeof(why)) !=
		   NULL,
	   "no line breaks");
	ok(notice_template_check(NOTICE_RETURN, "【签名】x", why,
				 sizeof(why)) != NULL,
	   "no signature brackets");
	ok(notice_template_check(NOTICE_RETURN, "\xff\xfe", why, sizeof(why)) !=
		   NULL,
	   "invalid UTF-8");
	{
		char big[NOTICE_SMS_MAX_CHARS * 3 + 8];
		size_t n = 0;
		for (int i = 0; i < NOTICE_SMS_MAX_CHARS; i++) {
			memcpy(big + n, "字", 3);
			n += 3;
		}
		big[n] = '\0';
		ok(!notice_template_check(NOTICE_RETURN, big, why, sizeof(why)),
		   "200 characters");
		memcpy(big + n, "字", 4);
		ok(notice_template_check(NOTICE_RETURN, big, why,
					 sizeof(why)) != NULL,
		   "201 characters");
	}

	ok(notice_render("《{project}》{stage}：{reason}", vars, 3, out,
			 sizeof(out)) == 0,
	   "render");
	is_str(out, "《智联平台》初赛：材料不全", "rendered");
	notice_render("{unknown}{project}", vars, 3, out, sizeof(out));
	is_str(out, "{unknown}智联平台", "unknown placeholders stay");
	ok(notice_render("《{project}》", vars, 3, out, 8) < 0,
	   "too small a buffer");
	ok(strlen(out) < 8 && (out[0] == '\0' || out[0] == '\xe3'),
	   "cut at a character");
	is_str(notice_clip("一二三四五", 3, clip, sizeof(clip)), "一二三…",
	       "clip adds an ellipsis");
	is_str(notice_clip("一二三", 3, clip, sizeof(clip)), "一二三",
	       "no ellipsis when it fits");
	is_str(notice_clip("a\nb", 10, clip, sizeof(clip)), "a b",
	       "line breaks become spaces");
	is_str(notice_clip(NULL, 10, clip, sizeof(clip)), "", "NULL is empty");
	return done_testing("test_notice");
}
