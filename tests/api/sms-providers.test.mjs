// sms-providers: `saiwu sms send` against fake Aliyun and Tencent Cloud
// endpoints that check the signature, the provider errors and timeouts, the
// settings check, and the development outbox (`saiwu sms outbox`), whose
// database file must never hold a code or a number in plain text.
// Self-contained: node built-ins and ./fake-sms.mjs only.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeSms } from './fake-sms.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = process.env.SAIWU_BIN || path.join(REPO, 'build', 'saiwu');
if (!fs.existsSync(BIN))
	throw new Error(`saiwu binary not found at ${BIN}: run "make" first or set SAIWU_BIN`);

const PHONE = '13800138000';
const SIGN = '数据要素大赛';
const KEY_ID = 'LTAIEXAMPLEKEY';
const SECRET = 'right-secret-值';

// The binary refuses unknown SAIWU_* variables; the runner's are not for it.
function childEnv() {
	const env = {};
	for (const [k, v] of Object.entries(process.env))
		if (!k.startsWith('SAIWU_'))
			env[k] = v;
	return env;
}

function freshDir(t) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'saiwu-sms-'));
	t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
	return dir;
}

// Runs the binary without blocking the event loop: the fake answers from
// this same process.
function run(args) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(BIN, args, { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
		child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
		const killer = setTimeout(() => child.kill('SIGKILL'), 20000);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(killer);
			resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
		});
	});
}

function providerArgs(provider, url, { secret = SECRET, extra = [] } = {}) {
	const a = [
		'--sms-provider', provider, '--sms-endpoint', url,
		'--sms-access-key-id', KEY_ID, '--sms-access-key-secret', secret,
		'--sms-sign-name', SIGN,
		'--sms-template-register', 'SMS_1', '--sms-template-login', 'SMS_2',
		'--sms-template-reset', 'SMS_3',
	];
	if (provider === 'tencent')
		a.push('--sms-sdk-app-id', '1400000000', '--sms-region', 'ap-guangzhou');
	return [...a, ...extra];
}

async function send(t, provider, mode, opts = {}) {
	const fake = await startFakeSms({ provider, keyId: KEY_ID, secret: SECRET, mode });
	t.after(() => fake.close());
	const dir = freshDir(t);
	const r = await run([
		'sms', 'send', '--phone', opts.phone || PHONE, ...(opts.purpose ? ['--purpose', opts.purpose] : []),
		'--data-dir', dir, ...providerArgs(provider, fake.url, opts),
	]);
	return { fake, r, dir };
}

