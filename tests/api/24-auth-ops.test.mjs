// 24-auth-ops: the account machinery as an operator meets it. The test
// hooks exist only in test mode, which refuses production settings;
// cookie_secure names the cookies __Host-… and marks them Secure; `saiwu
// user add | passwd | ensure-admin` make accounts that sign in with their
// roles; and after a full round of sign-up and sign-in nothing in the
// database holds a password, captcha answer, SMS code, session token or
// the phone number in plain text.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, createStore, runSaiwu, request, assertError, STORE } from './lib.mjs';
import {
	Client, TEST_MODE, GOOD_PASSWORD, setCookies, solveCaptcha, smsCode,
	resendSms, register, loginPassword, advanceClock,
} from './auth-lib.mjs';

test('without test mode the test routes do not exist (404)', async () => {
	const s = await startServer();
	try {
		const c = new Client(s);
		const cap = await c.get('/api/v1/captcha');
		assert.equal(cap.status, 200);
		assertError(await c.get(`/api/v1/test/captchas/${cap.json.captcha_id}`), 404, 'not_found');
		assertError(await c.get('/api/v1/test/sms/13800138000'), 404, 'not_found');
		assertError(await c.post('/api/v1/test/clock', { seconds: 3600 }), 404, 'not_found');
		assertError(await c.post('/api/v1/test/clock', { seconds: 3600 }, { csrf: false }), 404, 'not_found');
	} finally {
		await s.stop();
	}
});

test('test mode refuses to start with env=production or cookie_secure=true', async () => {
	const cases = [
		{ args: [...TEST_MODE, '--env', 'production'] },
		{ args: [...TEST_MODE, '--cookie-secure', 'true'] },
		{ args: ['--env', 'production'], env: { SAIWU_TEST_MODE: 'true' } },
		{ args: [], env: { SAIWU_TEST_MODE: '1', SAIWU_COOKIE_SECURE: 'yes' } },
		{ args: [], config: 'test_mode = true\nenv = production\n' },
	];
	for (const opts of cases) {
		await assert.rejects(startServer(opts), (e) => {
			assert.match(e.message, /exited/, e.message);
			assert.match(e.message, /test_mode/, e.message);
			return true;
		}, JSON.stringify(opts));
	}
	// Each alone is fine.
	// Production also needs a real SMS provider (the outbox only records).
	const PROVIDER = ['--sms-provider', 'aliyun', '--sms-endpoint', 'http://127.0.0.1:9/',
		'--sms-access-key-id', 'id', '--sms-access-key-secret', 'secret', '--sms-sign-name', '数据要素大赛',
		'--sms-template-register', 'SMS_1', '--sms-template-login', 'SMS_2', '--sms-template-reset', 'SMS_3'];
	for (const args of [['--env', 'production', ...PROVIDER], ['--cookie-secure', 'true'], TEST_MODE]) {
		const s = await startServer({ args });
		await s.stop();
	}
});

test('env=production refuses the SMS outbox, naming the setting', async () => {
	await assert.rejects(startServer({ args: ['--env', 'production'] }), (e) => {
		assert.match(e.message, /sms_provider/, e.message);
		return true;
	});
});

