// 21-auth-codes: the single-use secrets of sign-in. Captchas (wrong,
// expired, reused, case), SMS codes (wrong, expired, reused, too many
// tries, replaced by a newer one), the send limits (60 s, 5 an hour, 10 a
// day per number, N an hour per address) and what a failing SMS provider
// leaves behind (nothing usable). The server clock is moved with the test
// hook; one shared server, plus servers of their own where settings differ.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError } from './lib.mjs';
import { startFakeSms } from './fake-sms.mjs';
import {
	Client, TEST_MODE, GOOD_PASSWORD, uniques, solveCaptcha, smsCode, sendSms,
	requestSms, resendSms, advanceClock, register, loginPassword, assertField,
} from './auth-lib.mjs';

let server;
const u = uniques('58');

before(async () => {
	server = await startServer({ args: [...TEST_MODE, '--sms-ip-hourly-limit', '100000'] });
});
after(() => server?.stop());

// A six-digit code that is surely not `code`.
const otherCode = (code, k = 1) => String((Number(code) + k) % 1000000).padStart(6, '0');

function retryAfter(res) {
	const v = res.headers['retry-after'];
	assert.match(v || '', /^\d+$/, `Retry-After on ${res.status}: ${v}`);
	return Number(v);
}

// A 429 with the code, a Retry-After in [lo, hi] and a Chinese message.
function assertTooMany(res, code, lo, hi, what = '') {
	assertError(res, 429, code, what);
	const ra = retryAfter(res);
	assert.ok(ra >= lo && ra <= hi, `${what}: Retry-After ${ra} not in [${lo}, ${hi}]`);
	assert.match(res.json.error.message, /[\u4e00-\u9fff]/);
	return ra;
}

test('captcha: a wrong answer is refused and uses the captcha up', async () => {
	const c = new Client(server);
	const phone = u.phone();
	const cap = await solveCaptcha(c);
	const wrong = cap.captcha_answer.split('').reverse().join('') === cap.captcha_answer
		? 'WXYZ' : cap.captcha_answer.split('').reverse().join('');
	const r1 = await c.post('/api/v1/sms-codes', { phone, purpose: 'register', captcha_id: cap.captcha_id, captcha_answer: wrong });
	const f = assertField(r1, 'captcha_answer', 'captcha_wrong');
	assert.match(f.message, /图形验证码/);
	assert.equal(await smsCode(c, phone), null, 'no code was sent');
	// The right answer comes too late: the captcha is gone.
	const r2 = await c.post('/api/v1/sms-codes', { phone, purpose: 'register', ...cap });
	assertField(r2, 'captcha_answer', 'captcha_expired');
	assert.equal(await smsCode(c, phone), null);
});

test('captcha: answers are case-insensitive and single use', async () => {
	const c = new Client(server);
	const cap = await solveCaptcha(c);
	const phone = u.phone();
	const r1 = await c.post('/api/v1/sms-codes', {
		phone, purpose: 'login', captcha_id: cap.captcha_id, captcha_answer: cap.captcha_answer.toLowerCase(),
	});
	assert.equal(r1.status, 201, r1.text);
	assert.deepEqual(r1.json, {
		sent: true, phone_masked: `${phone.slice(0, 3)}****${phone.slice(7)}`, resend_after: 60, expires_in: 300,
	});
	// Reused, for another number: refused.
	const r2 = await c.post('/api/v1/sms-codes', { phone: u.phone(), purpose: 'login', ...cap });
	assertField(r2, 'captcha_answer', 'captcha_expired');
	// Reused for a password sign-in: refused as well.
	const acct = u.account('cap');
	await register(new Client(server), { account: acct, phone: u.phone() });
	assertField(await loginPassword(c, acct, GOOD_PASSWORD, { captcha: cap }), 'captcha_answer', 'captcha_expired');
	// An id that never existed, and a missing captcha.
	assertField(await c.post('/api/v1/sms-codes', {
		phone: u.phone(), purpose: 'login', captcha_id: 'x'.repeat(43), captcha_answer: 'ABCD',
	}), 'captcha_answer', 'captcha_expired');
	assertField(await c.post('/api/v1/sms-codes', { phone: u.phone(), purpose: 'login' }), 'captcha_answer', 'required');
	const onlyAnswer = await c.post('/api/v1/sms-codes', { phone: u.phone(), purpose: 'login', captcha_answer: 'ABCD' });
	assertField(onlyAnswer, 'captcha_id', 'required');
});