const show = (r) => `exit ${r.code} ${r.signal || ''}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

const ERRORS = {
	aliyun: { signature: 'SignatureDoesNotMatch', limit: 'isv.BUSINESS_LIMIT_CONTROL', auth: 'InvalidAccessKeyId.NotFound' },
	tencent: { signature: 'AuthFailure.SignatureFailure', limit: 'LimitExceeded.PhoneNumberDailyLimit', auth: 'AuthFailure.SecretIdNotFound' },
};

for (const provider of ['aliyun', 'tencent']) {
	test(`${provider}: a correctly signed SendSms with the number and a 6-digit code`, async (t) => {
		const { fake, r } = await send(t, provider, 'ok');
		assert.equal(r.code, 0, show(r));
		assert.match(r.stdout, new RegExp(`sent a register code to 138\\*{4}8000 via ${provider}`));
		assert.equal(fake.received.length, 1);
		const m = fake.received[0];
		assert.equal(m.signatureOk, true, 'the fake accepted the signature');
		assert.equal(m.keyId, KEY_ID);
		assert.equal(m.phone, PHONE);
		assert.match(m.code, /^\d{6}$/);
		assert.equal(m.signName, SIGN);
		assert.equal(m.template, 'SMS_1');
		assert.equal(m.method, 'POST');
		if (provider === 'aliyun') {
			assert.deepEqual(Object.keys(m.params).sort(),
				['PhoneNumbers', 'SignName', 'TemplateCode', 'TemplateParam']);
			assert.equal(m.headers['content-length'], '0', 'empty body');
			assert.equal(m.headers['x-acs-action'], 'SendSms');
			assert.equal(m.headers['x-acs-version'], '2017-05-25');
			assert.match(r.stdout, /900619746936498440\^0/, 'BizId printed');
		} else {
			assert.equal(m.headers['content-type'], 'application/json; charset=utf-8');
			assert.equal(m.headers['x-tc-action'], 'SendSms');
			assert.equal(m.headers['x-tc-version'], '2021-01-11');
			assert.equal(m.region, 'ap-guangzhou');
			assert.equal(m.appId, '1400000000');
			assert.deepEqual(m.body.PhoneNumberSet, [`+86${PHONE}`]);
			assert.deepEqual(m.body.TemplateParamSet, [m.code, '5']);
			assert.match(m.headers.authorization,
				/^TC3-HMAC-SHA256 Credential=LTAIEXAMPLEKEY\/\d{4}-\d\d-\d\d\/sms\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/);
		}
		assert.equal(m.headers.host, new URL(fake.url).host, 'Host names the endpoint');
	});

	test(`${provider}: the purpose picks the template, the number is normalised`, async (t) => {
		const { fake, r } = await send(t, provider, 'ok', { purpose: 'reset', phone: '+86 139-1234-5678' });
		assert.equal(r.code, 0, show(r));
		assert.equal(fake.received[0].signatureOk, true);
		assert.equal(fake.received[0].template, 'SMS_3');
		assert.equal(fake.received[0].phone, '13912345678');
	});

	test(`${provider}: a wrong secret gets the provider's signature error`, async (t) => {
		const { fake, r } = await send(t, provider, 'ok', { secret: 'wrong-secret' });
		assert.notEqual(r.code, 0, show(r));
		assert.ok(r.stderr.includes(ERRORS[provider].signature), show(r));
		assert.equal(fake.received.length, 1);
		assert.equal(fake.received[0].signatureOk, false);
		assert.ok(!r.stderr.includes('wrong-secret') && !r.stdout.includes('wrong-secret'),
			'the secret is never printed');
	});

	test(`${provider}: flow control is reported with the provider's code`, async (t) => {
		const { fake, r } = await send(t, provider, 'limit');
		assert.notEqual(r.code, 0, show(r));
		assert.ok(r.stderr.includes(ERRORS[provider].limit), show(r));
		assert.equal(fake.received[0].signatureOk, true);
	});

	test(`${provider}: an unknown key id is reported`, async (t) => {
		const { r } = await send(t, provider, 'auth');
		assert.notEqual(r.code, 0, show(r));
		assert.ok(r.stderr.includes(ERRORS[provider].auth), show(r));
	});

	test(`${provider}: HTTP 500 is a retryable failure`, async (t) => {
		const { r } = await send(t, provider, '500');
		assert.notEqual(r.code, 0, show(r));
		assert.match(r.stderr, /HTTP 500/, show(r));
		assert.match(r.stderr, /may be retried/, show(r));
	});

	test(`${provider}: a provider that never answers times out`, async (t) => {
		const { fake, r } = await send(t, provider, 'hang', { extra: ['--sms-timeout', '1'] });
		assert.notEqual(r.code, 0, show(r));
		assert.ok(r.ms < 3000, `took ${r.ms} ms`);
		assert.match(r.stderr, /timeout/, show(r));
		assert.equal(fake.received.length, 1, 'the request did arrive');
	});

	test(`${provider}: missing settings are named`, async (t) => {
		const dir = freshDir(t);
		const all = providerArgs(provider, 'http://127.0.0.1:9/');
		const without = (flag) => {
			const i = all.indexOf(flag);
			return [...all.slice(0, i), ...all.slice(i + 2)];
		};
		const flags = ['--sms-access-key-id', '--sms-access-key-secret', '--sms-sign-name',
			'--sms-template-register', '--sms-template-login', '--sms-template-reset'];
		if (provider === 'tencent')
			flags.push('--sms-sdk-app-id');
		for (const flag of flags) {
			const r = await run(['sms', 'send', '--phone', PHONE, '--data-dir', dir, ...without(flag)]);
			const setting = flag.slice(2).replace(/-/g, '_');
			assert.notEqual(r.code, 0, show(r));
			assert.ok(r.stderr.includes(`'${setting}'`), `${flag}: ${show(r)}`);
		}
		const r = await run(['sms', 'send', '--phone', PHONE, '--data-dir', dir,
			...providerArgs(provider, 'http://127.0.0.1:9/some/path')]);
		assert.notEqual(r.code, 0, show(r));
		assert.match(r.stderr, /sms_endpoint/, show(r));
	});
}