test('cookie_secure: the session cookie is __Host-saiwu_session, Secure, and signs in', async () => {
	const store = createStore();
	try {
		// The captcha and the account come from a test-mode server on the
		// same store; then a cookie_secure server (no test hooks) signs in.
		const account = 'secure_user';
		const phone = '13912399001';
		let cap;
		{
			const a = await startServer({ store, args: TEST_MODE });
			try {
				const c = new Client(a);
				await register(c, { account, phone });
				cap = await solveCaptcha(c);
			} finally {
				await a.stop();
			}
		}
		const b = await startServer({ store, args: ['--cookie-secure', 'true'] });
		try {
			const c = new Client(b);
			const first = await c.get('/api/v1/session');
			const csrf = setCookies(first).find((x) => x.name === '__Host-saiwu_csrf');
			assert.ok(csrf, JSON.stringify(first.headers['set-cookie']));
			assert.equal(csrf.attrs.secure, true);
			assert.equal(csrf.attrs.path, '/');
			assert.equal(csrf.attrs.domain, undefined);
			assert.ok(!setCookies(first).some((x) => x.name === 'saiwu_csrf'));

			const res = await loginPassword(c, account, GOOD_PASSWORD, { captcha: cap, remember: true });
			assert.equal(res.status, 200, res.text);
			const cookies = setCookies(res);
			assert.ok(!cookies.some((x) => x.name === 'saiwu_session'), JSON.stringify(res.headers['set-cookie']));
			const sc = cookies.find((x) => x.name === '__Host-saiwu_session');
			assert.ok(sc, JSON.stringify(res.headers['set-cookie']));
			assert.match(sc.value, /^[A-Za-z0-9_-]{43}$/);
			assert.equal(sc.attrs.secure, true, sc.raw);
			assert.equal(sc.attrs.httponly, true, sc.raw);
			assert.equal(sc.attrs.samesite, 'Lax', sc.raw);
			assert.equal(sc.attrs.path, '/', sc.raw);
			assert.equal(sc.attrs.domain, undefined, sc.raw);
			assert.equal(sc.attrs['max-age'], '2592000', sc.raw);
			const s = await c.session();
			assert.equal(s.authenticated, true);
			assert.equal(s.user.account, account);
			// The plain name is not read.
			const plain = await request(b, '/api/v1/session', { headers: { Cookie: `saiwu_session=${sc.value}` } });
			assert.equal(plain.json.authenticated, false);
			// Signing out clears it, Secure as well.
			const out = await c.post('/api/v1/logout');
			assert.equal(out.status, 200, out.text);
			const cleared = setCookies(out).find((x) => x.name === '__Host-saiwu_session');
			assert.ok(cleared);
			assert.equal(cleared.attrs['max-age'], '0');
			assert.equal(cleared.attrs.secure, true);
			// And the hooks are not there.
			assertError(await c.get(`/api/v1/test/captchas/${cap.captcha_id}`), 404, 'not_found');
		} finally {
			await b.stop();
		}
	} finally {
		store.destroy();
	}
});

