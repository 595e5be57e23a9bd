// 23-auth-throttle: repeated failed sign-ins meet growing delays (429
// login_throttled with Retry-After) and then a 15-minute lock
// (account_locked after 10 failures); the clock hook passes the delays.
// And the password-hash cap: more hashes at once than hash_concurrency get
// 429 busy with Retry-After, never a 5xx.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError } from './lib.mjs';
import {
	Client, TEST_MODE, GOOD_PASSWORD, uniques, register, loginPassword, solveCaptcha,
	advanceClock, sendSms, resendSms,
} from './auth-lib.mjs';

let server;
const u = uniques('47');

before(async () => {
	server = await startServer({ args: [...TEST_MODE, '--sms-ip-hourly-limit', '100000'] });
});
after(() => server?.stop());

function retryAfter(res) {
	assert.match(res.headers['retry-after'] || '', /^\d+$/, `Retry-After: ${res.text}`);
	return Number(res.headers['retry-after']);
}

// Fails to sign in until the account locks (or `stop` failures). The wait
// the server asks for after n failures is min(2^(n-3), 60) s; the test
// moves the clock by exactly that. `from`: failures already counted.
// Returns {failures (in all), waits (by failure count), locked}.
async function failUntilLocked(c, login, { from = 0, stop = Infinity } = {}) {
	let failures = from;
	const waits = {};
	for (let i = 0; i < 40 && failures < stop; i++) {
		// A fresh captcha first, so the attempt follows the last at once.
		const cap = await solveCaptcha(c);
		const r = await loginPassword(c, login, 'Wrong-password-1', { captcha: cap });
		if (r.status === 401) {
			assertError(r, 401, 'bad_credentials');
			failures++;
			continue;
		}
		if (r.json?.error?.code === 'account_locked') {
			assertError(r, 429, 'account_locked');
			return { failures, waits, locked: r };
		}
		assertError(r, 429, 'login_throttled', `after ${failures} failures`);
		assert.match(r.json.error.message, /秒/);
		const ra = retryAfter(r);
		const want = Math.min(2 ** (failures - 3), 60);
		// A second of real time may have passed since the failure.
		assert.ok(ra <= want && ra >= Math.max(1, want - 1), `after ${failures} failures: Retry-After ${ra}, want ${want}`);
		assert.equal(waits[failures], undefined, `throttled twice after ${failures} failures`);
		waits[failures] = ra;
		// The throttled attempt is not a failure: retrying at once is refused again.
		const again = await loginPassword(c, login, 'Wrong-password-1', { captcha: cap });
		assertError(again, 429, 'login_throttled');
		await advanceClock(c, ra);
	}
	assert.ok(failures >= stop, 'never locked');
	return { failures, waits, locked: null };
}

test('failed sign-ins: 1, 2, 4 … 60 s waits from the third, then a 15-minute lock after ten', async () => {
	const c = new Client(server);
	const phone = u.phone();
	const account = u.account('lock');
	await register(new Client(server), { account, phone });

	const { failures, waits, locked } = await failUntilLocked(c, account);
	assert.equal(failures, 10);
	// From the fourth failure on, every wait was asked for (the one after
	// the third is only 1 s and a tick of the real clock may skip it).
	for (let n = 4; n <= 9; n++)
		assert.ok(waits[n] !== undefined, `a wait after ${n} failures: ${JSON.stringify(waits)}`);
	assert.ok(waits[9] >= 59, JSON.stringify(waits));
	const ra = retryAfter(locked);
	assert.ok(ra > 700 && ra <= 900, `lock Retry-After ${ra}`);
	assert.match(locked.json.error.message, /锁定/);
	assert.match(locked.json.error.message, /分钟/);

	// Locked: even the right password, by name or by number, is refused.
	for (const login of [account, account.toUpperCase(), phone, `+86 ${phone}`])
		assertError(await loginPassword(c, login, GOOD_PASSWORD), 429, 'account_locked', login);
	// Other accounts are not locked.
	const other = u.account('free');
	await register(new Client(server), { account: other, phone: u.phone() });
	assert.equal((await loginPassword(new Client(server), other, GOOD_PASSWORD)).status, 200);
	// SMS sign-in still works for the owner.
	const code = await resendSms(c, phone, 'login');
	const viaSms = await new Client(server).post('/api/v1/login', { method: 'sms', phone, sms_code: code });
	assert.equal(viaSms.status, 200, viaSms.text);

	// After the lock, the right password works and clears the count.
	await advanceClock(c, ra);
	const ok = await loginPassword(new Client(server), account, GOOD_PASSWORD);
	assert.equal(ok.status, 200, ok.text);
	for (let i = 0; i < 2; i++)
		assertError(await loginPassword(c, account, 'Wrong-password-1'), 401, 'bad_credentials');
	assert.equal((await loginPassword(new Client(server), account, GOOD_PASSWORD)).status, 200);
});

