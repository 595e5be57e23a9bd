// auth-lib.mjs: helpers of the account tests (sign-up, sign-in, sessions),
// on top of lib.mjs. Built-ins only.
//
//   const c = new Client(server);          a browser: cookie jar + CSRF token
//   await c.post('/api/v1/logout');        sends the jar and X-CSRF-Token
//   await solveCaptcha(c)                  {captcha_id, captcha_answer}
//   await smsCode(c, phone)                newest code sent to phone, or null
//   await advanceClock(c, seconds)         moves the server clock forward
//   await register(c, {...}), loginPassword(c, ...), loginSms(c, ...)
//
// The test hooks need a server started with --test-mode true.

import assert from 'node:assert/strict';
import { request } from './lib.mjs';

export const TEST_MODE = ['--test-mode', 'true'];
export const GOOD_PASSWORD = 'Secret-pass-2026';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// Parses one Set-Cookie value into {name, value, attrs}; attribute names
// are lower-cased, flags (HttpOnly, Secure) map to true.
export function parseSetCookie(line) {
	const parts = line.split(';').map((s) => s.trim());
	const eq = parts[0].indexOf('=');
	const attrs = {};
	for (const p of parts.slice(1)) {
		if (!p)
			continue;
		const i = p.indexOf('=');
		if (i < 0)
			attrs[p.toLowerCase()] = true;
		else
			attrs[p.slice(0, i).toLowerCase()] = p.slice(i + 1);
	}
	return { name: parts[0].slice(0, eq), value: parts[0].slice(eq + 1), attrs, raw: line };
}

export function setCookies(res) {
	const h = res.headers['set-cookie'];
	if (!h)
		return [];
	return (Array.isArray(h) ? h : [h]).map(parseSetCookie);
}

// One browser: keeps the cookies the server sets (and drops the ones it
// clears) and the newest csrf_token any response carried.
export class Client {
	constructor(server, { userAgent = 'saiwu-tests', localAddress } = {}) {
		this.server = server;
		this.localAddress = localAddress; // e.g. 127.0.0.2: another address
		this.jar = new Map();
		this.csrf = null;
		this.userAgent = userAgent;
	}

