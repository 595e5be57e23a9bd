// 22-auth-input: what the account forms refuse, and why: weak, mismatched
// and over-long passwords, taken accounts and numbers, malformed numbers,
// bad account names, the agreement box, unknown fields, and the CSRF token
// on every POST route (missing or wrong: 403, and nothing happens).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, assertError } from './lib.mjs';
import {
	Client, TEST_MODE, GOOD_PASSWORD, uniques, sendSms, register, loginPassword,
	loginSms, assertField, solveCaptcha,
} from './auth-lib.mjs';

let server;
const u = uniques('76');

before(async () => {
	// Hundreds of sign-in requests within seconds from 127.0.0.1: over the
	// per-address limit in front of them (26-auth-flood tests that limit).
	server = await startServer({
		args: [...TEST_MODE, '--sms-ip-hourly-limit', '100000', '--auth-rate-limit', '0'],
	});
});
after(() => server?.stop());

// A register body with everything right but what `over` changes.
function regBody(over) {
	return {
		account: u.account('in'), phone: u.phone(), password: GOOD_PASSWORD,
		password_confirm: GOOD_PASSWORD, sms_code: '000000', agree: true, ...over,
	};
}

test('passwords: too short, one kind of character, the account name, mismatched, too long', async () => {
	const c = new Client(server);
	const phone = u.phone();
	const account = 'Zhang_San99';
	// A real code: none of the refusals below may use it up.
	const code = await sendSms(c, phone, 'register');
	const cases = [
		['Ab1-xyz', /8/, 'seven characters'],
		['abcdefghij', /两种/, 'letters only'],
		['1234567890', /两种/, 'digits only'],
		['!@#$%^&*()', /两种/, 'symbols only'],
		['ABCDEFGHIJKLMNOP', /两种/, 'capitals only'],
		['zhang_san99', /账号/, 'the account, other case'],
		['ZHANG_SAN99', /账号/, 'the account, upper case'],
		[`${'a1'.repeat(32)}b`, /64/, '65 ASCII characters'],
		[`${'密'.repeat(45)}a1`, /64/, '47 characters but 137 bytes'],
	];
	for (const [password, why, what] of cases) {
		const r = await c.post('/api/v1/register', { account, phone, password, password_confirm: password, sms_code: code, agree: true });
		const f = assertField(r, 'password', 'weak_password', what);
		assert.match(f.message, /密码/, what);
		assert.match(f.message, why, what);
		assert.equal(c.sessionCookie(), undefined);
	}
	// Over 200 characters, the reader refuses it before the rules do.
	const huge = 'Aa1-'.repeat(60);
	const r = await c.post('/api/v1/register', { account, phone, password: huge, password_confirm: huge, sms_code: code, agree: true });
	assert.equal(r.status, 422, r.text);
	assert.ok(r.json.error.fields.some((f) => f.field === 'password' && /密码/.test(f.message)), r.text);
	// Mismatched, and missing.
	const m = await c.post('/api/v1/register', { account, phone, password: GOOD_PASSWORD, password_confirm: `${GOOD_PASSWORD}x`, sms_code: code, agree: true });
	assert.match(assertField(m, 'password_confirm', 'mismatch').message, /两次输入的密码不一致/);
	const none = await c.post('/api/v1/register', { account, phone, sms_code: code, agree: true });
	assert.match(assertField(none, 'password', 'required').message, /密码/);
	assertField(none, 'password_confirm', 'required');

	// 64 characters (and 128 bytes) is allowed; the code still works.
	const longest = `${'密'.repeat(42)}${'a1'.repeat(11)}`;
	assert.equal([...longest].length, 64);
	assert.equal(Buffer.byteLength(longest), 148);
	const tooManyBytes = await c.post('/api/v1/register', { account, phone, password: longest, password_confirm: longest, sms_code: code, agree: true });
	assertField(tooManyBytes, 'password', 'weak_password', '64 characters but 148 bytes');
	const ascii64 = `${'Ab3-'.repeat(16)}`;
	const ok = await c.post('/api/v1/register', { account, phone, password: ascii64, password_confirm: ascii64, sms_code: code, agree: true });
	assert.equal(ok.status, 201, ok.text);
	assert.equal((await loginPassword(new Client(server), account, ascii64)).status, 200);
	// Over-long passwords never sign in, and are answered at once.
	const t0 = Date.now();
	assertError(await loginPassword(new Client(server), account, `${ascii64}x`), 401, 'bad_credentials');
	assertError(await loginPassword(new Client(server), account, 'x'.repeat(3000)), 401, 'bad_credentials');
	assert.ok(Date.now() - t0 < 5000);
});

