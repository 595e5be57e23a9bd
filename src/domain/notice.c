/* notice.c: SMS templates of the decisions, checked and filled */
#include <stdio.h>
#include <string.h>
#include "notice.h"
#include "../util/banned.h"

static const struct {
	const char *name;
	const char *label;
	const char *sms;
	const char *const vars[4];
} events[NOTICE_COUNT] = {
	[NOTICE_APPROVE] = { "approve",
			     "审核通过",
			     "您的项目《{project}》已通过形式审查，请登录平台查看。",
			     { "project", NULL } },
	[NOTICE_RETURN] = { "return",
			    "退回修改",
			    "您的项目《{project}》已被退回，原因：{reason}。请登录"
			    "平台修改后重新提交。",
			    { "project", "reason", NULL } },
	[NOTICE_STAGE] = { "stage",
			   "项目阶段",
			   "您的项目《{project}》已进入{stage}阶段，请登录平台查看。",
			   { "project", "stage", NULL } },
	[NOTICE_TECH_OPEN] = { "tech_open",
			       "技术验证开启",
			       "您的项目《{project}》需进行技术验证，请于{due}前登录"
			       "平台上传材料并提交。",
			       { "project", "due", NULL } },
	[NOTICE_TECH_RESULT] = { "tech_result",
				 "技术验证结果",
				 "您的项目《{project}》技术验证结果：{result}。请登录"
				 "平台查看。",
				 { "project", "result", "reason", NULL } },
	[NOTICE_AWARD] = { "award",
			   "获奖通知",
			   "恭喜！您的项目《{project}》获得{award}，请登录平台查看"
			   "评审结果。",
			   { "project", "award", NULL } },
};

const char *notice_event_name(enum notice_event e)
{
	return (unsigned)e < NOTICE_COUNT ? events[e].name : "unknown";
}

const char *notice_event_label(enum notice_event e)
{
	return (unsigned)e < NOTICE_COUNT ? events[e].label : "未知";
}

int notice_event_parse(const char *s, enum notice_event *out)
{
	for (unsigned i = 0; i < NOTICE_COUNT; i++)
		if (!strcmp(events[i].name, s)) {
			*out = (enum notice_event)i;
			return 0;
		}
	return -1;
}

const char *notice_default_sms(enum notice_event e)
{
	return (unsigned)e < NOTICE_COUNT ? events[e].sms : "";
}

const char *const *notice_placeholders(enum notice_event e)
{
	static const char *const none[] = { NULL };
	return (unsigned)e < NOTICE_COUNT ? events[e].vars : none;
}

/* Length of the UTF-8 sequence at p (strict), or 0 when it is invalid. */
static size_t utf8_seq(const unsigned char *p)
{
	size_t n;
	unsigned cp;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xE0) == 0xC0)
		n = 2, cp = p[0] & 0x1F;
	else if ((p[0] & 0xF0) == 0xE0)
		n = 3, cp = p[0] & 0x0F;
	else if ((p[0] & 0xF8) == 0xF0)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

static bool known_var(enum notice_event e, const char *name, size_t len)
{
	for (const char *const *v = notice_placeholders(e); *v; v++)
		if (strlen(*v) == len && !memcmp(*v, name, len))
			return true;
	return false;
}

static const char *fail(char *why, size_t n, const char *msg)
{
	snprintf(why, n, "%s", msg);
	return why;
}

