// 09-security-matrix: generated from the route table (`saiwu routes`), so a
// new route is covered without anyone remembering to add it. For every
// route and method: the security headers; 401 without a session where one
// is needed; 403 without a valid CSRF token on unsafe methods; no 5xx for
// malformed bodies; and no 2xx for another applicant on object routes.
// Then every object-scoped route (signed-in, with a path parameter) filled
// with the owner's real objects × {another applicant, a reviewer of another
// sub-contest, an unassigned judge, anonymous}: no 2xx, no 5xx; the owner
// gets no 5xx and reaches its own objects. And malformed requests on every
// route — non-JSON content types, bodies over the route's cap, path
// parameters out of range or not numbers, broken query strings — get a
// 4xx, never a 5xx. Parameters are filled by name, so new routes with the
// same names ({id}, {slug}, {stage}, {user_id}, {application_id},
// {assignment_id}, {att}, {job}, {name}, …) are covered as they land; an
// unknown name gets "1".

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BIN, startServer, assertSecurityHeaders } from './lib.mjs';
import { Client, TEST_MODE, uniques, register } from './auth-lib.mjs';
import { newStaff, newApplicant } from './app-fixtures.mjs';
import { approvedApp, setStage } from './console-fixtures.mjs';

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
	// The other applicant's draft and file come first, so the owner's ids
	// differ from the user ids and from each other's kinds.
	const first = await other.req('POST', '/api/v1/applications', { body: { competition: 'guangdong-2026' } });
	assert.equal(first.status, 201, first.text);
	const att = await other.req('PUT', `/api/v1/applications/${first.json.id}/attachments/qualification?name=a.pdf`,
		{ body: PDF, headers: { 'Content-Type': 'application/pdf' } });
	assert.equal(att.status, 201, att.text);
	const created = await owner.req('POST', '/api/v1/applications', { body: { competition: 'guangdong-2026' } });
	assert.equal(created.status, 201, created.text);
	appId = created.json.id;
	await setupObjects();
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

// ---- the object matrix and malformed requests ---------------------------

const GD = 'guangdong-2026';
const FJ = 'fujian-2026';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n'
	+ '2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
// The owner's real objects, found in the `before` below.
const objs = {};
let revFj, judge, revGd, root, judgeA;

// Every parameter by name; {id} by what the route is about.
function fillObj(pattern, over = {}) {
	const v = (name) => {
		if (name in over)
			return over[name];
		switch (name) {
		case 'slug': return GD;
		case 'id':
			if (pattern.startsWith('/api/v1/messages/'))
				return objs.message ?? objs.app;
			if (pattern.startsWith('/api/v1/judge/'))
				return objs.assignment;
			return objs.app;
		case 'application_id': return objs.judged;
		case 'assignment_id': return objs.assignment;
		case 'att': return objs.att;
		case 'job': return objs.job ?? 1;
		case 'user_id': return objs.user;
		case 'slot': return 'qualification';
		case 'kind': return 'exclusion';
		case 'stage': return 'preliminary';
		case 'name': return 'declaration.pdf';
		case 'phone': return '13800138000';
		case 'code': return 'ABCDEFGH';
		default: return 1;
		}
	};
	return pattern.replace(/\{([a-z_]+)\}/g, (_, name) => String(v(name)));
}

// A body each kind of unsafe route could take, so a refusal is about who
// asks, not about what was sent.
function plausible(r, m) {
	if (r.stream)
		return { body: PDF, headers: { 'Content-Type': 'application/pdf' }, query: '?name=x.pdf' };
	if (!UNSAFE.has(m))
		return { query: '' };
	return {
		query: '',
		body: {
			version: 1, doc: {}, section: 'team', value: { name: 'x' }, reason: '补充材料', stage: 'final',
			format: 'xlsx', role: 'reviewer', user_id: objs.user, account: 'x', result: 'passed',
			scores: {}, note: 'x', ids: [objs.app], action: 'approve', award: 'first', conflict: true,
		},
	};
}

const objectRoutes = () => calls().filter(({ r }) => r.session && r.pattern.includes('{') && !r.test_only);