// The password a `saiwu user` command printed.
function printedPassword(out) {
	const m = /^password: (\S+) {2}\(shown once/m.exec(out);
	assert.ok(m, `no password in: ${out}`);
	return m[1];
}

test('saiwu user add/passwd: the user signs in and the session shows the role', async () => {
	const s = await startServer({ args: TEST_MODE });
	const sa = s.store.storeArgs();
	try {
		const add = runSaiwu(['user', 'add', '--account', 'Reviewer_GD', '--phone', '+86 139 1230 0001',
			'--role', 'reviewer:guangdong-2026', ...sa]);
		assert.equal(add.status, 0, add.stderr);
		assert.match(add.stdout, /user Reviewer_GD created \(id \d+, phone 139\*{4}0001\)/);
		assert.ok(!add.stdout.includes('13912300001'), add.stdout);
		const pw = printedPassword(add.stdout);

		const c = new Client(s);
		const res = await loginPassword(c, 'reviewer_gd', pw);
		assert.equal(res.status, 200, res.text);
		const sess = await c.session();
		assert.equal(sess.user.account, 'Reviewer_GD');
		assert.equal(sess.user.phone_masked, '139****0001');
		assert.equal(sess.user.has_password, true);
		assert.deepEqual(sess.roles.map((r) => [r.role, r.competition]), [
			['applicant', null], ['reviewer', 'guangdong-2026'],
		]);
		const rev = sess.roles[1];
		assert.equal(typeof rev.competition_id, 'number');
		assert.ok(rev.competition_id > 0);
		// It also signs in by phone number.
		assert.equal((await loginPassword(new Client(s), '13912300001', pw)).status, 200);

		// Several roles, and a password from the environment.
		const add2 = runSaiwu(['user', 'add', '--account', 'boss_2026', '--phone', '13912300002',
			'--role', 'platform_admin', '--role', 'judge:fujian-2026', '--role', 'competition_admin:guangdong-2026',
			'--password-env', 'BOSS_PW', ...sa], { env: { BOSS_PW: 'Boss-pass-2026' } });
		assert.equal(add2.status, 0, add2.stderr);
		assert.doesNotMatch(add2.stdout, /password:/);
		const b = new Client(s);
		assert.equal((await loginPassword(b, 'boss_2026', 'Boss-pass-2026')).status, 200);
		const roles = (await b.session()).roles.map((r) => `${r.role}:${r.competition}`).sort();
		assert.deepEqual(roles, ['applicant:null', 'competition_admin:guangdong-2026', 'judge:fujian-2026', 'platform_admin:null']);

		// Refusals, each leaving nothing behind.
		const refused = [
			[['--account', 'x_user_1', '--phone', '13912300003', '--role', 'reviewer:no-such-contest'], /no-such-contest/],
			[['--account', 'x_user_1', '--phone', '13912300003', '--role', 'wizard'], /wizard/],
			[['--account', 'x_user_1', '--phone', '13912300003', '--role', 'reviewer'], /sub-contest/],
			[['--account', 'x_user_1', '--phone', '13912300003', '--role', 'platform_admin:guangdong-2026'], /sub-contest/],
			[['--account', 'reviewer_gd', '--phone', '13912300003'], /already registered/],
			[['--account', 'x_user_1', '--phone', '139 1230 0001'], /already registered/],
			[['--account', 'x!', '--phone', '13912300003'], /账号/],
			[['--account', 'x_user_1', '--phone', '12345'], /手机号/],
			[['--account', 'x_user_1', '--phone', '13912300003', '--password-env', 'WEAK_PW'], /密码/],
			[['--account', 'x_user_1', '--phone', '13912300003', '--password-env', 'UNSET_PW_VAR'], /UNSET_PW_VAR/],
		];
		for (const [args, why] of refused) {
			const r = runSaiwu(['user', 'add', ...args, ...sa], { env: { WEAK_PW: 'password' } });
			assert.notEqual(r.status, 0, `${args.join(' ')}: ${r.stdout}`);
			assert.match(r.stderr, why, args.join(' '));
		}
		const ok = runSaiwu(['user', 'add', '--account', 'x_user_1', '--phone', '13912300003', ...sa]);
		assert.equal(ok.status, 0, `the refusals left nothing behind: ${ok.stderr}`);
		const xs = new Client(s);
		assert.equal((await loginPassword(xs, 'x_user_1', printedPassword(ok.stdout))).status, 200);
		assert.deepEqual((await xs.session()).roles.map((r) => r.role), ['applicant']);

		// passwd: a new password, printed once; the old one stops working.
		const pwd = runSaiwu(['user', 'passwd', 'REVIEWER_GD', ...sa]);
		assert.equal(pwd.status, 0, pwd.stderr);
		const pw2 = printedPassword(pwd.stdout);
		assert.notEqual(pw2, pw);
		assertError(await loginPassword(new Client(s), 'reviewer_gd', pw), 401, 'bad_credentials');
		assert.equal((await loginPassword(new Client(s), 'reviewer_gd', pw2)).status, 200);
		const nobody = runSaiwu(['user', 'passwd', 'nobody_here', ...sa]);
		assert.notEqual(nobody.status, 0);
		assert.match(nobody.stderr, /nobody_here/);
	} finally {
		await s.stop();
	}
});

test('saiwu user ensure-admin: prints the password once, then says the admin exists', async () => {
	const s = await startServer({ args: TEST_MODE });
	const sa = s.store.storeArgs();
	try {
		const first = runSaiwu(['user', 'ensure-admin', ...sa]);
		assert.equal(first.status, 0, first.stderr);
		const pw = printedPassword(first.stdout);
		assert.match(first.stdout, /admin/);
		const second = runSaiwu(['user', 'ensure-admin', ...sa]);
		assert.equal(second.status, 0, second.stderr);
		assert.match(second.stdout, /exists/);
		assert.doesNotMatch(second.stdout, /password: /);
		assert.ok(!second.stdout.includes(pw));

		const c = new Client(s);
		const res = await loginPassword(c, 'admin', pw);
		assert.equal(res.status, 200, res.text);
		const sess = await c.session();
		assert.deepEqual(sess.roles.map((r) => `${r.role}:${r.competition}`), ['applicant:null', 'platform_admin:null']);
		assert.equal(sess.user.phone_masked, '138****0000');
		// The password from the environment is used when given.
		const store2 = createStore();
		try {
			const r = runSaiwu(['user', 'ensure-admin', ...store2.storeArgs()],
				{ env: { SAIWU_DEMO_ADMIN_PASSWORD: 'Demo-admin-2026', SAIWU_DEMO_ADMIN_PHONE: '13912300009' } });
			assert.equal(r.status, 0, r.stderr);
			assert.ok(!r.stdout.includes('Demo-admin-2026'));
			const s2 = await startServer({ store: store2, args: TEST_MODE });
			try {
				const c2 = new Client(s2);
				assert.equal((await loginPassword(c2, 'admin', 'Demo-admin-2026')).status, 200);
				assert.equal((await c2.session()).user.phone_masked, '139****0009');
			} finally {
				await s2.stop();
			}
		} finally {
			store2.destroy();
		}
	} finally {
		await s.stop();
	}
});

// Every value of every table, as strings: [table, column, value].
function dumpTables(server) {
	const out = [];
	if (STORE === 'sqlite') {
		const db = path.join(server.dataDir, 'saiwu.db');
		const q = (sql) => {
			const r = spawnSync('sqlite3', ['-json', db, sql], { encoding: 'utf8' });
			assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
			return r.stdout.trim() ? JSON.parse(r.stdout) : [];
		};
		const tables = q("SELECT name FROM sqlite_master WHERE type = 'table'").map((x) => x.name);
		for (const t of tables)
			for (const row of q(`SELECT * FROM "${t}"`))
				for (const [k, v] of Object.entries(row))
					out.push([t, k, v]);
		return { tables, values: out };
	}
	const q = (sql) => {
		const r = spawnSync('psql', [server.databaseUrl, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
		assert.equal(r.status, 0, `psql: ${r.stderr}`);
		return r.stdout.split('\n').filter(Boolean);
	};
	const tables = q("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
	for (const t of tables)
		for (const line of q(`SELECT row_to_json(x)::text FROM "${t}" x`))
			for (const [k, v] of Object.entries(JSON.parse(line)))
				out.push([t, k, v]);
	return { tables, values: out };
}

test('nothing in the database holds a password, captcha answer, SMS code, session token or the phone in plain text', async () => {
	const s = await startServer({ args: [...TEST_MODE, '--sms-ip-hourly-limit', '1000'] });
	try {
		const phone = '13800138000';
		const account = 'plain_text_check';
		const secrets = new Map(); // value → what it is
		const keep = (what, v) => {
			assert.ok(v, what);
			secrets.set(String(v), what);
		};
		const c = new Client(s);
		// Register, with captcha and SMS code.
		const cap1 = await solveCaptcha(c);
		keep('captcha answer', cap1.captcha_answer);
		const r1 = await c.post('/api/v1/sms-codes', { phone: '+86 138 0013 8000', purpose: 'register', ...cap1 });
		assert.equal(r1.status, 201, r1.text);
		const code1 = await smsCode(c, phone);
		keep('sms code', code1);
		keep('anonymous csrf token', c.jar.get('saiwu_csrf'));
		await register(c, { account, phone: '0086 13800138000', sms_code: code1 });
		keep('password', GOOD_PASSWORD);
		keep('session token', c.sessionCookie());
		keep('csrf token', c.csrf);
		// Sign out, in again by password (remembered) and by SMS.
		assert.equal((await c.post('/api/v1/logout')).status, 200);
		const cap2 = await solveCaptcha(c);
		keep('captcha answer', cap2.captcha_answer);
		assert.equal((await loginPassword(c, phone, GOOD_PASSWORD, { captcha: cap2, remember: true })).status, 200);
		keep('session token', c.sessionCookie());
		const d = new Client(s);
		const code2 = await resendSms(d, phone, 'login');
		keep('sms code', code2);
		assert.equal((await d.post('/api/v1/login', { method: 'sms', phone, sms_code: code2 })).status, 200);
		keep('session token', d.sessionCookie());
		// A failed attempt, a change and a reset.
		assert.equal((await loginPassword(new Client(s), account, 'Wrong-guess-77')).status, 401);
		keep('wrong password', 'Wrong-guess-77');
		const changed = 'Changed-secret-88';
		assert.equal((await c.post('/api/v1/password/change', { current_password: GOOD_PASSWORD, password: changed, password_confirm: changed })).status, 200);
		keep('password', changed);
		// The change ended d's session: d reloads the page (new CSRF token).
		assert.equal((await d.session()).authenticated, false);
		const code3 = await resendSms(d, phone, 'reset');
		keep('sms code', code3);
		const reset = 'Reset-secret-99';
		assert.equal((await d.post('/api/v1/password/reset', { phone, sms_code: code3, password: reset, password_confirm: reset })).status, 200);
		keep('password', reset);
		// A code that was sent and never used, and a captcha never used.
		const code4 = await resendSms(d, phone, 'login');
		keep('sms code', code4);
		keep('captcha answer', (await solveCaptcha(d)).captcha_answer);
		const e = new Client(s);
		assert.equal((await loginPassword(e, account, reset, { remember: true })).status, 200);
		keep('session token', e.sessionCookie());
		await advanceClock(e, 0);

		const { tables, values } = dumpTables(s);
		for (const t of ['users', 'sessions', 'captchas', 'sms_codes', 'auth_failures', 'sms_outbox'])
			assert.ok(tables.includes(t), `table ${t} in ${tables}`);
		const count = (t) => values.filter(([tt]) => tt === t).length;
		assert.ok(count('sessions') > 0 && count('captchas') > 0 && count('sms_codes') > 0 && count('users') > 0);
		for (const [t, col, v] of values) {
			if (v === null)
				continue;
			const sv = String(v);
			assert.equal(secrets.get(sv), undefined, `${t}.${col} holds a ${secrets.get(sv)} in plain text`);
			assert.ok(!sv.includes(phone), `${t}.${col} holds the phone number: ${sv}`);
			for (const [secret, what] of secrets)
				if (secret.length >= 8)
					assert.ok(!sv.includes(secret), `${t}.${col} contains a ${what}`);
		}
		// What is there is the masked number and hashes.
		const users = values.filter(([t]) => t === 'users');
		assert.ok(users.some(([, col, v]) => col === 'phone_masked' && v === '138****8000'));
		assert.ok(users.some(([, col, v]) => col === 'password_hash' && /^\$argon2id\$/.test(v)));

		// The files themselves, write-ahead log included, never hold the
		// number, a password or a token (codes and answers are too short to
		// look for in binary data; the column check above covers them).
		const files = fs.readdirSync(s.dataDir).map((f) => path.join(s.dataDir, f));
		if (STORE === 'sqlite') {
			assert.ok(files.some((f) => f.endsWith('saiwu.db')), files.join(' '));
			assert.ok(files.some((f) => f.endsWith('saiwu.db-wal')), files.join(' '));
		}
		for (const f of files) {
			if (!fs.statSync(f).isFile())
				continue;
			const bytes = fs.readFileSync(f);
			assert.equal(bytes.indexOf(phone), -1, `${path.basename(f)} holds the phone number`);
			for (const [secret, what] of secrets)
				if (secret.length >= 8)
					assert.equal(bytes.indexOf(secret), -1, `${path.basename(f)} holds a ${what}`);
		}
	} finally {
		await s.stop();
	}
});