test('taken: the account regardless of case, and the number', async () => {
	const c = new Client(server);
	const phone = u.phone();
	const account = u.account('Dup');
	await register(c, { account, phone });
	const other = new Client(server);
	const phone2 = u.phone();
	const code = await sendSms(other, phone2, 'register');
	for (const name of [account, account.toUpperCase(), account.toLowerCase()]) {
		const r = await other.post('/api/v1/register', regBody({ account: name, phone: phone2, sms_code: code }));
		assert.match(assertField(r, 'account', 'account_taken', name).message, /账号/);
	}
	// None of that used the code up.
	const ok = await other.post('/api/v1/register', regBody({ phone: phone2, sms_code: code }));
	assert.equal(ok.status, 201, ok.text);

	// A number taken after its registration code was sent: here by an
	// SMS sign-in (another purpose, so the register code lives on).
	const late = new Client(server);
	const phone3 = u.phone();
	const regCode = await sendSms(late, phone3, 'register');
	assert.equal((await loginSms(new Client(server), phone3, { wait: true })).status, 201);
	for (const p of [phone3, `+86 ${phone3}`, `0086${phone3}`]) {
		const r = await late.post('/api/v1/register', regBody({ phone: p, sms_code: regCode }));
		assert.match(assertField(r, 'phone', 'phone_taken', p).message, /手机号/);
	}
	// Both at once: both reported.
	const both = await late.post('/api/v1/register', regBody({ account, phone: phone3, sms_code: regCode }));
	assertField(both, 'account', 'account_taken');
	assertField(both, 'phone', 'phone_taken');
	assert.equal(late.sessionCookie(), undefined);
});

test('malformed phone numbers are refused everywhere, naming the field', async () => {
	const c = new Client(server);
	const bad = [
		'1380013800', '138001380001', '23800138000', '12800138000', '1380013800a',
		'+1 650 253 0000', '+1 212 555 0100', '+8613800138000 0', '138.0013.8000', '+86+13800138000', '８６13800138000',
		'0086 1380013800', '861380013800', '(138)00138000', '1'.repeat(25),
	];
	for (const phone of bad) {
		const cap = await solveCaptcha(c);
		const r = await c.post('/api/v1/sms-codes', { phone, purpose: 'login', ...cap });
		assert.equal(r.status, 422, `${phone}: ${r.text}`);
		const f = r.json.error.fields.find((x) => x.field === 'phone');
		assert.ok(f && ['phone_format', 'too_long'].includes(f.code), `${phone}: ${r.text}`);
		assert.match(f.message, /手机号/, phone);
		const l = await c.post('/api/v1/login', { method: 'sms', phone, sms_code: '123456' });
		assert.ok(l.json.error.fields.some((x) => x.field === 'phone'), `${phone}: ${l.text}`);
		const g = await c.post('/api/v1/register', regBody({ phone }));
		assert.ok(g.json.error.fields.some((x) => x.field === 'phone'), `${phone}: ${g.text}`);
	}
	for (const phone of ['', '   ', null]) {
		const r = await c.post('/api/v1/register', regBody({ phone }));
		assertField(r, 'phone', 'required', JSON.stringify(phone));
	}
	assertField(await c.post('/api/v1/register', regBody({ phone: 13800138000 })), 'phone', 'type');
});

