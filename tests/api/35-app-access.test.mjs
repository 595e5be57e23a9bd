// 35-app-access: whose record is it. Another applicant's record is as
// absent as a missing one (404 on every verb, no IDOR), a reviewer acts
// only on the sub-contest they review, and nothing answers without a
// session (401).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, request } from './lib.mjs';
import { Client } from './auth-lib.mjs';
import {
	APPS, startAppServer, newApplicant, newStaff, completeDoc, createApp, getApp, saveDoc,
	submitted,
} from './app-fixtures.mjs';

let server;
let alice;
let mallory;

before(async () => {
	server = await startAppServer();
	alice = await newApplicant(server);
	mallory = await newApplicant(server);
});

after(() => server?.stop());

// Every verb on one record, as client c; returns [what, response] pairs.
async function everyVerb(c, id, version) {
	const doc = completeDoc();
	return [
		['GET', await c.get(`${APPS}/${id}`)],
		['PUT', await c.req('PUT', `${APPS}/${id}`, { body: { version, doc } })],
		['PATCH', await c.req('PATCH', `${APPS}/${id}`, { body: { version, section: 'team', value: { name: '别人的团队' } } })],
		['validate', await c.post(`${APPS}/${id}/validate`)],
		['submit', await c.post(`${APPS}/${id}/submit`, { version })],
		['submit (no body)', await c.post(`${APPS}/${id}/submit`)],
		['DELETE', await c.req('DELETE', `${APPS}/${id}`)],
	];
}

test('another applicant gets 404 for my record on GET, PUT, PATCH, validate, submit and DELETE', async () => {
	const a = await createApp(alice);
	const draft = await saveDoc(alice, a.id, a.version, completeDoc());
	const before = await getApp(alice, a.id);
	const missing = await everyVerb(mallory, 987654, 1);
	for (const [what, res] of await everyVerb(mallory, a.id, draft.version)) {
		assertError(res, 404, 'not_found', what);
		// Exactly what a record that does not exist looks like.
		const m = missing.find(([w]) => w === what)[1];
		assert.equal(res.json.error.message, m.json.error.message, what);
		assert.ok(!res.text.includes(before.doc.project.name), what);
	}
	const after = await getApp(alice, a.id);
	assert.deepEqual(after, before, 'nothing changed');
	// Nor in Mallory's list.
	const list = await mallory.get(`${APPS}?per_page=100`);
	assert.equal(list.status, 200);
	assert.ok(!list.json.items.some((i) => i.id === a.id), list.text);
	const found = await mallory.get(`${APPS}?q=${encodeURIComponent(before.doc.project.name)}`);
	assert.equal(found.json.total, 0, found.text);
	// Alice still does everything.
	const sub = await alice.post(`${APPS}/${a.id}/submit`, { version: after.version });
	assert.equal(sub.status, 200, sub.text);
	// Submitted, it is as hidden.
	for (const [what, res] of await everyVerb(mallory, a.id, sub.json.version))
		assertError(res, 404, 'not_found', `submitted: ${what}`);
	// Ids that are not numbers are not found either.
	for (const id of ['abc', '0', '-1', '1e3', '99999999999999999999'])
		assertError(await mallory.get(`${APPS}/${id}`), 404, 'not_found', id);
});

test('a reviewer of fujian-2026 gets 404 deciding a guangdong-2026 record', async () => {
	const fj = await newStaff(server, ['reviewer:fujian-2026'], 'fjrev');
	const gdAdminOfFujian = await newStaff(server, ['competition_admin:fujian-2026'], 'fjadm');
	const gd = await newStaff(server, ['reviewer:guangdong-2026'], 'gdrev');
	const s = await submitted(alice, completeDoc());
	for (const c of [fj, gdAdminOfFujian, mallory]) {
		const ap = await c.post(`/api/v1/review/applications/${s.id}/approve`, {});
		assertError(ap, 404, 'not_found', c.account);
		const ret = await c.post(`/api/v1/review/applications/${s.id}/return`, { reason: '越权退回' });
		assertError(ret, 404, 'not_found', c.account);
		// Like a record that does not exist.
		const none = await c.post('/api/v1/review/applications/987654/approve', {});
		assert.equal(ap.json.error.message, none.json.error.message);
	}
	assert.equal((await getApp(alice, s.id)).status, 'submitted');
	// A reviewer does not read applicants' records through the applicant API.
	assertError(await fj.get(`${APPS}/${s.id}`), 404, 'not_found');
	assertError(await gd.get(`${APPS}/${s.id}`), 404, 'not_found');
	// The guangdong-2026 reviewer decides it.
	const ok = await gd.post(`/api/v1/review/applications/${s.id}/approve`, {});
	assert.equal(ok.status, 200, ok.text);

	// A fujian-2026 record is the fujian-2026 reviewer's.
	const f = await submitted(alice, completeDoc({ basic: { competition: 'fujian-2026' } }), 'fujian-2026');
	assertError(await gd.post(`/api/v1/review/applications/${f.id}/return`, { reason: '不是我的分赛' }), 404, 'not_found');
	assert.equal((await fj.post(`/api/v1/review/applications/${f.id}/return`, { reason: '请补充材料' })).status, 200);
});

test('without a session every application endpoint answers 401', async () => {
	const a = await createApp(alice);
	const anon = new Client(server);
	const calls = [
		['GET', APPS, undefined],
		['POST', APPS, { competition: 'guangdong-2026' }],
		['GET', `${APPS}/${a.id}`, undefined],
		['PUT', `${APPS}/${a.id}`, { version: 1, doc: {} }],
		['PATCH', `${APPS}/${a.id}`, { version: 1, section: 'team', value: {} }],
		['DELETE', `${APPS}/${a.id}`, undefined],
		['POST', `${APPS}/${a.id}/validate`, undefined],
		['POST', `${APPS}/${a.id}/submit`, undefined],
		['POST', `/api/v1/review/applications/${a.id}/approve`, {}],
		['POST', `/api/v1/review/applications/${a.id}/return`, { reason: 'x' }],
		['POST', '/api/v1/admin/unit-lists/dishonest', undefined],
		['POST', '/api/v1/admin/uscc-verified', { uscc: '91350100M000100Y43', note: '' }],
	];
	for (const [method, p, body] of calls) {
		// With the anonymous session's CSRF token, as a browser would send.
		const res = await anon.req(method, p, { body });
		assertError(res, 401, 'login_required', `${method} ${p}`);
		// And bare, with no cookie at all.
		const bare = await request(server, p, {
			method, body: body === undefined ? undefined : JSON.stringify(body),
			headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		});
		assertError(bare, 401, 'login_required', `bare ${method} ${p}`);
	}
	assert.equal((await getApp(alice, a.id)).version, a.version);
	// The form schema is public.
	assert.equal((await request(server, '/api/v1/competitions/guangdong-2026/form')).status, 200);
});
