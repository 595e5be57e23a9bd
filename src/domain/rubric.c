/* rubric.c: scoring criteria, their validation and a judge's weighted total */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "rubric.h"
#include "../util/str.h"
#include "../util/banned.h"

bool rubric_stage_known(const char *stage)
{
	return stage &&
	       (!strcmp(stage, "preliminary") || !strcmp(stage, "final"));
}

/*
 * The default follows the 申报书's parts (项目概述, 解决方案, 应用成效,
 * 商业模式) so a judge scores what the applicant was asked to write.
 */
static const struct {
	const char *key, *name, *description;
	int weight;
} defaults[] = {
	{ "data_value", "数据要素基础与数据价值",
	  "项目概述：数据资源基础、数据要素的汇聚与流通、数据产品或服务创造的价值",
	  25 },
	{ "tech_innovation", "技术路线与创新性",
	  "解决方案：技术路线的先进性与可行性，关键技术、模式或机制的创新",
	  20 },
	{ "governance", "数据治理与安全保障",
	  "解决方案：数据质量与治理体系、合规授权、隐私保护与安全保障措施",
	  15 },
	{ "effect", "应用成效",
	  "应用成效：已取得的经济效益与社会效益，应用规模与用户评价", 20 },
	{ "business", "商业模式与推广价值",
	  "商业模式：盈利模式与可持续性，在行业或区域推广复制的价值", 20 },
};

json_t *rubric_default_criteria(void)
{
	json_t *a = json_array();
	size_t i;

	if (!a)
		return NULL;
	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		json_t *c = json_pack("{s:s, s:s, s:s, s:i, s:i}", "key",
				      defaults[i].key, "name", defaults[i].name,
				      "description", defaults[i].description,
				      "weight", defaults[i].weight, "max", 10);
		if (!c || json_array_append_new(a, c)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static bool key_ok(const char *k)
{
	size_t n = strlen(k), i;

	if (n < 1 || n > 32)
		return false;
	for (i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') ||
		      (k[i] >= '0' && k[i] <= '9') || k[i] == '_'))
			return false;
	return true;
}

/* An integer in [lo, hi]; 25.0 from a client that writes floats is fine. */
static bool int_in(const json_t *v, int lo, int hi, int *out)
{
	double d;

	if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);
		if (i < lo || i > hi)
			return false;
		*out = (int)i;
		return true;
	}
	if (!json_is_real(v))
		return false;
	d = json_real_value(v);
	if (d != floor(d) || d < lo || d > hi)
		return false;
	*out = (int)d;
	return true;
}

#define RUBRIC_MAX_CRITERIA 20