test('captcha: it expires after five minutes (clock moved 301 s)', async () => {
	const c = new Client(server);
	const early = await solveCaptcha(c);
	const late = await solveCaptcha(c);
	await advanceClock(c, 290);
	const ok = await c.post('/api/v1/sms-codes', { phone: u.phone(), purpose: 'login', ...early });
	assert.equal(ok.status, 201, `still valid after 290 s: ${ok.text}`);
	await advanceClock(c, 11);
	const gone = await c.post('/api/v1/sms-codes', { phone: u.phone(), purpose: 'login', ...late });
	const f = assertField(gone, 'captcha_answer', 'captcha_expired');
	assert.match(f.message, /失效/);
	// Also on the sign-in form.
	const acct = u.account('exp');
	await register(new Client(server), { account: acct, phone: u.phone() });
	const cap = await solveCaptcha(c);
	await advanceClock(c, 301);
	assertField(await loginPassword(c, acct, GOOD_PASSWORD, { captcha: cap }), 'captcha_answer', 'captcha_expired');
});

test('captcha: a wrong answer on the sign-in form is refused before the password is looked at', async () => {
	const c = new Client(server);
	const acct = u.account('cpw');
	await register(new Client(server), { account: acct, phone: u.phone() });
	const cap = await solveCaptcha(c);
	const res = await loginPassword(c, acct, GOOD_PASSWORD, { captcha: { ...cap, captcha_answer: cap.captcha_answer === 'AAAA' ? 'BBBB' : 'AAAA' } });
	assertField(res, 'captcha_answer', 'captcha_wrong');
	assert.equal(c.sessionCookie(), undefined);
	const ok = await loginPassword(c, acct, GOOD_PASSWORD);
	assert.equal(ok.status, 200, ok.text);
});

test('SMS code: a wrong one says how many tries are left; the right one then works', async () => {
	const c = new Client(server);
	const phone = u.phone();
	const code = await sendSms(c, phone, 'register');
	const body = (sms_code) => ({
		account: u.account('smw'), phone, password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD, sms_code, agree: true,
	});
	const r1 = await c.post('/api/v1/register', body(otherCode(code)));
	const f = assertField(r1, 'sms_code', 'sms_code_wrong');
	assert.match(f.message, /短信验证码错误.*4/);
	assert.equal(c.sessionCookie(), undefined);
	const r2 = await c.post('/api/v1/register', body(otherCode(code, 2)));
	assert.match(assertField(r2, 'sms_code', 'sms_code_wrong').message, /3/);
	const ok = await c.post('/api/v1/register', body(code));
	assert.equal(ok.status, 201, ok.text);
	// Malformed codes never reach the check.
	for (const bad of ['12345', '1234567', 'abcdef', '12 456']) {
		const r = await c.post('/api/v1/login', { method: 'sms', phone, sms_code: bad });
		assert.equal(r.status, 422, `${bad}: ${r.text}`);
		assert.ok(r.json.error.fields.some((x) => x.field === 'sms_code'), r.text);
	}
});

test('SMS code: five wrong tries kill it, even if the right one comes next', async () => {
	const c = new Client(server);
	const phone = u.phone();
	const code = await sendSms(c, phone, 'login');
	const codes = [];
	for (let i = 1; i <= 5; i++) {
		const r = await c.post('/api/v1/login', { method: 'sms', phone, sms_code: otherCode(code, i) });
		assert.equal(r.status, 422, r.text);
		codes.push(r.json.error.fields.find((x) => x.field === 'sms_code')?.code);
	}
	// The fifth wrong try is the last: it says so.
	assert.deepEqual(codes, ['sms_code_wrong', 'sms_code_wrong', 'sms_code_wrong', 'sms_code_wrong', 'sms_code_dead']);
	const right = await c.post('/api/v1/login', { method: 'sms', phone, sms_code: code });
	assertField(right, 'sms_code', 'sms_code_expired', 'the right code after five wrong ones');
	assert.equal(c.sessionCookie(), undefined);
	assert.equal((await c.session()).authenticated, false);
	// A new code (after the 60 s) works.
	await advanceClock(c, 61);
	const fresh = await sendSms(c, phone, 'login');
	const ok = await c.post('/api/v1/login', { method: 'sms', phone, sms_code: fresh });
	assert.equal(ok.status, 201, ok.text);
});

test('SMS code: it expires after five minutes (clock moved 301 s)', async () => {
	const c = new Client(server);
	const phone = u.phone();
	const code = await sendSms(c, phone, 'login');
	await advanceClock(c, 301);
	const r = await c.post('/api/v1/login', { method: 'sms', phone, sms_code: code });
	const f = assertField(r, 'sms_code', 'sms_code_expired');
	assert.match(f.message, /短信验证码/);
	assert.equal(c.sessionCookie(), undefined);
});