test('account names: 4–20 letters, digits or underscores, not a phone number', async () => {
	const c = new Client(server);
	const bad = ['abc', 'a'.repeat(21), 'ab-cd', 'ab cd', '张三李四', 'abc!', 'abcd.efg', 'ab@cd', 'tab\tx', 'émile'];
	for (const account of bad) {
		const r = await c.post('/api/v1/register', regBody({ account }));
		assert.equal(r.status, 422, `${account}: ${r.text}`);
		const f = r.json.error.fields.find((x) => x.field === 'account');
		assert.ok(f && ['account_format', 'too_long'].includes(f.code), `${account}: ${r.text}`);
		assert.match(f.message, /账号/, account);
	}
	// A name that is a phone number would be read as one at sign-in.
	for (const account of ['13912345678', '8613912345678']) {
		const r = await c.post('/api/v1/register', regBody({ account }));
		assert.match(assertField(r, 'account', 'account_format', account).message, /账号/);
	}
	assertField(await c.post('/api/v1/register', regBody({ account: '' })), 'account', 'required');
	// The edges are fine: 4 and 20 characters, digits only, underscores.
	for (const account of ['w_4x', 'Twenty_chars_name_20', '12345678', '1380013800']) {
		const phone = u.phone();
		const r = await register(new Client(server), { account, phone, expect: null });
		assert.equal(r.status, 201, `${account}: ${r.text}`);
		assert.equal(r.json.user.account, account);
	}
});

test('the agreement box must be ticked (true, not "true")', async () => {
	const c = new Client(server);
	for (const agree of [undefined, false, 'true', 1, null]) {
		const body = regBody({ agree });
		if (agree === undefined)
			delete body.agree;
		const r = await c.post('/api/v1/register', body);
		const f = assertField(r, 'agree', 'required', JSON.stringify(agree));
		assert.match(f.message, /协议/);
	}
});

