// 09-security-matrix: generated from the route table (`saiwu routes`), so a
// new route is covered without anyone remembering to add it. For every
// route and method: the security headers; 401 without a session where one
// is needed; 403 without a valid CSRF token on unsafe methods; no 5xx for
// malformed bodies; and no 2xx for another applicant on object routes.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BIN, startServer, assertSecurityHeaders } from './lib.mjs';
import { Client, TEST_MODE, uniques, register } from './auth-lib.mjs';

const routes = JSON.parse(execFileSync(BIN, ['routes'], { encoding: 'utf8' }));
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const u = uniques('36');
let server, owner, other, appId;

// Real values where a parameter must name something that exists.
function fill(pattern, id) {
	return pattern
		.replace('{slug}', 'guangdong-2026')
		.replace('{kind}', 'exclusion')
		.replace('{slot}', 'qualification')
		.replace('{phone}', '13800138000')
		.replace('{id}', String(id))
		.replace(/\{[a-z]+\}/g, '1');
}

function calls() {
	const out = [];
	for (const r of routes)
		for (const m of r.methods)
			if (m !== 'HEAD' && m !== 'OPTIONS')
				out.push({ r, m });
	return out;
}

before(async () => {
	server = await startServer({ args: [...TEST_MODE, '--demo', 'true', '--sms-ip-hourly-limit', '1000'] });
	owner = new Client(server);
	other = new Client(server);
	await register(owner, { account: u.account('own'), phone: u.phone() });
	await register(other, { account: u.account('oth'), phone: u.phone() });
	const created = await owner.req('POST', '/api/v1/applications', { body: { competition: 'guangdong-2026' } });
	assert.equal(created.status, 201, created.text);
	appId = created.json.id;
});
after(async () => {
	assert.ok(server.alive(), 'the server survived the matrix');
	await server.stop();
});

test('the route table is read and non-trivial', () => {
	assert.ok(routes.length >= 30, `only ${routes.length} routes`);
	for (const r of routes)
		assert.match(r.pattern, /^\//);
});

test('anonymous: security headers everywhere; 401 where a session is needed; 403 without CSRF', async () => {
	const anon = new Client(server);
	for (const { r, m } of calls()) {
		const what = `${m} ${r.pattern}`;
		const res = await anon.req(m, fill(r.pattern, appId), {
			csrf: false, body: UNSAFE.has(m) ? {} : undefined, absorb: false,
		});
		assertSecurityHeaders(res, what);
		assert.ok(res.status < 500, `${what} → ${res.status} ${res.text}`);
		if (r.session)
			assert.equal(res.status, 401, `${what} needs a session: ${res.text}`);
		else if (UNSAFE.has(m) && !r.no_csrf)
			assert.equal(res.status, 403, `${what} needs a CSRF token: ${res.text}`);
	}
});

test('signed in: every unsafe method without a valid CSRF token is 403', async () => {
	for (const { r, m } of calls()) {
		if (!UNSAFE.has(m) || r.no_csrf)
			continue;
		const what = `${m} ${r.pattern}`;
		for (const token of [false, 'not-the-token']) {
			const res = await owner.req(m, fill(r.pattern, appId), { csrf: token, body: {}, absorb: false });
			assertSecurityHeaders(res, what);
			assert.equal(res.status, 403, `${what} with csrf=${token}: ${res.text}`);
		}
	}
});

test('signed in: malformed bodies get a 4xx, never a 5xx', async () => {
	const bodies = ['{', '[]', '"x"', '{"a":1,"a":2}', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
		JSON.stringify({ version: 'x', doc: 7, competition: [], phone: {}, method: 3 })];
	for (const { r, m } of calls()) {
		if (!UNSAFE.has(m) || r.stream)
			continue;
		// Deleting the draft the other tests use would change what they see.
		if (m === 'DELETE')
			continue;
		for (const body of bodies) {
			const res = await other.req(m, fill(r.pattern, appId), { body, absorb: false });
			assertSecurityHeaders(res, `${m} ${r.pattern}`);
			assert.ok(res.status >= 400 && res.status < 500,
				`${m} ${r.pattern} with ${String(body).slice(0, 40)} → ${res.status} ${res.text}`);
		}
	}
});

test("another applicant gets no 2xx on any route that names the owner's application", async () => {
	for (const { r, m } of calls()) {
		if (!r.pattern.includes('{id}'))
			continue;
		const body = UNSAFE.has(m)
			? (r.stream ? Buffer.from('%PDF-1.4\n') : { version: 1, doc: {}, section: 'team', value: { name: 'x' }, reason: 'x' })
			: undefined;
		const res = await other.req(m, fill(r.pattern, appId) + (r.stream ? '?name=x.pdf' : ''), { body, absorb: false,
			headers: r.stream ? { 'Content-Type': 'application/pdf' } : {} });
		assert.ok(res.status >= 400 && res.status < 500, `${m} ${r.pattern} as another applicant → ${res.status} ${res.text}`);
	}
	// The owner's record is untouched.
	const mine = await owner.get(`/api/v1/applications/${appId}`);
	assert.equal(mine.status, 200);
	assert.equal(mine.json.version, 1);
});