test('an unknown account is throttled the same way (no hint that it does not exist)', async () => {
	const c = new Client(server);
	const { failures } = await failUntilLocked(c, u.account('ghost'));
	assert.equal(failures, 10);
	await advanceClock(c, 901);
});

test('failures by number and by name count together; a password reset lifts the lock', async () => {
	const c = new Client(server);
	const phone = u.phone();
	const account = u.account('rl');
	await register(new Client(server), { account, phone });
	const half = await failUntilLocked(c, `+86 ${phone}`, { stop: 5 });
	assert.equal(half.failures, 5);
	// The count goes on under the name: it does not start again.
	const { failures, waits } = await failUntilLocked(c, account.toUpperCase(), { from: 5 });
	assert.equal(failures, 10);
	assert.ok(Object.keys(waits).every((n) => Number(n) >= 5), JSON.stringify(waits));
	assertError(await loginPassword(c, phone, GOOD_PASSWORD), 429, 'account_locked');
	assertError(await loginPassword(c, account, GOOD_PASSWORD), 429, 'account_locked');
	const code = await resendSms(c, phone, 'reset');
	const next = 'After-lock-2026';
	const r = await c.post('/api/v1/password/reset', { phone, sms_code: code, password: next, password_confirm: next });
	assert.equal(r.status, 200, r.text);
	assert.equal((await loginPassword(new Client(server), phone, next)).status, 200);
	assert.equal((await loginPassword(new Client(server), account, next)).status, 200);
	await advanceClock(c, 901);
});

test('the hash cap: with --hash-concurrency 1, concurrent sign-ins get 429 busy, never 5xx', async () => {
	const s = await startServer({ args: [...TEST_MODE, '--hash-concurrency', '1', '--threads', '4'] });
	try {
		const c = new Client(s);
		const account = u.account('busy');
		await register(c, { account, phone: u.phone() });
		// Eight at once. Which worker accepts a connection is up to the
		// kernel, and one worker may take them all and run them in turn:
		// then nothing overlaps, so a burst without a 429 is tried again.
		const all = [];
		let busy = [];
		for (let burst = 0; burst < 5 && !busy.length; burst++) {
			const clients = Array.from({ length: 8 }, () => new Client(s));
			const caps = [];
			for (const cl of clients) {
				await cl.session();
				caps.push(await solveCaptcha(cl));
			}
			const results = await Promise.all(clients.map((cl, i) =>
				loginPassword(cl, account, GOOD_PASSWORD, { captcha: caps[i] })));
			all.push(...results);
			busy = results.filter((r) => r.status === 429);
		}
		const statuses = all.map((r) => r.status);
		assert.ok(statuses.every((st) => st < 500), `no 5xx: ${statuses}`);
		assert.ok(statuses.every((st) => st === 200 || st === 429), `${statuses}`);
		assert.ok(busy.length >= 1, `at least one 429: ${statuses}`);
		assert.ok(statuses.includes(200), `at least one sign-in: ${statuses}`);
		for (const r of busy) {
			assertError(r, 429, 'busy');
			assert.ok(retryAfter(r) >= 1);
			assert.match(r.json.error.message, /稍后/);
		}
		// Registration hashes too: it is refused the same way under load.
		const regs = [];
		for (let i = 0; i < 6; i++) {
			const cl = new Client(s);
			const phone = u.phone();
			const code = await sendSms(cl, phone, 'register');
			regs.push({ cl, phone, code });
		}
		const regResults = await Promise.all(regs.map(({ cl, phone, code }) => cl.post('/api/v1/register', {
			account: u.account('rb'), phone, password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD, sms_code: code, agree: true,
		})));
		const rs = regResults.map((r) => r.status);
		assert.ok(rs.every((st) => st === 201 || st === 429), `${rs}`);
		for (const r of regResults.filter((x) => x.status === 429))
			assertError(r, 429, 'busy');
		// A busy answer is not a failed sign-in: nothing is throttled after.
		const after1 = await loginPassword(new Client(s), account, GOOD_PASSWORD);
		assert.equal(after1.status, 200, after1.text);
		assert.ok(s.alive());
	} finally {
		await s.stop();
	}
});