test('unknown fields and wrong types are refused; problems come back all at once', async () => {
	const c = new Client(server);
	const r = await c.post('/api/v1/register', { ...regBody({}), role: 'platform_admin' });
	assertField(r, 'role', 'unknown_field');
	const all = await c.post('/api/v1/register', { account: 'a!', phone: '123', password: 'short', password_confirm: 'x', sms_code: '12', agree: false });
	for (const field of ['account', 'phone', 'password', 'sms_code', 'agree'])
		assert.ok(all.json.error.fields.some((f) => f.field === field), `${field}: ${all.text}`);
	const m = await c.post('/api/v1/login', { method: 'fingerprint', login: 'x' });
	assertField(m, 'method', 'invalid');
	assertField(await c.post('/api/v1/login', {}), 'method', 'required');
	assertField(await c.post('/api/v1/login', { method: 'password', login: 'someone', password: 'x', remember: 'yes', ...(await solveCaptcha(c)) }), 'remember', 'type');
	assertField(await c.post('/api/v1/login', { method: 'password', password: GOOD_PASSWORD, ...(await solveCaptcha(c)) }), 'login', 'required');
	assertField(await c.post('/api/v1/login', { method: 'password', login: 'someone', ...(await solveCaptcha(c)) }), 'password', 'required');
	// Not JSON: 400 / 415 in the one error shape.
	assertError(await c.post('/api/v1/register', '{"account":'), 400, 'invalid_json');
	assertError(await c.post('/api/v1/register', 'account=x', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
});

// Every POST route and a body it would accept.
const POSTS = [
	['/api/v1/sms-codes', () => ({ phone: '13912340000', purpose: 'login', captcha_id: 'x', captcha_answer: 'ABCD' })],
	['/api/v1/register', () => regBody({})],
	['/api/v1/login', () => ({ method: 'password', login: 'someone', password: GOOD_PASSWORD, captcha_id: 'x', captcha_answer: 'ABCD' })],
	['/api/v1/logout', () => undefined],
	['/api/v1/logout-all', () => undefined],
	['/api/v1/password/reset', () => ({ phone: '13912340000', sms_code: '123456', password: 'Another-2026', password_confirm: 'Another-2026' })],
	['/api/v1/password/change', () => ({ current_password: GOOD_PASSWORD, password: 'Another-2026', password_confirm: 'Another-2026' })],
	['/api/v1/test/clock', () => ({ seconds: 0 })],
];

test('CSRF: every POST route refuses a missing or wrong X-CSRF-Token with 403 (signed in)', async () => {
	const c = new Client(server);
	const phone = u.phone();
	await register(c, { account: u.account('csrf'), phone });
	const anonToken = c.jar.get('saiwu_csrf');
	assert.ok(anonToken, 'the anonymous CSRF cookie is still there');
	assert.notEqual(c.csrf, anonToken);
	const wrongs = [
		['missing', false],
		['empty', ''],
		['wrong', 'f'.repeat(64)],
		['the anonymous one', anonToken],
		['the signed-in one, altered', c.csrf.slice(0, -1) + (c.csrf.endsWith('0') ? '1' : '0')],
	];
	for (const [path, body] of POSTS) {
		for (const [what, token] of wrongs) {
			const r = await c.post(path, body(), { csrf: token });
			assertError(r, 403, 'csrf_failed', `${path} with ${what} token`);
			assert.match(r.json.error.message, /CSRF/);
		}
	}
	// Nothing happened: still signed in, same session.
	const s = await c.session();
	assert.equal(s.authenticated, true);
	// The right token works.
	assert.equal((await c.post('/api/v1/test/clock', { seconds: 0 })).status, 200);
	assert.equal((await c.post('/api/v1/logout')).status, 200);
});

test('CSRF: signed out, the token must repeat the anonymous cookie', async () => {
	const c = new Client(server);
	await c.session();
	const token = c.csrf;
	for (const [path, body] of POSTS) {
		const session = path === '/api/v1/logout-all' || path === '/api/v1/password/change';
		for (const [what, opts] of [
			['missing', { csrf: false }],
			['wrong', { csrf: 'A'.repeat(43) }],
			['no cookie', { csrf: token, cookies: false }],
		]) {
			const r = await c.post(path, body(), opts);
			// Routes for signed-in users say so first.
			if (session)
				assertError(r, 401, 'login_required', `${path} ${what}`);
			else
				assertError(r, 403, 'csrf_failed', `${path} ${what}`);
		}
	}
	// A token from another browser's cookie does not pass either.
	const other = new Client(server);
	await other.session();
	assertError(await c.post('/api/v1/test/clock', { seconds: 0 }, { csrf: other.csrf }), 403, 'csrf_failed');
	// CSRF is checked before anything else: no code was sent.
	const phone = u.phone();
	const cap = await solveCaptcha(c);
	assertError(await c.post('/api/v1/sms-codes', { phone, purpose: 'login', ...cap }, { csrf: false }), 403, 'csrf_failed');
	assert.equal((await c.get(`/api/v1/test/sms/${phone}`)).status, 404);
	// … and the captcha was not used up by the refused request.
	const ok = await c.post('/api/v1/sms-codes', { phone, purpose: 'login', ...cap });
	assert.equal(ok.status, 201, ok.text);
	// Sign-in by SMS with a forged request does nothing either.
	const code = (await c.get(`/api/v1/test/sms/${phone}`)).json.code;
	assertError(await c.post('/api/v1/login', { method: 'sms', phone, sms_code: code }, { csrf: false }), 403, 'csrf_failed');
	const real = await c.post('/api/v1/login', { method: 'sms', phone, sms_code: code });
	assert.equal(real.status, 201, real.text);
	// GET is never checked.
	assert.equal((await request(server, '/api/v1/session')).status, 200);
});

test('logout and logout-all without the token leave the sessions alone', async () => {
	const a = new Client(server);
	const b = new Client(server);
	const phone = u.phone();
	const account = u.account('keep');
	await register(a, { account, phone });
	assert.equal((await loginSms(b, phone, { wait: true })).status, 200);
	assertError(await a.post('/api/v1/logout-all', undefined, { csrf: false }), 403, 'csrf_failed');
	assertError(await a.post('/api/v1/logout', undefined, { csrf: 'nope' }), 403, 'csrf_failed');
	assert.equal((await a.session()).authenticated, true);
	assert.equal((await b.session()).authenticated, true);
});