test('SMS code: used once, it is gone; a newer code replaces an older one', async () => {
	const c = new Client(server);
	const phone = u.phone();
	const code = await sendSms(c, phone, 'login');
	const ok = await c.post('/api/v1/login', { method: 'sms', phone, sms_code: code });
	assert.equal(ok.status, 201, ok.text);
	const again = await new Client(server).post('/api/v1/login', { method: 'sms', phone, sms_code: code });
	assertField(again, 'sms_code', 'sms_code_expired');

	const first = await resendSms(c, phone, 'login');
	const second = await resendSms(c, phone, 'login');
	if (first !== second) {
		const old = await new Client(server).post('/api/v1/login', { method: 'sms', phone, sms_code: first });
		assert.equal(old.status, 422, `the older code is dead: ${old.text}`);
	}
	const r = await new Client(server).post('/api/v1/login', { method: 'sms', phone, sms_code: second });
	assert.equal(r.status, 200, r.text);
	// A code is for its purpose only: a sign-in code does not register.
	await advanceClock(c, 61);
	const p2 = u.phone();
	const loginCode = await sendSms(c, p2, 'login');
	const reg = await c.post('/api/v1/register', {
		account: u.account('pur'), phone: p2, password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD, sms_code: loginCode, agree: true,
	});
	assertField(reg, 'sms_code', 'sms_code_expired');
});

test('sending: 60 s between codes for one number, Retry-After counts down', async () => {
	const c = new Client(server);
	const phone = u.phone();
	await sendSms(c, phone, 'login');
	const r1 = await requestSms(c, phone, 'login');
	assertTooMany(r1, 'sms_too_soon', 55, 60, 'at once');
	const f = r1.json.error.fields.find((x) => x.field === 'phone');
	assert.equal(f?.code, 'sms_too_soon', r1.text);
	assert.match(r1.json.error.message, /秒/);
	// Another purpose does not get round it.
	assertTooMany(await requestSms(c, phone, 'register'), 'sms_too_soon', 55, 60, 'other purpose');
	// Another number is not held up.
	assert.equal((await requestSms(c, u.phone(), 'login')).status, 201);
	await advanceClock(c, 30);
	assertTooMany(await requestSms(c, phone, 'login'), 'sms_too_soon', 25, 30, 'after 30 s');
	await advanceClock(c, 31);
	const ok = await requestSms(c, phone, 'login');
	assert.equal(ok.status, 201, ok.text);
});

test('sending: at most 5 codes an hour and 10 a day for one number', async () => {
	const c = new Client(server);
	const phone = u.phone();
	// The server clock is real time plus the test offset, so wall time spent
	// here (long under ASan: every send solves a captcha) shortens the waits.
	const t0 = Date.now();
	const spent = () => Math.ceil((Date.now() - t0) / 1000) + 2;
	await sendSms(c, phone, 'login');
	for (let i = 2; i <= 5; i++)
		await resendSms(c, phone, 'login');
	await advanceClock(c, 61);
	// 305 s after the first code: the hour has 3295 s left.
	const ra = assertTooMany(await requestSms(c, phone, 'login'), 'sms_hourly_limit', 3295 - spent(), 3295, 'sixth in the hour');
	const hourly = await requestSms(c, phone, 'login');
	assert.equal(hourly.json.error.fields.find((x) => x.field === 'phone')?.code, 'sms_hourly_limit', hourly.text);
	// Waiting out Retry-After is enough.
	await advanceClock(c, ra);
	await sendSms(c, phone, 'login');
	// The next four an hour later, when none of the first five is in the
	// hour whatever wall time the first round took (61 s steps again would
	// race it: a slow first round leaves its codes inside the window).
	await advanceClock(c, 3600);
	await sendSms(c, phone, 'login');
	for (let i = 8; i <= 10; i++)
		await resendSms(c, phone, 'login');
	// Ten in the last 24 hours; none in the last hour.
	await advanceClock(c, 3600);
	const before = await smsCode(c, phone);
	const daily = await requestSms(c, phone, 'login');
	const left = 86400 - (305 + ra + 3600 + 3 * 61 + 3600);
	assertTooMany(daily, 'sms_daily_limit', left - spent(), left, 'eleventh in the day');
	assert.equal(daily.json.error.fields.find((x) => x.field === 'phone')?.code, 'sms_daily_limit');
	assert.match(daily.json.error.message, /今日/);
	// A refused request sends nothing.
	assert.equal(await smsCode(c, phone), before);
	// A day after the first code, it can send again.
	await advanceClock(c, retryAfter(daily));
	assert.equal((await requestSms(c, phone, 'login')).status, 201);
});