// The cast and the owner's objects (called at the end of the first `before`).
async function setupObjects() {
	revFj = await newStaff(server, [`reviewer:${FJ}`], 'mrevfj');
	judge = await newStaff(server, [`judge:${GD}`], 'mjudge');
	revGd = await newStaff(server, [`reviewer:${GD}`], 'mrevgd');
	root = await newStaff(server, ['platform_admin'], 'mroot');
	objs.app = appId;
	const me = await owner.get('/api/v1/session');
	assert.equal(me.status, 200, me.text);
	objs.user = me.json.user.id;
	const up = await owner.req('PUT', `/api/v1/applications/${appId}/attachments/qualification?name=${encodeURIComponent('资质.pdf')}`,
		{ body: PDF, headers: { 'Content-Type': 'application/pdf' } });
	assert.equal(up.status, 201, `the owner's attachment: ${up.text}`);
	objs.att = up.json.id;
	const msgs = await owner.get('/api/v1/messages');
	if (msgs.status === 200 && msgs.json.items?.length)
		objs.message = msgs.json.items[0].id;
	const job = await revGd.post(`/api/v1/review/competitions/${GD}/exports`, { format: 'xlsx' });
	if (job.status >= 200 && job.status < 300)
		objs.job = job.json.id ?? job.json.job?.id;
	// A record at 初赛 of another applicant, assigned to judgeA: the
	// judge and award routes name it ({assignment_id}, {application_id},
	// {id} under /judge/), and `judge` is a judge of the same sub-contest
	// who is not assigned to it.
	const admGd = await newStaff(server, [`competition_admin:${GD}`], 'madm');
	judgeA = await newStaff(server, [`judge:${GD}`], 'mjudgea');
	const judged = await approvedApp(await newApplicant(server), revGd);
	await setStage(revGd, judged.id, 'preliminary');
	objs.judged = judged.id;
	const list = await admGd.get(`/api/v1/admin/competitions/${GD}/judges`);
	assert.equal(list.status, 200, list.text);
	const judgeId = list.json.items.find((x) => x.account === judgeA.account).user_id;
	const as = await admGd.post(`/api/v1/admin/competitions/${GD}/judging/preliminary/assignments`,
		{ application_id: judged.id, judge_id: judgeId });
	assert.equal(as.status, 201, as.text);
	objs.assignment = as.json.assignment_id;
}

// Runs every object-scoped call as c; returns [what, status, text] of each.
async function sweep(c) {
	const out = [];
	for (const { r, m } of objectRoutes()) {
		const p = plausible(r, m);
		const res = await c.req(m, fillObj(r.pattern) + p.query, { body: p.body, headers: p.headers || {}, absorb: false });
		assertSecurityHeaders(res, `${m} ${r.pattern}`);
		out.push([`${m} ${r.pattern}`, res.status, res.text.slice(0, 300)]);
	}
	return out;
}

for (const [who, get] of [
	['another applicant', () => other],
	['a reviewer of another sub-contest', () => revFj],
	['an unassigned judge', () => judge],
	['anonymous', () => new Client(server)],
]) {
	test(`object routes × ${who}: no 2xx, no 5xx`, async (t) => {
		const got = await sweep(get());
		assert.ok(got.length >= 30, `only ${got.length} object-scoped calls`);
		const bad = got.filter(([, status]) => status < 400 || status >= 500);
		assert.deepEqual(bad, [], `${who} got these answers on the owner's objects`);
		t.diagnostic(`${got.length} object-scoped calls as ${who}, all 4xx`);
	});
}

test("object routes × the owner: no 5xx, and the owner's own objects are reachable", async (t) => {
	// Read-only here: the owner's writes would change what the others saw.
	const got = [];
	for (const { r, m } of objectRoutes()) {
		if (m !== 'GET')
			continue;
		const res = await owner.req(m, fillObj(r.pattern), { absorb: false });
		got.push([`${m} ${r.pattern}`, res.status, res.text.slice(0, 300)]);
	}
	assert.deepEqual(got.filter(([, s]) => s >= 500), []);
	const ok = new Set(got.filter(([, s]) => s >= 200 && s < 300).map(([w]) => w));
	// The matrix above is only worth something if the filled-in objects exist.
	for (const w of ['GET /api/v1/applications/{id}', 'GET /api/v1/applications/{id}/attachments',
		'GET /api/v1/applications/{id}/attachments/{att}'])
		assert.ok(ok.has(w), `${w} as the owner: ${JSON.stringify(got.find(([x]) => x === w))}`);
	t.diagnostic(`${got.length} GETs as the owner, ${ok.size} of them 2xx; objects ${JSON.stringify(objs)}`);
	// The assigned judge reaches the assignment the other judge may not.
	const assigned = await judgeA.get(`/api/v1/judge/assignments/${objs.assignment}`);
	assert.equal(assigned.status, 200, assigned.text);
	const mine = await owner.get(`/api/v1/applications/${appId}`);
	assert.equal(mine.status, 200);
	assert.equal(mine.json.version, 1, 'nobody else changed the record');
	const atts = await owner.get(`/api/v1/applications/${appId}/attachments`);
	assert.equal(atts.status, 200, atts.text);
	assert.ok(JSON.stringify(atts.json).includes(`"id":${objs.att}`), 'nobody else deleted the attachment');
});

