/* test_captcha.c: answers, matching and the PNG renderer */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <gd.h>
#include <sodium.h>
#include "harness.h"
#include "captcha/captcha.h"

static bool in_alphabet(char c)
{
	return c && strchr(captcha_alphabet, c) != NULL;
}

static void test_alphabet(void)
{
	const char *lookalikes = "0OQD1ILJ2Z5SBUV8";

	for (const char *p = lookalikes; *p; p++)
		ok(!strchr(captcha_alphabet, *p), "'%c' is not in the alphabet",
		   *p);
	for (const char *p = captcha_alphabet; *p; p++)
		ok((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'),
		   "'%c' is an upper-case letter or a digit", *p);
	ok(strlen(captcha_alphabet) >= 16, "alphabet has %zu characters",
	   strlen(captcha_alphabet));
}

static void test_answers(void)
{
	char a[CAPTCHA_LEN + 1], first[CAPTCHA_LEN + 1];
	int bad = 0, lookalike = 0, same = 0;
	int seen[128] = { 0 };

	captcha_new_answer(first);
	for (int n = 0; n < 2000; n++) {
		captcha_new_answer(a);
		if (strlen(a) != CAPTCHA_LEN)
			bad++;
		for (int i = 0; i < CAPTCHA_LEN; i++) {
			if (!in_alphabet(a[i]))
				bad++;
			if (a[i] && strchr("0OQD1ILJ2Z5SBUV8", a[i]))
				lookalike++;
			seen[(unsigned char)a[i] & 127]++;
		}
		if (!strcmp(a, first))
			same++;
	}
	is_int(bad, 0, "2000 answers: 4 characters from the alphabet");
	is_int(lookalike, 0, "2000 answers: no look-alike character");
	ok(same < 5, "answers vary (%d of 2000 equal the first)", same);
	for (const char *p = captcha_alphabet; *p; p++)
		ok(seen[(unsigned char)*p] > 0, "'%c' is used", *p);
}

static void test_matches(void)
{
	ok(captcha_answer_matches("AC3X", "AC3X"), "exact");
	ok(captcha_answer_matches("AC3X", "ac3x"), "lower case");
	ok(captcha_answer_matches("AC3X", "aC3x"), "mixed case");
	ok(captcha_answer_matches("AC3X", "  AC3X \t\r\n"),
	   "surrounding spaces");
	ok(!captcha_answer_matches("AC3X", "AC3Y"), "wrong character");
	ok(!captcha_answer_matches("AC3X", "XC3A"), "wrong order");
	ok(!captcha_answer_matches("AC3X", "AC3"), "too short");
	ok(!captcha_answer_matches("AC3X", "AC3XX"), "too long");
	ok(!captcha_answer_matches("AC3X", "AC 3X"), "inner space counts");
	ok(!captcha_answer_matches("AC3X", ""), "empty");
	ok(!captcha_answer_matches("AC3X", "    "), "only spaces");
	ok(!captcha_answer_matches("AC3X", NULL), "NULL given");
	ok(!captcha_answer_matches(NULL, "AC3X"), "NULL expected");
	ok(!captcha_answer_matches("", ""), "empty expected");
}

static void test_render(void)
{
	unsigned char *png = NULL, *png2 = NULL, dummy = 0;
	size_t len = 0, len2 = 0;
	char err[256] = "";
	gdImagePtr im;
	int rc;

	rc = captcha_render_png("AC3X", NULL, &png, &len, err, sizeof(err));
	is_int(rc, 0, "render");
	ok(png && len > 8 && !memcmp(png, "\x89PNG\r\n\x1a\n", 8),
	   "PNG signature");
	im = png ? gdImageCreateFromPngPtr((int)len, png) : NULL;
	ok(im != NULL, "decodes");
	if (im) {
		is_int(gdImageSX(im), CAPTCHA_WIDTH, "width");
		is_int(gdImageSY(im), CAPTCHA_HEIGHT, "height");
		gdImageDestroy(im);
	}

	rc = captcha_render_png("AC3X", CAPTCHA_FONT_DEFAULT, &png2, &len2, err,
				sizeof(err));
	is_int(rc, 0, "render again");
	ok(png && png2 && (len != len2 || memcmp(png, png2, len)),
	   "two renders of one answer differ");
	captcha_png_free(png);
	captcha_png_free(png2);

	png = &dummy;
	len = 7;
	err[0] = '\0';
	rc = captcha_render_png("AC3X", "/nonexistent/font.ttf", &png, &len,
				err, sizeof(err));
	is_int(rc, -1, "missing font fails");
	ok(png == NULL && len == 0, "no PNG on failure");
	ok(err[0] != '\0' && strstr(err, "/nonexistent/font.ttf"),
	   "error names the font: %s", err);

	err[0] = '\0';
	rc = captcha_render_png("AC3", NULL, &png, &len, err, sizeof(err));
	ok(rc == -1 && png == NULL && err[0], "short answer refused");
	rc = captcha_render_png("AC<X", NULL, &png, &len, err, sizeof(err));
	ok(rc == -1 && png == NULL, "odd character refused");
	rc = captcha_render_png(NULL, NULL, &png, &len, err, sizeof(err));
	ok(rc == -1 && png == NULL, "NULL answer refused");
	captcha_png_free(NULL);
}

static void test_render_many(void)
{
	int failed = 0;

	for (int n = 0; n < 50; n++) {
		char a[CAPTCHA_LEN + 1], err[256];
		unsigned char *png;
		size_t len;

		captcha_new_answer(a);
		if (captcha_render_png(a, NULL, &png, &len, err, sizeof(err))) {
			failed++;
			continue;
		}
		captcha_png_free(png);
	}
	is_int(failed, 0, "50 renders");
}

static void *render_thread(void *arg)
{
	int *failed = arg;

	for (int n = 0; n < 10; n++) {
		char a[CAPTCHA_LEN + 1], err[256];
		unsigned char *png;
		size_t len;

		captcha_new_answer(a);
		if (captcha_render_png(a, NULL, &png, &len, err, sizeof(err))) {
			(*failed)++;
			continue;
		}
		captcha_png_free(png);
	}
	return NULL;
}

static void test_threads(void)
{
	pthread_t t[4];
	int failed[4] = { 0 }, started = 0, total = 0;

	for (int i = 0; i < 4; i++)
		if (!pthread_create(&t[i], NULL, render_thread, &failed[i]))
			started++;
	is_int(started, 4, "threads started");
	for (int i = 0; i < started; i++) {
		pthread_join(t[i], NULL);
		total += failed[i];
	}
	is_int(total, 0, "renders from four threads at once");
}

int main(void)
{
	if (sodium_init() < 0 || captcha_init() < 0) {
		printf("not ok - sodium_init or captcha_init failed\n");
		return 1;
	}
	test_alphabet();
	test_answers();
	test_matches();
	test_render();
	test_render_many();
	test_threads();
	captcha_shutdown();
	return done_testing("test_captcha");
}
