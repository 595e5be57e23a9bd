// 20-auth-flows: every account flow end to end through the API: sign-up,
// password and SMS sign-in, remember-me cookies, sign-out (here and
// everywhere), password reset and change, and phone number normalisation.
// One server in test mode for the file; each test uses its own numbers.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, assertError } from './lib.mjs';
import {
	Client, TEST_MODE, GOOD_PASSWORD, uniques, setCookies, sendSms, register,
	loginPassword, loginSms, assertField, solveCaptcha, resendSms,
} from './auth-lib.mjs';

let server;
const u = uniques('39');

before(async () => {
	// Every test sends codes from 127.0.0.1: lift the per-address cap.
	server = await startServer({ args: [...TEST_MODE, '--sms-ip-hourly-limit', '100000'] });
});
after(() => server?.stop());

function sessionCookieOf(res) {
	const c = setCookies(res).find((x) => x.name === 'saiwu_session');
	assert.ok(c, `no saiwu_session cookie in ${JSON.stringify(res.headers['set-cookie'])}`);
	return c;
}

// The cookie of a session that is not remembered: ends with the browser.
function assertBrowserSessionCookie(res) {
	const c = sessionCookieOf(res);
	assert.match(c.value, /^[A-Za-z0-9_-]{43}$/);
	assert.equal(c.attrs['max-age'], undefined, c.raw);
	assert.equal(c.attrs.expires, undefined, c.raw);
	assert.equal(c.attrs.httponly, true, c.raw);
	assert.equal(c.attrs.samesite, 'Lax', c.raw);
	assert.equal(c.attrs.path, '/', c.raw);
	assert.equal(c.attrs.secure, undefined, c.raw);
	return c;
}

function assertRememberedCookie(res) {
	const c = sessionCookieOf(res);
	assert.match(c.value, /^[A-Za-z0-9_-]{43}$/);
	assert.equal(c.attrs['max-age'], '2592000', c.raw);
	assert.equal(c.attrs.httponly, true, c.raw);
	assert.equal(c.attrs.samesite, 'Lax', c.raw);
	assert.equal(c.attrs.path, '/', c.raw);
	return c;
}

function assertSignedIn(body, account, phone) {
	assert.equal(body.authenticated, true, JSON.stringify(body));
	assert.equal(body.user.account, account);
	assert.equal(body.user.phone_masked, `${phone.slice(0, 3)}****${phone.slice(7)}`);
	assert.equal(typeof body.user.id, 'number');
	assert.equal(typeof body.user.created_at, 'number');
	assert.deepEqual(Object.keys(body.user).sort(),
		['account', 'created_at', 'has_password', 'id', 'phone_masked']);
	assert.deepEqual(body.roles, [{ role: 'applicant', competition_id: 0, competition: null }]);
	assert.match(body.csrf_token, /^\S{32,}$/);
}

function assertSignedOut(body) {
	assert.equal(body.authenticated, false, JSON.stringify(body));
	assert.equal(body.user, null);
	assert.deepEqual(body.roles, []);
	assert.match(body.csrf_token, /^[A-Za-z0-9_-]{43}$/);
}

test('signed out, GET /api/v1/session sets an anonymous CSRF cookie and keeps it', async () => {
	const c = new Client(server);
	const res = await c.get('/api/v1/session');
	assert.equal(res.status, 200, res.text);
	assert.equal(res.headers['cache-control'], 'no-store');
	assertSignedOut(res.json);
	const csrf = setCookies(res).find((x) => x.name === 'saiwu_csrf');
	assert.ok(csrf, 'saiwu_csrf cookie set');
	assert.equal(csrf.value, res.json.csrf_token);
	assert.equal(csrf.attrs.httponly, true);
	assert.equal(csrf.attrs.samesite, 'Lax');
	// The cookie is kept: the next answer repeats it and sets nothing.
	const again = await c.get('/api/v1/session');
	assert.equal(again.json.csrf_token, res.json.csrf_token);
	assert.equal(again.headers['set-cookie'], undefined);
});

test('the agreement is served with its title and version', async () => {
	const res = await request(server, '/api/v1/agreement');
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.title, '平台服务协议');
	assert.equal(typeof res.json.version, 'string');
	assert.ok(res.json.version.length > 0);
	assert.ok(typeof res.json.text === 'string' && res.json.text.length > 20);
});