int rubric_validate(const json_t *criteria,
		    void (*report)(void *ctx, const char *field,
				   const char *code, const char *message),
		    void *ctx)
{
	char field[64], msg[128];
	size_t i, j, n;
	int bad = 0, sum = 0, weights_ok = 1;

	if (!json_is_array(criteria)) {
		report(ctx, "criteria", "type", "评分标准须为列表");
		return -1;
	}
	n = json_array_size(criteria);
	if (n < 1 || n > RUBRIC_MAX_CRITERIA) {
		snprintf(msg, sizeof(msg), "评分项须为 1–%d 项",
			 RUBRIC_MAX_CRITERIA);
		report(ctx, "criteria", "count", msg);
		return -1;
	}
	for (i = 0; i < n; i++) {
		/* jansson's getters take non-const pointers. */
		json_t *c = json_array_get(criteria, i), *v;
		const char *key;
		int w, m;

		if (!json_is_object(c)) {
			snprintf(field, sizeof(field), "criteria[%zu]", i);
			report(ctx, field, "type", "评分项格式不正确");
			bad = 1;
			weights_ok = 0;
			continue;
		}
		json_object_foreach (c, key, v) {
			if (strcmp(key, "key") && strcmp(key, "name") &&
			    strcmp(key, "description") &&
			    strcmp(key, "weight") && strcmp(key, "max")) {
				snprintf(field, sizeof(field),
					 "criteria[%zu].%.32s", i, key);
				report(ctx, field, "unknown_field",
				       "不认识的字段");
				bad = 1;
			}
		}
		v = json_object_get(c, "key");
		snprintf(field, sizeof(field), "criteria[%zu].key", i);
		if (!json_is_string(v) || !key_ok(json_string_value(v))) {
			report(ctx, field, "format",
			       "标识须为 1–32 位小写字母、数字或下划线");
			bad = 1;
		} else {
			for (j = 0; j < i; j++) {
				const json_t *o = json_object_get(
					json_array_get(criteria, j), "key");
				if (json_is_string(o) &&
				    !strcmp(json_string_value(o),
					    json_string_value(v))) {
					report(ctx, field, "duplicate",
					       "标识与前面的评分项重复");
					bad = 1;
					break;
				}
			}
		}
		v = json_object_get(c, "name");
		snprintf(field, sizeof(field), "criteria[%zu].name", i);
		if (!json_is_string(v) ||
		    !utf8_valid(json_string_value(v), json_string_length(v))) {
			report(ctx, field, "required", "请填写评分项名称");
			bad = 1;
		} else {
			size_t len = utf8_chars(json_string_value(v));
			if (len < 1) {
				report(ctx, field, "required",
				       "请填写评分项名称");
				bad = 1;
			} else if (len > 40) {
				report(ctx, field, "too_long",
				       "名称不能超过 40 字");
				bad = 1;
			}
		}
		v = json_object_get(c, "description");
		snprintf(field, sizeof(field), "criteria[%zu].description", i);
		if (v && !json_is_null(v)) {
			if (!json_is_string(v) ||
			    !utf8_valid(json_string_value(v),
					json_string_length(v))) {
				report(ctx, field, "type", "说明须为文字");
				bad = 1;
			} else if (utf8_chars(json_string_value(v)) > 500) {
				report(ctx, field, "too_long",
				       "说明不能超过 500 字");
				bad = 1;
			}
		}
		v = json_object_get(c, "weight");
		snprintf(field, sizeof(field), "criteria[%zu].weight", i);
		if (!int_in(v, 1, 100, &w)) {
			report(ctx, field, "range", "权重须为 1–100 的整数");
			bad = 1;
			weights_ok = 0;
		} else {
			sum += w;
		}
		v = json_object_get(c, "max");
		snprintf(field, sizeof(field), "criteria[%zu].max", i);
		if (!int_in(v, 1, 100, &m)) {
			report(ctx, field, "range", "满分须为 1–100 的整数");
			bad = 1;
		}
	}
	if (weights_ok && sum != 100) {
		snprintf(msg, sizeof(msg), "各项权重之和须为 100，当前为 %d",
			 sum);
		report(ctx, "criteria", "weight_sum", msg);
		bad = 1;
	}
	return bad ? -1 : 0;
}

static double num(const json_t *v)
{
	if (json_is_integer(v))
		return (double)json_integer_value(v);
	if (json_is_real(v))
		return json_real_value(v);
	return NAN;
}

double rubric_points(const json_t *criterion, const json_t *scores)
{
	const json_t *k = json_object_get(criterion, "key");
	double w = num(json_object_get(criterion, "weight"));
	double max = num(json_object_get(criterion, "max"));
	double s;

	if (!json_is_string(k) || !json_is_object(scores) || !(max > 0) ||
	    !(w >= 0))
		return -1;
	s = num(json_object_get(scores, json_string_value(k)));
	/* NaN (no score, or not a number) fails both comparisons. */
	if (!(s >= 0 && s <= max))
		return -1;
	return w * s / max;
}

double rubric_total(const json_t *criteria, const json_t *scores)
{
	double total = 0;
	size_t i;

	if (!json_is_array(criteria) || !json_array_size(criteria))
		return -1;
	for (i = 0; i < json_array_size(criteria); i++) {
		double p = rubric_points(json_array_get(criteria, i), scores);
		if (p < 0)
			return -1;
		total += p;
	}
	return total;
}
