/* test_rubric.c: criteria validation and weighted totals against hand-computed cases */
#include <math.h>
#include <string.h>
#include "harness.h"
#include "domain/rubric.h"

struct seen {
	int n;
	char field[8][64], code[8][32], message[8][128];
};

static void collect(void *ctx, const char *field, const char *code,
		    const char *message)
{
	struct seen *s = ctx;

	if (s->n < 8) {
		snprintf(s->field[s->n], sizeof(s->field[0]), "%s", field);
		snprintf(s->code[s->n], sizeof(s->code[0]), "%s", code);
		snprintf(s->message[s->n], sizeof(s->message[0]), "%s",
			 message);
	}
	s->n++;
}

static int check(const char *json, struct seen *s)
{
	json_t *c = json_loads(json, 0, NULL);
	int rc;

	memset(s, 0, sizeof(*s));
	rc = rubric_validate(c, collect, s);
	json_decref(c);
	return rc;
}

static int near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

int main(void)
{
	json_t *def = rubric_default_criteria(), *scores;
	struct seen s;
	size_t i;
	int sum = 0;

	ok(rubric_stage_known("preliminary") && rubric_stage_known("final"),
	   "stages");
	ok(!rubric_stage_known("semi") && !rubric_stage_known("") &&
		   !rubric_stage_known(NULL),
	   "unknown stages");

	/* The default: five criteria, 25/20/15/20/20, max 10, valid. */
	is_int(json_array_size(def), 5, "five default criteria");
	for (i = 0; i < json_array_size(def); i++) {
		json_t *c = json_array_get(def, i);
		sum += (int)json_integer_value(json_object_get(c, "weight"));
		is_int(json_integer_value(json_object_get(c, "max")), 10,
		       "max 10");
	}
	is_int(sum, 100, "default weights sum to 100");
	is_str(json_string_value(
		       json_object_get(json_array_get(def, 0), "key")),
	       "data_value", "first key");
	is_str(json_string_value(
		       json_object_get(json_array_get(def, 1), "name")),
	       "技术路线与创新性", "second name");
	memset(&s, 0, sizeof(s));
	is_int(rubric_validate(def, collect, &s), 0, "default is valid");
	is_int(s.n, 0, "no reports for the default");

	/* Validation. */
	is_int(check("[{\"key\":\"a\",\"name\":\"甲\",\"weight\":100,"
		     "\"max\":10}]",
		     &s),
	       0, "one criterion of weight 100");
	is_int(check("[{\"key\":\"a\",\"name\":\"甲\",\"weight\":60,"
		     "\"max\":10},{\"key\":\"b\",\"name\":\"乙\","
		     "\"weight\":30,\"max\":5}]",
		     &s),
	       -1, "weights 90");
	is_int(s.n, 1, "one report");
	is_str(s.field[0], "criteria", "weight_sum on criteria");
	is_str(s.code[0], "weight_sum", "weight_sum code");
	is_str(s.message[0], "各项权重之和须为 100，当前为 90",
	       "weight_sum message names the sum");
	is_int(check("[{\"key\":\"a\",\"name\":\"甲\",\"weight\":50,"
		     "\"max\":10},{\"key\":\"a\",\"name\":\"乙\","
		     "\"weight\":50,\"max\":10}]",
		     &s),
	       -1, "duplicate key");
	is_str(s.field[0], "criteria[1].key", "duplicate on the second");
	is_str(s.code[0], "duplicate", "duplicate code");
	is_int(check("[{\"key\":\"A-b\",\"name\":\"\",\"weight\":0,"
		     "\"max\":101,\"extra\":1}]",
		     &s),
	       -1, "many problems");
	is_int(s.n, 5, "extra, key, name, weight, max reported");
	is_str(s.field[0], "criteria[0].extra", "unknown field");
	is_str(s.field[1], "criteria[0].key", "bad key");
	is_str(s.field[2], "criteria[0].name", "empty name");
	is_str(s.field[3], "criteria[0].weight", "weight 0");
	is_str(s.field[4], "criteria[0].max", "max 101");
	is_int(check("[{\"key\":\"a\",\"name\":\"一二三四五六七八九十一二三四五"
		     "六七八九十一二三四五六七八九十一二三四五六七八九十\","
		     "\"weight\":100,\"max\":10}]",
		     &s),
	       0, "a name of exactly 40 characters");
	is_int(check("[{\"key\":\"a\",\"name\":\"一二三四五六七八九十一二三四五"
		     "六七八九十一二三四五六七八九十一二三四五六七八九十一\","
		     "\"weight\":100,\"max\":10}]",
		     &s),
	       -1, "41 characters");
	is_str(s.code[0], "too_long", "too_long");
	is_int(check("[{\"key\":\"abcdefghijklmnopqrstuvwxyz012345\","
		     "\"name\":\"a\",\"weight\":100,\"max\":10}]",
		     &s),
	       0, "32-character key");
	is_int(check("[{\"key\":\"abcdefghijklmnopqrstuvwxyz0123456\","
		     "\"name\":\"a\",\"weight\":100,\"max\":10}]",
		     &s),
	       -1, "33-character key");
	is_int(check("[{\"key\":\"a\",\"name\":\"a\",\"weight\":99.5,"
		     "\"max\":10}]",
		     &s),
	       -1, "fractional weight");
	is_str(s.field[0], "criteria[0].weight", "fractional weight field");
	is_int(s.n, 1, "no weight_sum when a weight is itself wrong");
	is_int(check("[]", &s), -1, "empty list");
	is_str(s.code[0], "count", "count");
	is_int(check("{}", &s), -1, "not an array");
	is_int(check("[1]", &s), -1, "not an object");
	is_str(s.field[0], "criteria[0]", "element field");

	/* Totals, computed by hand: 25*8/10 + 20*7/10 + 15*9/10 + 20*6.5/10
	 * + 20*10/10 = 20 + 14 + 13.5 + 13 + 20 = 80.5. */
	scores = json_pack("{s:i, s:i, s:i, s:f, s:i}", "data_value", 8,
			   "tech_innovation", 7, "governance", 9, "effect", 6.5,
			   "business", 10);
	ok(near(rubric_total(def, scores), 80.5), "total 80.5, got %f",
	   rubric_total(def, scores));
	ok(near(rubric_points(json_array_get(def, 2), scores), 13.5),
	   "governance points 13.5");
	json_object_del(scores, "effect");
	ok(rubric_total(def, scores) == -1, "missing score gives -1");
	ok(rubric_points(json_array_get(def, 3), scores) == -1,
	   "missing criterion points -1");
	json_object_set_new(scores, "effect", json_real(10.5));
	ok(rubric_total(def, scores) == -1, "over max gives -1");
	json_object_set_new(scores, "effect", json_integer(-1));
	ok(rubric_total(def, scores) == -1, "negative gives -1");
	json_object_set_new(scores, "effect", json_string("5"));
	ok(rubric_total(def, scores) == -1, "string gives -1");
	json_object_set_new(scores, "data_value", json_integer(0));
	json_object_set_new(scores, "tech_innovation", json_integer(0));
	json_object_set_new(scores, "governance", json_integer(0));
	json_object_set_new(scores, "effect", json_integer(0));
	json_object_set_new(scores, "business", json_integer(0));
	ok(near(rubric_total(def, scores), 0), "all zero");
	json_decref(scores);
	{
		/* Non-default max: 70*3/5 + 30*2.5/4 = 42 + 18.75 = 60.75 */
		json_t *c = json_loads(
			"[{\"key\":\"x\",\"name\":\"x\",\"weight\":70,"
			"\"max\":5},{\"key\":\"y\",\"name\":\"y\","
			"\"weight\":30,\"max\":4}]",
			0, NULL);
		json_t *sc = json_loads("{\"x\":3,\"y\":2.5}", 0, NULL);
		ok(near(rubric_total(c, sc), 60.75), "60.75");
		json_decref(c);
		json_decref(sc);
	}
	json_decref(def);
	return done_testing("rubric");
}