test('sending: register on a taken number and reset on an unknown one are refused', async () => {
	const c = new Client(server);
	const phone = u.phone();
	await register(c, { account: u.account('tkn'), phone });
	await advanceClock(c, 61);
	const taken = await requestSms(c, phone, 'register');
	assert.match(assertField(taken, 'phone', 'phone_taken').message, /手机号已注册/);
	const unknown = await requestSms(c, u.phone(), 'reset');
	assert.match(assertField(unknown, 'phone', 'phone_unknown').message, /手机号未注册/);
	const badPurpose = await requestSms(c, u.phone(), 'signup');
	assertField(badPurpose, 'purpose', 'invalid');
	const noPhone = await c.post('/api/v1/sms-codes', { purpose: 'login', ...(await solveCaptcha(c)) });
	assert.match(assertField(noPhone, 'phone', 'required').message, /手机号/);
	const extra = await c.post('/api/v1/sms-codes', { phone: u.phone(), purpose: 'login', template: 'x', ...(await solveCaptcha(c)) });
	assertField(extra, 'template', 'unknown_field');
});

test('sending: the per-address cap (--sms-ip-hourly-limit 3)', async () => {
	const s = await startServer({ args: [...TEST_MODE, '--sms-ip-hourly-limit', '3'] });
	try {
		const c = new Client(s);
		for (let i = 0; i < 3; i++)
			await sendSms(c, u.phone(), 'login');
		await advanceClock(c, 100);
		const phone = u.phone();
		const r = await requestSms(c, phone, 'login');
		assertTooMany(r, 'sms_ip_limit', 3490, 3500, 'fourth from the address');
		assert.match(r.json.error.message, /验证码次数过多/);
		assert.equal(await smsCode(c, phone), null);
		await advanceClock(c, retryAfter(r));
		assert.equal((await requestSms(c, phone, 'login')).status, 201);
	} finally {
		await s.stop();
	}
});

const KEY_ID = 'LTAIAUTHTESTKEY';
const SECRET = 'auth-test-secret';

function providerArgs(provider, url) {
	const a = [
		'--sms-provider', provider, '--sms-endpoint', url, '--sms-timeout', '3',
		'--sms-access-key-id', KEY_ID, '--sms-access-key-secret', SECRET,
		'--sms-sign-name', '数据要素大赛', '--sms-template-register', 'SMS_1',
		'--sms-template-login', 'SMS_2', '--sms-template-reset', 'SMS_3',
	];
	if (provider === 'tencent')
		a.push('--sms-sdk-app-id', '1400000000', '--sms-region', 'ap-guangzhou');
	return a;
}

// One server per provider setting; the fake (if any) answers in `mode`.
async function withProvider(provider, mode, fn) {
	const fake = mode ? await startFakeSms({ provider, keyId: KEY_ID, secret: SECRET, mode }) : null;
	const url = fake ? fake.url : 'http://127.0.0.1:9/';
	const s = await startServer({ args: [...TEST_MODE, ...providerArgs(provider, url)] });
	try {
		await fn(s, fake);
	} finally {
		await s.stop();
		await fake?.close();
	}
}

for (const [provider, mode] of [['aliyun', '500'], ['tencent', 'auth'], ['aliyun', 'auth'], ['aliyun', null]]) {
	test(`a failing SMS provider (${provider}, ${mode ?? 'unreachable'}): 502 sms_failed, no usable code`, async () => {
		await withProvider(provider, mode, async (s, fake) => {
			const c = new Client(s);
			const phone = u.phone();
			const r = await requestSms(c, phone, 'login');
			assertError(r, 502, 'sms_failed');
			assert.match(r.json.error.message, /短信发送失败/);
			if (fake)
				assert.equal(fake.received.length, 1);
			assert.equal(await smsCode(c, phone), null, 'the test hook shows no code');
			// Whatever code is tried, there is none: not even the one the
			// provider was given.
			const tries = ['123456'];
			if (fake?.received[0]?.code)
				tries.unshift(fake.received[0].code);
			for (const code of tries) {
				const l = await c.post('/api/v1/login', { method: 'sms', phone, sms_code: code });
				assertField(l, 'sms_code', 'sms_code_expired', code);
			}
			assert.equal((await c.session()).authenticated, false);
			// The failed send does not hold the number up for 60 s.
			const again = await requestSms(c, phone, 'login');
			assertError(again, 502, 'sms_failed');
		});
	});
}

test('a working SMS provider (aliyun fake): the code it delivers signs in', async () => {
	await withProvider('aliyun', 'ok', async (s, fake) => {
		const c = new Client(s);
		const phone = u.phone();
		const r = await requestSms(c, phone, 'login');
		assert.equal(r.status, 201, r.text);
		assert.equal(fake.received.length, 1);
		assert.equal(fake.received[0].signatureOk, true);
		assert.equal(fake.received[0].phone, phone);
		const code = fake.received[0].code;
		assert.equal(code, await smsCode(c, phone));
		const l = await c.post('/api/v1/login', { method: 'sms', phone, sms_code: code });
		assert.equal(l.status, 201, l.text);
	});
});
