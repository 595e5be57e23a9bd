/* captcha.c: answers, constant-time matching and the libgd renderer */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <gd.h>
#include <sodium.h>
#include "captcha.h"
#include "../util/banned.h"

const char captcha_alphabet[] = "ACEFHKMNPRTWXY36";

#define ALPHABET_LEN (sizeof(captcha_alphabet) - 1)
#define W CAPTCHA_WIDTH
#define H CAPTCHA_HEIGHT
/*
 * The glyphs' slots leave MARGIN pixels free at either end, and no glyph
 * comes nearer than PAD pixels to any edge, whatever its turn.
 */
#define MARGIN 6
#define PAD 4
#define PI 3.14159265358979323846

int captcha_init(void)
{
	return gdFontCacheSetup() == 0 ? 0 : -1;
}

void captcha_shutdown(void)
{
	gdFontCacheShutdown();
}

void captcha_new_answer(char out[CAPTCHA_LEN + 1])
{
	for (size_t i = 0; i < CAPTCHA_LEN; i++)
		out[i] = captcha_alphabet[randombytes_uniform(ALPHABET_LEN)];
	out[CAPTCHA_LEN] = '\0';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Trims s and copies it upper-cased into out. By hand rather than with
 * toupper(), whose answer depends on the locale.
 */
static bool normalise(const char *s, unsigned char out[CAPTCHA_LEN])
{
	size_t len;

	if (!s)
		return false;
	while (is_blank(*s))
		s++;
	len = strlen(s);
	while (len && is_blank(s[len - 1]))
		len--;
	if (len != CAPTCHA_LEN)
		return false;
	for (size_t i = 0; i < CAPTCHA_LEN; i++) {
		unsigned char c = (unsigned char)s[i];
		out[i] = c >= 'a' && c <= 'z' ? (unsigned char)(c - 'a' + 'A')
					      : c;
	}
	return true;
}

bool captcha_answer_matches(const char *expected, const char *given)
{
	unsigned char a[CAPTCHA_LEN], b[CAPTCHA_LEN];

	if (!normalise(expected, a) || !normalise(given, b))
		return false;
	return sodium_memcmp(a, b, CAPTCHA_LEN) == 0;
}

/*
 * Every random choice below comes from libsodium: rand() is banned, and
 * an attacker who could predict the noise could subtract it.
 */
static int rnd_int(int lo, int hi)
{
	return lo + (int)randombytes_uniform((uint32_t)(hi - lo + 1));
}

static double rnd_unit(void)
{
	return randombytes_uniform(1u << 24) / 16777216.0;
}

static double rnd_between(double lo, double hi)
{
	return lo + (hi - lo) * rnd_unit();
}

static int iround(double v)
{
	return v < 0 ? -(int)(-v + 0.5) : (int)(v + 0.5);
}

/*
 * sin(2 pi t) after Bhaskara I, within 0.002 of the real thing. The
 * Makefile links no libm, and a warp that nobody measures does not need
 * more.
 */
static double sine_turns(double t)
{
	double u, p;
	bool neg = false;

	t -= (double)(long)t;
	if (t < 0)
		t += 1;
	u = 2 * t;
	if (u >= 1) {
		u -= 1;
		neg = true;
	}
	p = u * (1 - u);
	p = 16 * p / (5 - 4 * p);
	return neg ? -p : p;
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Ink for glyphs and the lines that cross them: dark, of varied hue. */
static int dark_colour(void)
{
	return gdTrueColor(rnd_int(0, 100), rnd_int(0, 80), rnd_int(0, 110));
}

/* For the straight lines and the speckle: paler than any glyph. */
static int mid_colour(void)
{
	return gdTrueColor(rnd_int(110, 190), rnd_int(110, 190),
			   rnd_int(110, 190));
}

/*
 * A gradient between two light colours with a few pale blotches, so
 * that no single background colour can be keyed out.
 */
static void paint_background(gdImagePtr im)
{
	int a[3], b[3], tilt[3];

	for (int k = 0; k < 3; k++) {
		a[k] = rnd_int(215, 255);
		b[k] = rnd_int(215, 255);
		tilt[k] = rnd_int(-15, 15);
	}
	for (int y = 0; y < H; y++) {
		for (int x = 0; x < W; x++) {
			double t = (double)x / (W - 1);
			double v = (double)y / (H - 1) - 0.5;
			int c[3];

			for (int k = 0; k < 3; k++)
				c[k] = clamp(iround(a[k] + (b[k] - a[k]) * t +
						    tilt[k] * v),
					     0, 255);
			gdImageSetPixel(im, x, y,
					gdTrueColor(c[0], c[1], c[2]));
		}
	}
	for (int n = rnd_int(4, 7); n > 0; n--)
		gdImageFilledEllipse(im, rnd_int(0, W - 1), rnd_int(0, H - 1),
				     rnd_int(10, 36), rnd_int(8, 24),
				     gdTrueColor(rnd_int(195, 240),
						 rnd_int(195, 240),
						 rnd_int(195, 240)));
}

struct box {
	int minx, maxx, miny, maxy;
};

/* Measures s as drawn at the origin; returns libgd's error or NULL. */
static const char *measure(const char *font, double pt, double angle,
			   const char *s, struct box *b)
{
	int r[8];
	const char *e = gdImageStringFT(NULL, r, 0, font, pt, angle, 0, 0, s);

	if (e)
		return e;
	b->minx = b->maxx = r[0];
	b->miny = b->maxy = r[1];
	for (int k = 2; k < 8; k += 2) {
		b->minx = r[k] < b->minx ? r[k] : b->minx;
		b->maxx = r[k] > b->maxx ? r[k] : b->maxx;
		b->miny = r[k + 1] < b->miny ? r[k + 1] : b->miny;
		b->maxy = r[k + 1] > b->maxy ? r[k + 1] : b->maxy;
	}
	return NULL;
}

/*
 * Draws one character per slot, each with its own size, angle, colour
 * and offset. Each glyph is measured first, turned, so that a wide one
 * (W, M) can be shrunk to its slot instead of covering its neighbour,
 * and so that all of it stays at least PAD pixels inside the image,
 * out of reach of the warp's shifts.
 */
static int draw_glyphs(gdImagePtr im, const char *answer, const char *font,
		       char *err, size_t errlen)
{
	double slot = (double)(W - 2 * MARGIN) / CAPTCHA_LEN;

	for (int i = 0; i < CAPTCHA_LEN; i++) {
		char s[2] = { answer[i], '\0' };
		double pt = rnd_between(20.0, 24.0);
		double angle = rnd_int(-25, 25) * PI / 180;
		double fit;
		struct box b;
		const char *e;
		int x, y;

		e = measure(font, pt, angle, s, &b);
		if (!e) {
			fit = (slot + 1) / (b.maxx - b.minx + 1);
			if ((H - 2.0 * PAD) / (b.maxy - b.miny + 1) < fit)
				fit = (H - 2.0 * PAD) / (b.maxy - b.miny + 1);
			if (fit < 1) {
				pt *= fit;
				e = measure(font, pt, angle, s, &b);
			}
		}
		if (e) {
			snprintf(err, errlen, "font '%s': %s", font, e);
			return -1;
		}
		x = iround(MARGIN + slot * (i + 0.5) + rnd_int(-2, 2) -
			   (b.minx + b.maxx) / 2.0);
		y = iround(H / 2.0 + rnd_int(-4, 4) - (b.miny + b.maxy) / 2.0);
		/*
		 * The low bounds are applied last: should a glyph still not
		 * fit, its top and left show, where a reader looks first.
		 */
		if (x > W - 1 - PAD - b.maxx)
			x = W - 1 - PAD - b.maxx;
		if (x < PAD - b.minx)
			x = PAD - b.minx;
		if (y > H - 1 - PAD - b.maxy)
			y = H - 1 - PAD - b.maxy;
		if (y < PAD - b.miny)
			y = PAD - b.miny;
		e = gdImageStringFT(im, NULL, dark_colour(), font, pt, angle, x,
				    y, s);
		if (e) {
			snprintf(err, errlen, "font '%s': %s", font, e);
			return -1;
		}
	}
	return 0;
}

/* A cubic Bézier from beyond the left edge to beyond the right one. */
static void draw_curve(gdImagePtr im, int colour)
{
	double px[4], py[4];
	int lx, ly;

	px[0] = -4;
	px[1] = rnd_between(W * 0.15, W * 0.45);
	px[2] = rnd_between(W * 0.55, W * 0.85);
	px[3] = W + 3;
	py[0] = rnd_between(H * 0.2, H * 0.8);
	py[1] = rnd_between(-H * 0.3, H * 1.3);
	py[2] = rnd_between(-H * 0.3, H * 1.3);
	py[3] = rnd_between(H * 0.2, H * 0.8);
	lx = iround(px[0]);
	ly = iround(py[0]);
	for (int s = 1; s <= 40; s++) {
		double t = s / 40.0, u = 1 - t;
		double b0 = u * u * u, b1 = 3 * u * u * t, b2 = 3 * u * t * t;
		double b3 = t * t * t;
		int nx = iround(b0 * px[0] + b1 * px[1] + b2 * px[2] +
				b3 * px[3]);
		int ny = iround(b0 * py[0] + b1 * py[1] + b2 * py[2] +
				b3 * py[3]);

		gdImageLine(im, lx, ly, nx, ny, colour);
		lx = nx;
		ly = ny;
	}
}

/*
 * A curve in the glyphs' own ink joins the characters to each other,
 * which is what makes cutting the image into single characters hard. It
 * is one pixel wide, against strokes of three or four, so that a reader
 * still sees through it; the wider curve and the straight lines are
 * paler than any glyph for the same reason.
 */
static void draw_lines(gdImagePtr im)
{
	gdImageSetThickness(im, 2);
	draw_curve(im, mid_colour());
	gdImageSetThickness(im, 1);
	draw_curve(im, dark_colour());
	for (int n = rnd_int(2, 3); n > 0; n--)
		gdImageLine(im, rnd_int(0, W - 1), rnd_int(0, H - 1),
			    rnd_int(0, W - 1), rnd_int(0, H - 1), mid_colour());
}

/* Bilinear sample of src at (fx, fy), clamped to the image. */
static int sample(gdImagePtr src, double fx, double fy)
{
	int x0, y0, x1, y1, c00, c10, c01, c11, out[3];
	double tx, ty;

	fx = fx < 0 ? 0 : fx > W - 1 ? W - 1 : fx;
	fy = fy < 0 ? 0 : fy > H - 1 ? H - 1 : fy;
	x0 = (int)fx;
	y0 = (int)fy;
	x1 = x0 < W - 1 ? x0 + 1 : x0;
	y1 = y0 < H - 1 ? y0 + 1 : y0;
	tx = fx - x0;
	ty = fy - y0;
	c00 = gdImageGetTrueColorPixel(src, x0, y0);
	c10 = gdImageGetTrueColorPixel(src, x1, y0);
	c01 = gdImageGetTrueColorPixel(src, x0, y1);
	c11 = gdImageGetTrueColorPixel(src, x1, y1);
	for (int k = 0; k < 3; k++) {
		int sh = 16 - 8 * k;
		double top = ((c00 >> sh) & 0xff) * (1 - tx) +
			     ((c10 >> sh) & 0xff) * tx;
		double bottom = ((c01 >> sh) & 0xff) * (1 - tx) +
				((c11 >> sh) & 0xff) * tx;

		out[k] = clamp(iround(top * (1 - ty) + bottom * ty), 0, 255);
	}
	return gdTrueColor(out[0], out[1], out[2]);
}

/*
 * Shifts each row sideways and each column up or down along two sine
 * waves of random phase, which bends the straight strokes a template
 * matcher would look for. Returns a new image, or NULL.
 */
static gdImagePtr warp(gdImagePtr src)
{
	gdImagePtr dst = gdImageCreateTrueColor(W, H);
	double ax = rnd_between(1.5, 2.5), px = rnd_between(24, 40);
	double ay = rnd_between(2.0, 3.5), py = rnd_between(50, 90);
	double phx = rnd_unit(), phy = rnd_unit();

	if (!dst)
		return NULL;
	for (int y = 0; y < H; y++) {
		double dx = ax * sine_turns(y / px + phx);

		for (int x = 0; x < W; x++) {
			double dy = ay * sine_turns(x / py + phy);

			gdImageSetPixel(dst, x, y, sample(src, x + dx, y + dy));
		}
	}
	return dst;
}

/* Single-pixel speckle, put on after the warp so it stays sharp. */
static void draw_dots(gdImagePtr im)
{
	for (int n = rnd_int(120, 180); n > 0; n--) {
		int c = rnd_int(0, 2) ? mid_colour() : dark_colour();

		gdImageSetPixel(im, rnd_int(0, W - 1), rnd_int(0, H - 1), c);
	}
}

static bool answer_ok(const char *answer)
{
	if (!answer || strlen(answer) != CAPTCHA_LEN)
		return false;
	for (size_t i = 0; i < CAPTCHA_LEN; i++) {
		char c = answer[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9')))
			return false;
	}
	return true;
}

int captcha_render_png(const char *answer, const char *font_path,
		       unsigned char **png, size_t *len, char *err,
		       size_t errlen)
{
	gdImagePtr im = NULL, warped = NULL;
	void *data = NULL;
	int size = 0;

	*png = NULL;
	*len = 0;
	if (!font_path)
		font_path = CAPTCHA_FONT_DEFAULT;
	if (!answer_ok(answer)) {
		snprintf(err, errlen, "answer must be %d letters or digits",
			 CAPTCHA_LEN);
		return -1;
	}
	im = gdImageCreateTrueColor(W, H);
	if (!im) {
		snprintf(err, errlen, "out of memory for the image");
		return -1;
	}
	paint_background(im);
	if (draw_glyphs(im, answer, font_path, err, errlen) < 0)
		goto fail;
	draw_lines(im);
	warped = warp(im);
	if (!warped) {
		snprintf(err, errlen, "out of memory for the image");
		goto fail;
	}
	draw_dots(warped);
	data = gdImagePngPtr(warped, &size);
	if (!data || size <= 0) {
		snprintf(err, errlen, "PNG encoding failed");
		gdFree(data);
		goto fail;
	}
	gdImageDestroy(warped);
	gdImageDestroy(im);
	*png = data;
	*len = (size_t)size;
	return 0;

fail:
	if (warped)
		gdImageDestroy(warped);
	gdImageDestroy(im);
	return -1;
}

void captcha_png_free(unsigned char *png)
{
	if (png)
		gdFree(png);
}
