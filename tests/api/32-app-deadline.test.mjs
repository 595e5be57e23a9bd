// 32-app-deadline: the registration window is the server's to decide. The
// catalog's real 2026 dates are past, so without 演示 mode creating and
// submitting are refused with the Chinese reason; in 演示 mode the window
// is open around today, and once the (test) clock is past its close the
// drafts are read-only, saying why in read_only_reason.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, createStore, request, startServer } from './lib.mjs';
import { TEST_MODE, advanceClock } from './auth-lib.mjs';
import {
	APPS, startAppServer, newApplicant, completeDoc, createApp, getApp, putDoc,
	saveDoc, patchSection, submitApp, relogin,
} from './app-fixtures.mjs';

const CLOSED = /^报名已截止/;

async function platform(server) {
	const res = await request(server, '/api/v1/platform');
	assert.equal(res.status, 200, res.text);
	return res.json;
}

test('without 演示 mode the 2026 dates are past: creating and submitting are refused with the reason', async () => {
	const store = createStore();
	try {
		// A draft made while registration was open (演示 mode) …
		let alice;
		let draft;
		let done;
		{
			const s = await startAppServer({ store });
			try {
				alice = await newApplicant(s);
				const a = await createApp(alice);
				draft = await saveDoc(alice, a.id, a.version, completeDoc());
				const b = await createApp(alice);
				done = await saveDoc(alice, b.id, b.version, completeDoc());
				const sub = await submitApp(alice, b.id);
				assert.equal(sub.status, 200, sub.text);
				done = sub.json;
			} finally {
				await s.stop();
			}
		}
		// … then the same store served with the catalog's real dates.
		const s = await startServer({ store, args: [...TEST_MODE, '--sms-ip-hourly-limit', '100000'] });
		try {
			const p = await platform(s);
			assert.equal(p.demo, false);
			const gd = p.registration.find((x) => x.slug === 'guangdong-2026');
			assert.deepEqual(gd, {
				slug: 'guangdong-2026', opens: '2026-06-13T00:00:00+08:00',
				closes: '2026-07-15T23:59:59+08:00', resubmit_closes: null, open: false,
			});
			assert.ok(Date.parse(p.now) > Date.parse(gd.closes), `the server clock (${p.now}) is past the close`);
			const fj = p.registration.find((x) => x.slug === 'fujian-2026');
			assert.equal(fj.open, false);

			alice.server = s; // the session lives in the store
			assert.equal((await alice.session()).authenticated, true);
			const c = await alice.post(APPS, { competition: 'guangdong-2026' });
			assertError(c, 409, 'registration_closed');
			assert.match(c.json.error.message, CLOSED);
			assert.equal(c.json.error.message, '报名已截止，草稿不可再编辑或提交');
			// A sub-contest whose dates are not published yet says so.
			const f = await alice.post(APPS, { competition: 'fujian-2026' });
			assertError(f, 409, 'registration_closed');
			assert.equal(f.json.error.message, '本分赛报名时间待公布');

			// The draft is there, read-only, and cannot be submitted.
			const got = await getApp(alice, draft.id);
			assert.equal(got.status, 'draft');
			assert.match(got.read_only_reason, CLOSED);
			assert.deepEqual(got.actions, { view: true, edit: false, submit: false, delete: true });
			const sub = await submitApp(alice, draft.id, { version: draft.version });
			assertError(sub, 409, 'not_submittable');
			assert.match(sub.json.error.message, CLOSED);
			const put = await putDoc(alice, draft.id, draft.version, completeDoc());
			assertError(put, 409, 'not_editable');
			assert.match(put.json.error.message, CLOSED);
			assertError(await patchSection(alice, draft.id, draft.version, 'team', { name: '截止后改名' }), 409, 'not_editable');
			assert.deepEqual(await getApp(alice, draft.id), got, 'nothing changed');
			// The submitted record stays as it was.
			const d = await getApp(alice, done.id);
			assert.equal(d.status, 'submitted');
			assert.deepEqual(d.doc, done.doc);
			// The list says the same.
			const list = await alice.get(APPS);
			const item = list.json.items.find((i) => i.id === draft.id);
			assert.deepEqual(item.actions, { view: true, edit: false, submit: false, delete: true });
		} finally {
			await s.stop();
		}
	} finally {
		store.destroy();
	}
});

test('in 演示 mode, with the clock past the window, drafts are read-only with the reason', async () => {
	const s = await startAppServer();
	try {
		const before = await platform(s);
		assert.equal(before.demo, true);
		const gd = before.registration.find((x) => x.slug === 'guangdong-2026');
		assert.equal(gd.open, true);
		const now = Date.parse(before.now);
		const closes = Date.parse(gd.closes);
		// Open from 30 days ago to 60 days on.
		assert.ok(Math.abs(closes - now - 60 * 86400e3) < 120e3, `${gd.closes} vs ${before.now}`);
		assert.ok(Math.abs(now - Date.parse(gd.opens) - 30 * 86400e3) < 120e3, `${gd.opens} vs ${before.now}`);
		assert.ok(before.registration.every((x) => x.open), 'every sub-contest is open in 演示 mode');

		const alice = await newApplicant(s);
		const a = await createApp(alice);
		const draft = await saveDoc(alice, a.id, a.version, completeDoc());
		const fresh = await getApp(alice, draft.id);
		assert.equal(fresh.read_only_reason, null);
		assert.equal(fresh.actions.edit, true);

		await advanceClock(alice, 61 * 86400);
		const after = await platform(s);
		const gd2 = after.registration.find((x) => x.slug === 'guangdong-2026');
		assert.equal(gd2.open, false, JSON.stringify(after));
		// The 演示 window stays around the real today: it did not move with the clock.
		assert.ok(Math.abs(Date.parse(gd2.closes) - closes) < 120e3, `${gd2.closes} vs ${gd.closes}`);
		assert.ok(Date.parse(after.now) > Date.parse(gd2.closes), `${after.now} is past ${gd2.closes}`);

		if (!(await alice.session()).authenticated)
			await relogin(alice);
		const got = await getApp(alice, draft.id);
		assert.equal(got.status, 'draft');
		assert.match(got.read_only_reason, CLOSED);
		assert.equal(got.actions.edit, false);
		assert.equal(got.actions.submit, false);
		const put = await putDoc(alice, draft.id, draft.version, completeDoc());
		assertError(put, 409, 'not_editable');
		assert.match(put.json.error.message, CLOSED);
		const sub = await submitApp(alice, draft.id);
		assertError(sub, 409, 'not_submittable');
		assert.match(sub.json.error.message, CLOSED);
		const c = await alice.post(APPS, { competition: 'guangdong-2026' });
		assertError(c, 409, 'registration_closed');
		assert.match(c.json.error.message, CLOSED);
		assert.deepEqual(await getApp(alice, draft.id), got, 'nothing changed');
	} finally {
		await s.stop();
	}
});
