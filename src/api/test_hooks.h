/* test_hooks.h: what automated tests may read when test_mode is on */
#ifndef API_TEST_HOOKS_H
#define API_TEST_HOOKS_H

/*
 * In test mode the server remembers the latest captcha answers and SMS
 * codes in process memory (never in the database), so tests and the
 * browser suite can sign up and sign in. Outside test mode these do
 * nothing and the /api/v1/test routes do not exist.
 */
void test_hooks_captcha(const char *id, const char *answer);
void test_hooks_sms(const char *phone, const char *purpose, const char *code);

#endif
