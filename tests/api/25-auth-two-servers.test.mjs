// 25-auth-two-servers: sessions live in the database, so two `saiwu serve`
// processes on one store (and one key file) honour each other's sign-ins
// and sign-outs — the set-up DESIGN §4 describes for scaling out.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, createStore } from './lib.mjs';
import { Client, TEST_MODE, uniques, register } from './auth-lib.mjs';

let store, a, b;
const u = uniques('35');

before(async () => {
	store = createStore();
	a = await startServer({ store, args: TEST_MODE });
	b = await startServer({ store, args: TEST_MODE });
});
after(async () => {
	await a?.stop();
	await b?.stop();
	store?.destroy();
});

test('a session made on one server works on the other, and a sign-out on it ends it everywhere', async () => {
	const onA = new Client(a);
	await register(onA, { account: u.account(), phone: u.phone() });
	const me = await onA.req('GET', '/api/v1/session');
	assert.equal(me.json.authenticated, true);

	// The same cookies, sent to the second process.
	const onB = new Client(b);
	onB.jar = new Map(onA.jar);
	const there = await onB.req('GET', '/api/v1/session');
	assert.equal(there.status, 200);
	assert.equal(there.json.authenticated, true, there.text);
	assert.equal(there.json.user.id, me.json.user.id);
	assert.equal(there.json.csrf_token, me.json.csrf_token, 'the CSRF token is derived, not stored per process');

	// A state change on B with A's token is accepted, and signs out on A too.
	onB.csrf = me.json.csrf_token;
	const out = await onB.req('POST', '/api/v1/logout');
	assert.equal(out.status, 200, out.text);
	const after = await onA.req('GET', '/api/v1/session');
	assert.equal(after.json.authenticated, false, 'revoked on the other process');
});