// A fresh applicant for the malformed requests, so a route that signs out
// or changes the account (logout, password change) hurts nobody else.
async function throwaway(tag) {
	const c = new Client(server);
	await register(c, { account: u.account(tag), phone: u.phone() });
	return c;
}

const BAD_VALUES = ['0', '-1', '99999999999999999999', '9223372036854775808', 'abc', '1.5', '1e3', '0x10',
	'%00', '%E4%B8%AD', '%FF', '%201', '1%2F2', 'x'.repeat(300)];

test('bad path parameters (out of range, not numbers, bad escapes) get a 4xx on every route', async (t) => {
	// As an applicant, and as a platform admin, who gets past every role
	// check to the handler's own reading of the parameter.
	const applicant = await throwaway('mpp');
	let n = 0;
	const bad = [];
	for (const [c, { r, m }] of calls().flatMap((x) => [[applicant, x], [root, x]])) {
		if (r.test_only || !r.pattern.includes('{'))
			continue;
		const names = [...r.pattern.matchAll(/\{([a-z_]+)\}/g)].map((x) => x[1]);
		for (const name of names) {
			for (const value of BAD_VALUES) {
				const p = plausible(r, m);
				const res = await c.req(m, fillObj(r.pattern, { [name]: value }) + p.query,
					{ body: p.body, headers: p.headers || {}, absorb: false });
				n++;
				if (res.status < 400 || res.status >= 500)
					bad.push([`${m} ${r.pattern} {${name}}=${value}`, res.status, res.text.slice(0, 200)]);
			}
		}
	}
	assert.deepEqual(bad, []);
	t.diagnostic(`${n} requests with a bad path parameter, all 4xx`);
});

test('bad query strings never give a 5xx', async (t) => {
	const c = await throwaway('mqs');
	const queries = ['?%zz=1', '?page=-1&page_size=99999999999999999999', '?q=%FF%FE', '?name=%00&row=%',
		'?status=%E4%B8&sort=%', '?&&==&', `?q=${'x'.repeat(4000)}`, '?per_page=abc&page=1e9&track=%2F..%2F',
		'?format=../../etc/passwd&download=%0d%0aSet-Cookie:x=1'];
	let n = 0;
	const bad = [];
	for (const { r, m } of calls()) {
		if (m !== 'GET' || r.test_only)
			continue;
		for (const q of queries) {
			const res = await c.req(m, fillObj(r.pattern) + q, { absorb: false });
			n++;
			assertSecurityHeaders(res, `${m} ${r.pattern}${q.slice(0, 40)}`);
			if (res.status >= 500)
				bad.push([`${m} ${r.pattern}${q.slice(0, 60)}`, res.status, res.text.slice(0, 200)]);
			assert.ok(!(res.headers['set-cookie'] || []).some((v) => v.startsWith('x=')), 'no header injection');
		}
	}
	assert.deepEqual(bad, []);
	t.diagnostic(`${n} GETs with a broken query string, none 5xx`);
});

test('JSON routes refuse other content types, and every route refuses a body over its cap, with a 4xx', async (t) => {
	const c = await throwaway('mct');
	let n = 0;
	const bad = [];
	for (const { r, m } of calls()) {
		if (!UNSAFE.has(m) || r.test_only || r.stream)
			continue;
		const url = fillObj(r.pattern);
		if (r.json) {
			for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
				'application/jsonx', 'text/json']) {
				const res = await c.req(m, url, { body: '{"version":1}', headers: { 'Content-Type': type }, absorb: false });
				n++;
				if (res.status < 400 || res.status >= 500)
					bad.push([`${m} ${r.pattern} as ${type}`, res.status, res.text.slice(0, 200)]);
			}
		}
		// A body over the cap (caps up to 64 KiB; the big ones are the
		// upload limits, which 42-att-caps checks).
		if (r.body_cap >= 0 && r.body_cap <= 65536) {
			const body = `{"note":"${'x'.repeat(r.body_cap + 16)}"}`;
			const res = await c.req(m, url, { body, absorb: false });
			n++;
			if (res.status < 400 || res.status >= 500)
				bad.push([`${m} ${r.pattern} with ${body.length} bytes (cap ${r.body_cap})`, res.status, res.text.slice(0, 200)]);
		}
	}
	assert.deepEqual(bad, []);
	t.diagnostic(`${n} requests with a wrong content type or an oversized body, all 4xx`);
});