	cookieHeader() {
		return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	absorb(res) {
		for (const c of setCookies(res)) {
			if (c.attrs['max-age'] === '0' || c.value === '')
				this.jar.delete(c.name);
			else
				this.jar.set(c.name, c.value);
			// A session that came or went without a new token (a reset,
			// a dead cookie): fetch the token again before the next POST.
			if (c.name.endsWith('saiwu_session'))
				this.csrf = null;
		}
		if (res.json && typeof res.json.csrf_token === 'string')
			this.csrf = res.json.csrf_token;
	}

	// opts: body (object → JSON), headers, csrf (false: no header; a string:
	// that token), cookies (false: send none), absorb (false: keep the jar).
	async req(method, pathname, opts = {}) {
		const headers = { 'User-Agent': this.userAgent, ...(opts.headers || {}) };
		if (UNSAFE.has(method) && opts.csrf !== false) {
			if (typeof opts.csrf === 'string') {
				headers['X-CSRF-Token'] = opts.csrf;
			} else {
				// The first GET /api/v1/session also sets the CSRF cookie.
				if (!this.csrf)
					await this.session();
				headers['X-CSRF-Token'] = this.csrf;
			}
		}
		if (opts.cookies !== false && this.jar.size)
			headers.Cookie = this.cookieHeader();
		let body;
		if (opts.body !== undefined) {
			body = typeof opts.body === 'string' || Buffer.isBuffer(opts.body)
				? opts.body : JSON.stringify(opts.body);
			if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type'))
				headers['Content-Type'] = 'application/json';
		}
		const res = await request(this.server, pathname, {
			method, headers, body, timeout: opts.timeout, localAddress: this.localAddress,
		});
		if (opts.absorb !== false)
			this.absorb(res);
		return res;
	}

	get(pathname, opts = {}) {
		return this.req('GET', pathname, opts);
	}

	post(pathname, body, opts = {}) {
		return this.req('POST', pathname, { ...opts, body });
	}

	// GET /api/v1/session, asserting a 200; returns the parsed body.
	async session() {
		const res = await this.get('/api/v1/session');
		assert.equal(res.status, 200, res.text);
		return res.json;
	}

	sessionCookie() {
		for (const [k, v] of this.jar)
			if (k.endsWith('saiwu_session'))
				return v;
		return undefined;
	}
}

// Numbers and account names no other test of the file uses. prefix: the
// second and third digits (3–9, 0–9), one prefix per file.
export function uniques(prefix) {
	assert.match(prefix, /^[3-9]\d$/);
	let n = 0;
	const stamp = Date.now() % 100000;
	return {
		phone: () => `1${prefix}${String(stamp).padStart(5, '0')}${String(n++).padStart(3, '0')}`,
		account: (base = 'u') => `${base}_${prefix}${stamp.toString(36)}${n++}`,
	};
}

// A fresh captcha and its answer (from the test hook).
export async function solveCaptcha(c) {
	const res = await c.get('/api/v1/captcha');
	assert.equal(res.status, 200, res.text);
	const id = res.json.captcha_id;
	const a = await c.get(`/api/v1/test/captchas/${encodeURIComponent(id)}`);
	assert.equal(a.status, 200, a.text);
	return { captcha_id: id, captcha_answer: a.json.answer };
}

// The newest SMS code sent to a (normalised) number, or null.
export async function smsCode(c, phone) {
	const res = await c.get(`/api/v1/test/sms/${encodeURIComponent(phone)}`);
	if (res.status === 404)
		return null;
	assert.equal(res.status, 200, res.text);
	return res.json.code;
}

export async function advanceClock(c, seconds) {
	const res = await c.post('/api/v1/test/clock', { seconds });
	assert.equal(res.status, 200, res.text);
	return res.json.now;
}

// POST /api/v1/sms-codes with a solved captcha; returns the response.
export async function requestSms(c, phone, purpose) {
	const cap = await solveCaptcha(c);
	return c.post('/api/v1/sms-codes', { phone, purpose, ...cap });
}

// Sends a code and returns it (asserting the 201). `hookPhone` is the
// normalised number when `phone` is written another way.
export async function sendSms(c, phone, purpose, hookPhone = phone) {
	const res = await requestSms(c, phone, purpose);
	assert.equal(res.status, 201, `sms-codes ${phone} ${purpose}: ${res.text}`);
	const code = await smsCode(c, hookPhone);
	assert.match(code || '', /^\d{6}$/);
	return code;
}

// The same after moving the clock past the 60 s between two codes for one
// number (whatever their purpose).
export async function resendSms(c, phone, purpose, hookPhone = phone) {
	await advanceClock(c, 61);
	return sendSms(c, phone, purpose, hookPhone);
}

// Registers (asking for the SMS code first unless `sms_code` is given);
// returns the response, asserting 201 unless `expect` says otherwise.
export async function register(c, { account, phone, password = GOOD_PASSWORD, sms_code, hookPhone, expect = 201 }) {
	const code = sms_code ?? await sendSms(c, phone, 'register', hookPhone);
	const res = await c.post('/api/v1/register', {
		account, phone, password, password_confirm: password, sms_code: code, agree: true,
	});
	if (expect !== null)
		assert.equal(res.status, expect, `register ${account}: ${res.text}`);
	return res;
}

export async function loginPassword(c, login, password, { remember = false, captcha } = {}) {
	const cap = captcha ?? await solveCaptcha(c);
	return c.post('/api/v1/login', { method: 'password', login, password, remember, ...cap });
}

// Sends a login code (first moving the clock 61 s on with `wait`) and signs
// in with it.
export async function loginSms(c, phone, { remember = false, hookPhone = phone, wait = false } = {}) {
	const code = await (wait ? resendSms : sendSms)(c, phone, 'login', hookPhone);
	return c.post('/api/v1/login', { method: 'sms', phone, sms_code: code, remember });
}

// Asserts a 422 whose fields include {field, code}; returns that entry.
export function assertField(res, field, code, what = '') {
	const ctx = `${what} → ${res.status} ${res.text.slice(0, 400)}`;
	assert.equal(res.status, 422, ctx);
	assert.equal(res.json?.error?.code, 'invalid', ctx);
	const f = res.json.error.fields.find((x) => x.field === field && x.code === code);
	assert.ok(f, `no field error ${field}/${code}: ${ctx}`);
	assert.match(f.message, /[\u4e00-\u9fff]/, `message in Chinese: ${ctx}`);
	return f;
}