test('outbox: a sent code can be read back; the database holds neither code nor number', async (t) => {
	const dir = freshDir(t);
	let r = await run(['sms', 'send', '--phone', PHONE, '--data-dir', dir]);
	assert.equal(r.code, 0, show(r));
	assert.match(r.stdout, /via outbox/);
	r = await run(['sms', 'send', '--phone', '13912345678', '--purpose', 'login', '--data-dir', dir]);
	assert.equal(r.code, 0, show(r));

	r = await run(['sms', 'outbox', '--data-dir', dir]);
	assert.equal(r.code, 0, show(r));
	const lines = r.stdout.trim().split('\n');
	assert.equal(lines.length, 2, r.stdout);
	assert.match(lines[0], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}139\*{4}5678 {2}login +【数据要素×大赛】您的登录验证码为\d{6}，5分钟内有效。$/);
	const m = /^\S+ \S+ {2}138\*{4}8000 {2}register +【数据要素×大赛】您的注册验证码为(\d{6})，5分钟内有效。$/.exec(lines[1]);
	assert.ok(m, `outbox line: ${lines[1]}`);
	const code = m[1];

	r = await run(['sms', 'outbox', '--limit', '1', '--data-dir', dir]);
	assert.equal(r.code, 0, show(r));
	assert.equal(r.stdout.trim().split('\n').length, 1);

	// Every byte the store wrote: the main file and the write-ahead log.
	const files = ['saiwu.db', 'saiwu.db-wal'].map((f) => path.join(dir, f)).filter((f) => fs.existsSync(f));
	assert.ok(files.length >= 1, 'the database exists');
	const bytes = Buffer.concat(files.map((f) => fs.readFileSync(f)));
	assert.ok(bytes.includes(Buffer.from('138****8000')), 'the masked number is stored');
	for (const secret of [code, PHONE, '13912345678', '验证码', '您的'])
		assert.ok(!bytes.includes(Buffer.from(secret)), `'${secret}' is not in the database file`);
});

test('outbox: refused with env=production', async (t) => {
	const dir = freshDir(t);
	const r = await run(['sms', 'outbox', '--env', 'production', '--data-dir', dir]);
	assert.notEqual(r.code, 0, show(r));
	assert.match(r.stderr, /production/);
	assert.equal(r.stdout, '');
});

test('sms send: a bad number or purpose is refused before any provider', async (t) => {
	const dir = freshDir(t);
	let r = await run(['sms', 'send', '--phone', '12800138000', '--data-dir', dir]);
	assert.equal(r.code, 2, show(r));
	assert.match(r.stderr, /not a mainland mobile number/);
	r = await run(['sms', 'send', '--phone', PHONE, '--purpose', 'spam', '--data-dir', dir]);
	assert.equal(r.code, 2, show(r));
	assert.match(r.stderr, /--purpose/);
	r = await run(['sms', 'send', '--data-dir', dir]);
	assert.equal(r.code, 2, show(r));
	assert.match(r.stderr, /--phone/);
});