const char *notice_template_check(enum notice_event e, const char *text,
				  char *why, size_t n)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t chars = 0;

	if ((unsigned)e >= NOTICE_COUNT)
		return fail(why, n, "未知的通知类型");
	if (!*p)
		return fail(why, n, "短信模板不能为空");
	while (*p) {
		size_t k = utf8_seq(p);
		if (!k)
			return fail(why, n, "短信模板含有无效字符");
		if (*p < 0x20 || *p == 0x7F)
			return fail(why, n, "短信模板不能含有换行等控制字符");
		/* 【】 frame the signature the provider adds. */
		if (k == 3 && p[0] == 0xE3 && p[1] == 0x80 &&
		    (p[2] == 0x90 || p[2] == 0x91))
			return fail(why, n,
				    "短信模板不能含有【】，签名由平台自动添加");
		if (*p == '}')
			return fail(why, n, "短信模板中的“}”没有对应的“{”");
		if (*p == '{') {
			const char *end = strchr((const char *)p + 1, '}');
			const char *open = strchr((const char *)p + 1, '{');
			char msg[200];
			if (!end || (open && open < end))
				return fail(why, n,
					    "短信模板中的“{”没有对应的“}”");
			if (!known_var(e, (const char *)p + 1,
				       (size_t)(end - (const char *)p - 1))) {
				size_t used = 0;
				used += (size_t)snprintf(
					msg, sizeof(msg),
					"短信模板含有未知的占位符 %.*s，可用：",
					(int)(end - (const char *)p + 1),
					(const char *)p);
				for (const char *const *v =
					     notice_placeholders(e);
				     *v && used < sizeof(msg); v++)
					used += (size_t)snprintf(
						msg + used, sizeof(msg) - used,
						"%s{%s}",
						v == notice_placeholders(e)
							? ""
							: " ",
						*v);
				return fail(why, n, msg);
			}
			chars += (size_t)(end - (const char *)p) + 1;
			p = (const unsigned char *)end + 1;
			continue;
		}
		chars++;
		p += k;
	}
	if (chars > NOTICE_SMS_MAX_CHARS) {
		snprintf(why, n, "短信模板不能超过 %d 个字",
			 NOTICE_SMS_MAX_CHARS);
		return why;
	}
	return NULL;
}

/* Copies len bytes, cutting at a character boundary when out is full. */
static int put(char *out, size_t cap, size_t *at, const char *s, size_t len)
{
	if (*at + len < cap) {
		memcpy(out + *at, s, len);
		*at += len;
		out[*at] = '\0';
		return 0;
	}
	while (len && *at + len >= cap)
		len--;
	while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
		len--;
	memcpy(out + *at, s, len);
	*at += len;
	out[*at] = '\0';
	return -1;
}

int notice_render(const char *tmpl, const struct notice_var *vars, size_t n,
		  char *out, size_t cap)
{
	size_t at = 0;
	const char *p = tmpl;

	if (!cap)
		return -1;
	out[0] = '\0';
	while (*p) {
		const char *open = strchr(p, '{'), *end;
		if (!open)
			return put(out, cap, &at, p, strlen(p));
		if (put(out, cap, &at, p, (size_t)(open - p)) < 0)
			return -1;
		end = strchr(open + 1, '}');
		if (!end)
			return put(out, cap, &at, open, strlen(open));
		{
			const char *value = NULL;
			size_t len = (size_t)(end - open - 1);
			for (size_t i = 0; i < n; i++)
				if (strlen(vars[i].name) == len &&
				    !memcmp(vars[i].name, open + 1, len))
					value = vars[i].value ? vars[i].value
							      : "";
			if (value ? put(out, cap, &at, value, strlen(value))
				  : put(out, cap, &at, open,
					(size_t)(end - open + 1)))
				return -1;
		}
		p = end + 1;
	}
	return 0;
}

char *notice_clip(const char *s, size_t max_chars, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t at = 0, chars = 0;

	if (!cap)
		return out;
	while (*p && chars < max_chars) {
		size_t k = utf8_seq(p);
		if (!k)
			k = 1;
		if (at + k + 1 > cap)
			break;
		if (*p == '\n' || *p == '\r' || *p == '\t')
			out[at] = ' ';
		else
			memcpy(out + at, p, k);
		at += (*p == '\n' || *p == '\r' || *p == '\t') ? 1 : k;
		p += k;
		chars++;
	}
	if (*p && at + 4 <= cap) {
		/* "…" U+2026 */
		memcpy(out + at, "\xE2\x80\xA6", 3);
		at += 3;
	}
	out[at] = '\0';
	return out;
}