test('captcha: a PNG data URL, five minutes, a fresh id each time', async () => {
	const c = new Client(server);
	const a = await c.get('/api/v1/captcha');
	const b = await c.get('/api/v1/captcha');
	for (const r of [a, b]) {
		assert.equal(r.status, 200, r.text);
		assert.equal(r.headers['cache-control'], 'no-store');
		assert.equal(r.json.expires_in, 300);
		assert.match(r.json.image, /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
		const png = Buffer.from(r.json.image.split(',')[1], 'base64');
		assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	}
	assert.notEqual(a.json.captcha_id, b.json.captcha_id);
});

test('register signs in; the account then signs in by name (any case) and by phone', async () => {
	const c = new Client(server);
	const phone = u.phone();
	const account = u.account('Reg');
	const sms = await sendSms(c, phone, 'register');
	assert.match(sms, /^\d{6}$/);
	const res = await register(c, { account, phone, sms_code: sms });
	assertSignedIn(res.json, account, phone);
	assert.equal(res.json.user.has_password, true);
	assertBrowserSessionCookie(res);
	// The response's CSRF token is the signed-in one; GET /session agrees.
	const s = await c.session();
	assertSignedIn(s, account, phone);
	assert.equal(s.csrf_token, res.json.csrf_token);

	for (const login of [account, account.toUpperCase(), account.toLowerCase(), phone]) {
		const other = new Client(server);
		const r = await loginPassword(other, login, GOOD_PASSWORD);
		assert.equal(r.status, 200, `${login}: ${r.text}`);
		assertSignedIn(r.json, account, phone);
		assertBrowserSessionCookie(r);
		assert.equal((await other.session()).user.id, res.json.user.id);
	}
	// A wrong password is refused, on the password field too.
	const bad = await loginPassword(new Client(server), account, `${GOOD_PASSWORD}x`);
	assertError(bad, 401, 'bad_credentials');
	assert.ok(bad.json.error.fields.some((f) => f.field === 'password' && f.code === 'bad_credentials'));
	assert.match(bad.json.error.message, /账号或密码错误/);
	// So is an account that does not exist.
	assertError(await loginPassword(new Client(server), u.account('nobody'), GOOD_PASSWORD), 401, 'bad_credentials');
});

test('signing in while signed in replaces the session; the CSRF token changes with it', async () => {
	const c = new Client(server);
	const phone = u.phone();
	const account = u.account('swap');
	const reg = await register(c, { account, phone });
	const first = c.sessionCookie();
	const firstCsrf = reg.json.csrf_token;
	const again = await loginPassword(c, account, GOOD_PASSWORD);
	assert.equal(again.status, 200, again.text);
	assert.notEqual(c.sessionCookie(), first);
	assert.notEqual(again.json.csrf_token, firstCsrf);
	// The session before is gone (no fixation); the new one works.
	const old = await request(server, '/api/v1/session', { headers: { Cookie: `saiwu_session=${first}` } });
	assertSignedOut(old.json);
	assert.equal((await c.session()).authenticated, true);
	// The old token does not pass CSRF for the new session.
	const r = await c.post('/api/v1/logout', undefined, { csrf: firstCsrf });
	assertError(r, 403, 'csrf_failed');
});

test('remember-me: a 30-day HttpOnly SameSite=Lax cookie; without it, a browser-session cookie', async () => {
	const c = new Client(server);
	const phone = u.phone();
	const account = u.account('rem');
	await register(c, { account, phone });

	const remembered = await loginPassword(new Client(server), account, GOOD_PASSWORD, { remember: true });
	assert.equal(remembered.status, 200, remembered.text);
	assertRememberedCookie(remembered);

	const plain = await loginPassword(new Client(server), account, GOOD_PASSWORD, { remember: false });
	assert.equal(plain.status, 200, plain.text);
	assertBrowserSessionCookie(plain);

	const viaSms = await loginSms(new Client(server), phone, { remember: true, wait: true });
	assert.equal(viaSms.status, 200, viaSms.text);
	assertRememberedCookie(viaSms);

	const viaSmsPlain = await loginSms(new Client(server), phone, { wait: true });
	assert.equal(viaSmsPlain.status, 200, viaSmsPlain.text);
	assertBrowserSessionCookie(viaSmsPlain);
});

test('SMS sign-in of an unknown number creates an account (201), then signs it in (200)', async () => {
	const c = new Client(server);
	const phone = u.phone();
	const res = await loginSms(c, phone);
	assert.equal(res.status, 201, res.text);
	assert.equal(res.json.authenticated, true);
	assert.match(res.json.user.account, /^user_[a-z0-9]{10}$/);
	assert.equal(res.json.user.has_password, false);
	assert.equal(res.json.user.phone_masked, `${phone.slice(0, 3)}****${phone.slice(7)}`);
	assertBrowserSessionCookie(res);

	const again = await loginSms(new Client(server), phone, { wait: true });
	assert.equal(again.status, 200, again.text);
	assert.equal(again.json.user.id, res.json.user.id);
	assert.equal(again.json.user.account, res.json.user.account);

	// Such an account has no password: password sign-in fails, and
	// registering the number is refused.
	assertError(await loginPassword(new Client(server), phone, GOOD_PASSWORD), 401, 'bad_credentials');
	const cap = await solveCaptcha(c);
	assertField(await c.post('/api/v1/sms-codes', { phone, purpose: 'register', ...cap }), 'phone', 'phone_taken');
});

test('logout revokes the session: the old cookie no longer works', async () => {
	const c = new Client(server);
	const phone = u.phone();
	await register(c, { account: u.account('out'), phone });
	const token = c.sessionCookie();
	assert.ok(token);

	const res = await c.post('/api/v1/logout');
	assert.equal(res.status, 200, res.text);
	assertSignedOut(res.json);
	const cleared = sessionCookieOf(res);
	assert.equal(cleared.value, '');
	assert.equal(cleared.attrs['max-age'], '0');
	assert.equal(c.sessionCookie(), undefined);
	assert.equal((await c.session()).authenticated, false);

	// A copy of the old cookie is dead, and the answer clears it.
	const old = await request(server, '/api/v1/session', { headers: { Cookie: `saiwu_session=${token}` } });
	assert.equal(old.status, 200);
	assertSignedOut(old.json);
	assert.equal(sessionCookieOf(old).attrs['max-age'], '0');
	// It does not reach a signed-in route either.
	const stale = new Client(server);
	stale.jar.set('saiwu_session', token);
	assertError(await stale.post('/api/v1/logout-all'), 401, 'login_required');
	assertError(await stale.post('/api/v1/password/change', {
		current_password: GOOD_PASSWORD, password: 'Another-2026', password_confirm: 'Another-2026',
	}), 401, 'login_required');

	// Signing out when signed out is harmless.
	const twice = await c.post('/api/v1/logout');
	assert.equal(twice.status, 200, twice.text);
	assertSignedOut(twice.json);
});

test('log out everywhere: the other client\'s session dies too', async () => {
	const a = new Client(server, { userAgent: 'browser-a' });
	const b = new Client(server, { userAgent: 'browser-b' });
	const bystander = new Client(server);
	const phone = u.phone();
	const account = u.account('all');
	await register(a, { account, phone });
	assert.equal((await loginPassword(b, account, GOOD_PASSWORD, { remember: true })).status, 200);
	await register(bystander, { account: u.account('by'), phone: u.phone() });

	const res = await a.post('/api/v1/logout-all');
	assert.equal(res.status, 200, res.text);
	assertSignedOut(res.json);
	assert.equal(sessionCookieOf(res).attrs['max-age'], '0');
	assertSignedOut(await a.session());
	assertSignedOut(await b.session());
	// Someone else's session is untouched.
	assert.equal((await bystander.session()).authenticated, true);
	// Signed out, the route wants a session.
	assertError(await a.post('/api/v1/logout-all'), 401, 'login_required');
	// The account still signs in.
	assert.equal((await loginPassword(new Client(server), account, GOOD_PASSWORD)).status, 200);
});

test('password reset by SMS: sessions end, the old password stops working, the new one works', async () => {
	const a = new Client(server);
	const b = new Client(server);
	const phone = u.phone();
	const account = u.account('rst');
	await register(a, { account, phone });
	assert.equal((await loginPassword(b, account, GOOD_PASSWORD, { remember: true })).status, 200);

	const anon = new Client(server);
	const code = await resendSms(anon, phone, 'reset');
	const next = 'Brand-new-2026';
	const res = await anon.post('/api/v1/password/reset', {
		phone, sms_code: code, password: next, password_confirm: next,
	});
	assert.equal(res.status, 200, res.text);
	assert.deepEqual(res.json, { reset: true });
	assertSignedOut(await a.session());
	assertSignedOut(await b.session());

	assertError(await loginPassword(new Client(server), account, GOOD_PASSWORD), 401, 'bad_credentials');
	const ok = await loginPassword(new Client(server), phone, next);
	assert.equal(ok.status, 200, ok.text);
	assert.equal(ok.json.user.account, account);

	// Reset while signed in ends this session as well.
	const c = new Client(server);
	assert.equal((await loginPassword(c, account, next)).status, 200);
	const code2 = await resendSms(c, phone, 'reset');
	const third = 'Third-pass-2026';
	const r2 = await c.post('/api/v1/password/reset', { phone, sms_code: code2, password: third, password_confirm: third });
	assert.equal(r2.status, 200, r2.text);
	assertSignedOut(await c.session());
	assert.equal((await loginPassword(new Client(server), account, third)).status, 200);

	// Reset of a number with no account: refused when asking for the code.
	const cap = await solveCaptcha(anon);
	const unknown = await anon.post('/api/v1/sms-codes', { phone: u.phone(), purpose: 'reset', ...cap });
	const f = assertField(unknown, 'phone', 'phone_unknown');
	assert.match(f.message, /手机号/);
	// The new password must follow the rules and must not be the account.
	const code3 = await resendSms(anon, phone, 'reset');
	const weak = await anon.post('/api/v1/password/reset', { phone, sms_code: code3, password: account, password_confirm: account });
	assertField(weak, 'password', 'weak_password');
	const mism = await anon.post('/api/v1/password/reset', { phone, sms_code: code3, password: 'Good-pass-1', password_confirm: 'Good-pass-2' });
	assertField(mism, 'password_confirm', 'mismatch');
	// A code for sign-in does not reset: it is checked against the reset
	// code (still unused), and is wrong.
	const loginCode = await resendSms(anon, phone, 'login');
	const wrongPurpose = await anon.post('/api/v1/password/reset', { phone, sms_code: loginCode, password: 'Fourth-2026', password_confirm: 'Fourth-2026' });
	assertField(wrongPurpose, 'sms_code', 'sms_code_wrong');
	assertError(await loginPassword(new Client(server), account, 'Fourth-2026'), 401, 'bad_credentials');
});

test('password change: other sessions end, this one stays; wrong or missing current password refused', async () => {
	const a = new Client(server);
	const b = new Client(server);
	const phone = u.phone();
	const account = u.account('chg');
	await register(a, { account, phone });
	assert.equal((await loginPassword(b, account, GOOD_PASSWORD)).status, 200);
	const next = 'Changed-pw-2026';

	const wrong = await a.post('/api/v1/password/change', { current_password: 'Not-the-pw-1', password: next, password_confirm: next });
	const f = assertField(wrong, 'current_password', 'wrong');
	assert.match(f.message, /当前密码/);
	const missing = await a.post('/api/v1/password/change', { password: next, password_confirm: next });
	assertField(missing, 'current_password', 'required');
	const weak = await a.post('/api/v1/password/change', { current_password: GOOD_PASSWORD, password: 'short1', password_confirm: 'short1' });
	assertField(weak, 'password', 'weak_password');
	const same = await a.post('/api/v1/password/change', { current_password: GOOD_PASSWORD, password: account, password_confirm: account });
	assertField(same, 'password', 'weak_password');
	const mism = await a.post('/api/v1/password/change', { current_password: GOOD_PASSWORD, password: next, password_confirm: `${next}!` });
	assertField(mism, 'password_confirm', 'mismatch');
	// Nothing changed so far: b is still signed in.
	assert.equal((await b.session()).authenticated, true);

	const res = await a.post('/api/v1/password/change', { current_password: GOOD_PASSWORD, password: next, password_confirm: next });
	assert.equal(res.status, 200, res.text);
	assert.deepEqual(res.json, { changed: true });
	assert.equal((await a.session()).authenticated, true);
	assertSignedOut(await b.session());
	assertError(await loginPassword(new Client(server), account, GOOD_PASSWORD), 401, 'bad_credentials');
	assert.equal((await loginPassword(new Client(server), account, next)).status, 200);

	// Signed out: 401.
	assertError(await new Client(server).post('/api/v1/password/change', {
		current_password: next, password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD,
	}), 401, 'login_required');

	// An account made by SMS sign-in has no password to give.
	const s = new Client(server);
	const phone2 = u.phone();
	assert.equal((await loginSms(s, phone2)).status, 201);
	const none = await s.post('/api/v1/password/change', { current_password: 'Whatever-1', password: next, password_confirm: next });
	const nf = assertField(none, 'current_password', 'no_password');
	assert.match(nf.message, /找回密码/);
	// It sets one with a reset, and then signs in with it.
	const code = await resendSms(s, phone2, 'reset');
	const set = await s.post('/api/v1/password/reset', { phone: phone2, sms_code: code, password: next, password_confirm: next });
	assert.equal(set.status, 200, set.text);
	const signed = await loginPassword(new Client(server), phone2, next);
	assert.equal(signed.status, 200, signed.text);
	assert.equal(signed.json.user.has_password, true);
});

test('phone numbers are normalised: "+86 138 0013 8000", "0086…" and "86…" are 13800138000', async () => {
	const c = new Client(server);
	const phone = '13800138000';
	const account = u.account('norm');
	// The code goes to the normalised number, whichever way it was typed.
	const code = await sendSms(c, '+86 138 0013 8000', 'register', phone);
	const res = await c.post('/api/v1/register', {
		account, phone: '0086 138-0013-8000', password: GOOD_PASSWORD,
		password_confirm: GOOD_PASSWORD, sms_code: code, agree: true,
	});
	assert.equal(res.status, 201, res.text);
	assert.equal(res.json.user.phone_masked, '138****8000');
	for (const login of ['13800138000', '+8613800138000', '008613800138000', '8613800138000', '138 0013 8000', '+86 138-0013-8000']) {
		const r = await loginPassword(new Client(server), login, GOOD_PASSWORD);
		assert.equal(r.status, 200, `${login}: ${r.text}`);
		assert.equal(r.json.user.account, account);
	}
	// The number is taken whichever way it is written.
	const cap = await solveCaptcha(c);
	assertField(await c.post('/api/v1/sms-codes', { phone: '+86 13800138000', purpose: 'register', ...cap }), 'phone', 'phone_taken');
	// SMS sign-in finds the same account.
	const s = await loginSms(new Client(server), '0086 13800138000', { hookPhone: phone, wait: true });
	assert.equal(s.status, 200, s.text);
	assert.equal(s.json.user.account, account);
});

// Last in the file: it moves the clock by a month.
test('lifetimes: a browser session ends after 12 h idle and 7 days in all; a remembered one lasts 30 days', async () => {
	const phone = u.phone();
	const account = u.account('life');
	await register(new Client(server), { account, phone });
	const plain = new Client(server);
	const remembered = new Client(server);
	const busy = new Client(server);
	assert.equal((await loginPassword(plain, account, GOOD_PASSWORD)).status, 200);
	assert.equal((await loginPassword(remembered, account, GOOD_PASSWORD, { remember: true })).status, 200);
	assert.equal((await loginPassword(busy, account, GOOD_PASSWORD)).status, 200);
	const clock = new Client(server);
	const step = async (seconds) => {
		const r = await clock.post('/api/v1/test/clock', { seconds });
		assert.equal(r.status, 200, r.text);
	};
	// 11 hours idle is fine, and the request resets the idle time.
	await step(11 * 3600);
	assert.equal((await plain.session()).authenticated, true);
	await step(11 * 3600);
	assert.equal((await plain.session()).authenticated, true);
	// 12 hours and a bit without a request ends it, and clears the cookie.
	await step(12 * 3600 + 61);
	const dead = await plain.get('/api/v1/session');
	assert.equal(dead.json.authenticated, false);
	assert.equal(setCookies(dead).find((x) => x.name === 'saiwu_session')?.attrs['max-age'], '0');
	// A browser session used every few hours still ends after 7 days.
	assert.equal((await busy.session()).authenticated, false, 'busy was idle too');
	const busy2 = new Client(server);
	assert.equal((await loginPassword(busy2, account, GOOD_PASSWORD)).status, 200);
	for (let h = 0; h < 7 * 24; h += 10) {
		await step(10 * 3600);
		if (h + 10 < 7 * 24)
			assert.equal((await busy2.session()).authenticated, true, `after ${h + 10} h`);
	}
	assert.equal((await busy2.session()).authenticated, false, 'after 7 days');
	// The remembered one was idle for days and is still there.
	assert.equal((await remembered.session()).authenticated, true);
	await step(22 * 86400);
	assert.equal((await remembered.session()).authenticated, false, 'after 30 days');
});
