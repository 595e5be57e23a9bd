/* captcha.h: four-character image captchas drawn with libgd */
#ifndef CAPTCHA_CAPTCHA_H
#define CAPTCHA_CAPTCHA_H

#include <stdbool.h>
#include <stddef.h>

#define CAPTCHA_LEN 4
#define CAPTCHA_WIDTH 120
#define CAPTCHA_HEIGHT 40
#define CAPTCHA_FONT_DEFAULT                                                   \
	"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

/*
 * The characters an answer is drawn from: upper-case letters and digits
 * without the look-alikes 0/O/Q/D, 1/I/L/J, 2/Z, 5/S, 8/B and U/V, nor
 * those that turn ambiguous once drawn turned and crossed by lines: G (a
 * line across a C's mouth makes a G; G/6), 7 (a line over its top makes
 * a T), 9 (reads as a lower-case g) and 4 (tilted, reads as an A). A
 * reader who gets the shape right is never told they are wrong.
 */
extern const char captcha_alphabet[];

/*
 * Sets up libgd's FreeType font cache. Call it once at startup, after
 * sodium_init() and before any thread may call captcha_render_png():
 * libgd would otherwise set the cache up on first use without a lock,
 * and two requests drawing the first captchas at once could race.
 * Calling it again is harmless. Returns 0, or -1 when FreeType cannot
 * be initialised.
 */
int captcha_init(void);

/*
 * Frees the font cache (and the fonts it holds open). No render may run
 * during or after the call, until captcha_init() again.
 */
void captcha_shutdown(void);

/*
 * Writes CAPTCHA_LEN characters drawn uniformly from captcha_alphabet,
 * and a NUL, into out. Needs sodium_init() to have been called.
 */
void captcha_new_answer(char out[CAPTCHA_LEN + 1]);

/*
 * Whether a reader's answer matches the expected one: ASCII letters are
 * compared without regard to case, surrounding blanks (space, tab, CR,
 * LF) are ignored, and the characters are compared in constant time.
 * False when either string is NULL or does not hold exactly CAPTCHA_LEN
 * characters once trimmed.
 */
bool captcha_answer_matches(const char *expected, const char *given);

/*
 * Draws answer (exactly CAPTCHA_LEN ASCII letters or digits) as a
 * CAPTCHA_WIDTH x CAPTCHA_HEIGHT PNG with the TrueType font at font_path
 * (CAPTCHA_FONT_DEFAULT when NULL): each character turned, sized and
 * coloured at random, crossed by lines, speckled and warped by a wave,
 * different at every call. On success returns 0 and hands over the PNG
 * in *png and *len; free it with captcha_png_free(). On failure returns
 * -1, sets *png to NULL and *len to 0, and describes the cause in err.
 * Safe to call from several threads at once after captcha_init().
 */
int captcha_render_png(const char *answer, const char *font_path,
		       unsigned char **png, size_t *len, char *err,
		       size_t errlen);

/* Frees what captcha_render_png() handed over; NULL is allowed. */
void captcha_png_free(unsigned char *png);

#endif
