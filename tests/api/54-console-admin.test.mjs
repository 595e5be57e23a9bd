// 54-console-admin: what admins run from the console — the audit log
// viewer (every state change and admin action, append-only, with actor,
// time, address and before/after), the staff of a sub-contest (reviewers
// and judges added by phone or account, and removed), and the schedule
// (registration window and the resubmission deadline) that the server
// then applies.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, startServer } from './lib.mjs';
import {
	APP_ARGS, APPS, getApp, newApplicant, newStaff, uniqueAccount, completeDoc, createApp, saveDoc,
} from './app-fixtures.mjs';
import { Client, TEST_MODE } from './auth-lib.mjs';
import {
	GD, FJ, ADMIN, startConsole, queue, decide, approve, submittedApp,
	stopClean,
} from './console-fixtures.mjs';

let cast;

before(async () => {
	cast = await startConsole();
});

after(() => stopClean(cast?.server));

const AUDIT = `${ADMIN}/audit`;
const staff = (slug = GD) => `${ADMIN}/competitions/${slug}/staff`;
const schedule = (slug = GD) => `${ADMIN}/competitions/${slug}/schedule`;

test('the audit log: state changes and admin actions with actor, address and before/after', async () => {
	const { alice, rev, root, admin } = cast;
	const s = await submittedApp(alice);
	await approve(rev, s.id);
	// An admin's look at the personal data is logged too.
	assert.equal((await admin.get(`/api/v1/review/applications/${s.id}?unmask=1`)).status, 200);
	const res = await root.get(`${AUDIT}?object_type=application&object_id=${s.id}`);
	assert.equal(res.status, 200, res.text);
	assert.deepEqual(res.json.items.map((e) => e.action), ['view_personal_data', 'approve', 'submit', 'create']);
	const [view, ok, sub, create] = res.json.items;
	assert.equal(ok.actor_account, rev.account);
	assert.equal(typeof ok.actor_id, 'number');
	assert.equal(ok.object_type, 'application');
	assert.equal(ok.object_id, s.id);
	assert.equal(ok.competition, GD);
	assert.equal(ok.ip, '127.0.0.1');
	assert.equal(typeof ok.created_at, 'number');
	assert.deepEqual(ok.detail.before, { status: 'submitted', stage: 'unreviewed', tech_status: 'not_started', version: s.version });
	assert.deepEqual(ok.detail.after, { status: 'approved', stage: 'unreviewed', tech_status: 'not_started', version: s.version + 1 });
	assert.equal(sub.actor_account, alice.account);
	assert.deepEqual(sub.detail.after, { status: 'submitted', version: s.version });
	assert.equal(create.detail.before, null);
	assert.equal(view.actor_account, admin.account);
	assert.equal(res.json.total, 4);
	assert.equal(res.json.page, 1);
	assert.equal(res.json.per_page, 50);
	for (const e of res.json.items)
		assert.ok(e.id > 0);
	// Newest first, by id.
	const idsDesc = res.json.items.map((e) => e.id);
	assert.deepEqual(idsDesc, [...idsDesc].sort((a, b) => b - a));
});

test('the audit log: filters by actor (id or account), action, time, sub-contest; paging', async () => {
	const { alice, rev, root } = cast;
	const s = await submittedApp(alice);
	await approve(rev, s.id);
	const who = (await root.get(`${AUDIT}?action=approve&object_id=${s.id}`)).json.items[0];
	let res = await root.get(`${AUDIT}?actor=${who.actor_id}&action=approve`);
	assert.ok(res.json.items.length >= 1);
	assert.ok(res.json.items.every((e) => e.actor_id === who.actor_id && e.action === 'approve'));
	res = await root.get(`${AUDIT}?actor=${rev.account}&action=approve`);
	assert.ok(res.json.items.every((e) => e.actor_account === rev.account));
	res = await root.get(`${AUDIT}?actor=nobody_here`);
	assert.equal(res.json.total, 0);
	const day = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
	res = await root.get(`${AUDIT}?from=${day}&to=${day}&object_type=application&object_id=${s.id}`);
	assert.equal(res.json.total, 3);
	res = await root.get(`${AUDIT}?to=2020-01-01`);
	assert.equal(res.json.total, 0);
	res = await root.get(`${AUDIT}?from=${Math.floor(Date.now() / 1000) + 3600}`);
	assert.equal(res.json.total, 0);
	res = await root.get(`${AUDIT}?competition=${GD}&per_page=2&page=1`);
	assert.equal(res.json.items.length, 2);
	assert.ok(res.json.total > 2);
	assert.ok(res.json.items.every((e) => e.competition === GD));
	for (const [qs, field] of [['object_id=x', 'object_id'], ['from=yesterday', 'from'], ['to=2026-13-01', 'to'],
		['page=0', 'page'], ['per_page=201', 'per_page']]) {
		const r = await root.get(`${AUDIT}?${qs}`);
		assertError(r, 400, 'bad_query', qs);
		assert.equal(r.json.error.fields[0].field, field);
	}
	assertError(await root.get(`${AUDIT}?competition=nowhere`), 400, 'bad_competition');
});

test("the audit log: a sub-contest's admin reads that sub-contest's entries only", async () => {
	const { alice, rev, revFj, admin, adminFj, root } = cast;
	const g = await submittedApp(alice);
	await approve(rev, g.id);
	const f = await submittedApp(alice, {}, FJ);
	await approve(revFj, f.id);
	// A platform-wide action: a verified credit code.
	assert.equal((await root.post('/api/v1/admin/uscc-verified', { uscc: '91350100M000100Y43' })).status, 200);
	// A sub-contest's list import is that sub-contest's entry.
	const imp = await admin.req('POST', `/api/v1/admin/unit-lists/exclusion?competition=${GD}`,
		{ body: '统一社会信用代码,单位名称\n91350100M000100Y43,某某公司\n', headers: { 'Content-Type': 'text/csv' } });
	assert.equal(imp.status, 200, imp.text);
	const mine = await admin.get(AUDIT);
	const listed = mine.json.items.find((e) => e.action === 'unit_list_import');
	assert.ok(listed, mine.text.slice(0, 500));
	assert.equal(listed.object_type, 'exclusion');
	assert.deepEqual(listed.detail, { rows: 1 });
	assert.equal(mine.status, 200, mine.text);
	assert.ok(mine.json.items.length > 0);
	assert.ok(mine.json.items.every((e) => e.competition === GD), mine.text.slice(0, 300));
	assert.ok(mine.json.items.some((e) => e.object_id === g.id));
	assert.equal((await admin.get(`${AUDIT}?competition=${GD}`)).status, 200);
	assertError(await admin.get(`${AUDIT}?competition=${FJ}`), 403, 'forbidden');
	const theirs = await adminFj.get(AUDIT);
	assert.ok(theirs.json.items.every((e) => e.competition === FJ));
	assert.ok(theirs.json.items.some((e) => e.object_id === f.id));
	const all = await root.get(`${AUDIT}?action=uscc_verify`);
	assert.equal(all.json.items[0].competition, null);
	// Reviewers, judges and applicants read no audit log.
	for (const c of [rev, revFj, cast.judge, alice])
		assertError(await c.get(AUDIT), 403, 'forbidden');
	assertError(await new Client(cast.server).get(AUDIT), 401, 'login_required');
	// Append-only: nothing changes or removes an entry.
	for (const m of ['PUT', 'DELETE', 'POST'])
		assertError(await root.req(m, AUDIT, { body: m === 'DELETE' ? undefined : {} }), 405, 'method_not_allowed');
});

test('staff: a sub-contest admin lists, adds by phone or account, and removes reviewers and judges', async () => {
	const { admin, rev, judge, server } = cast;
	let res = await admin.get(staff());
	assert.equal(res.status, 200, res.text);
	const byAccount = Object.fromEntries(res.json.items.map((x) => [x.account, x]));
	assert.deepEqual(byAccount[rev.account].roles, ['reviewer']);
	assert.deepEqual(byAccount[admin.account].roles, ['competition_admin']);
	assert.deepEqual(byAccount[judge.account].roles, ['judge']);
	assert.match(byAccount[rev.account].phone_masked, /^1\d\d\*{4}\d{4}$/);
	assert.ok(!res.text.includes(rev.phone || '—'), 'numbers are masked');
	assert.ok(!res.json.items.some((x) => x.account === cast.revFj.account), 'fujian staff are not listed');

	// A registered applicant becomes a reviewer, by phone.
	const c = await newApplicant(server);
	assertError(await queue(c), 404, 'not_found');
	res = await admin.post(staff(), { role: 'reviewer', phone: c.phone });
	assert.equal(res.status, 201, res.text);
	assert.equal(res.json.added, true);
	assert.deepEqual(res.json.roles, ['reviewer']);
	assert.equal(res.json.account, c.account);
	assert.equal((await queue(c)).status, 200, 'the new reviewer reads the queue');
	// Again: nothing new.
	res = await admin.post(staff(), { role: 'reviewer', phone: `+86 ${c.phone}` });
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.added, false);
	// And a judge, by account name (any case).
	res = await admin.post(staff(), { role: 'judge', account: c.account.toUpperCase() });
	assert.equal(res.status, 201, res.text);
	assert.deepEqual(res.json.roles, ['judge', 'reviewer']);

	// Removing one role, then the rest.
	res = await admin.req('DELETE', `${staff()}/${res.json.user_id}?role=reviewer`);
	assert.equal(res.status, 200, res.text);
	assert.deepEqual(res.json.removed, ['reviewer']);
	assertError(await queue(c), 404, 'not_found');
	const uid = res.json.user_id;
	assertError(await admin.req('DELETE', `${staff()}/${uid}?role=reviewer`), 404, 'not_found');
	res = await admin.req('DELETE', `${staff()}/${uid}`);
	assert.deepEqual(res.json.removed, ['judge']);
	assertError(await admin.req('DELETE', `${staff()}/${uid}`), 404, 'not_found');
	assertError(await admin.req('DELETE', `${staff()}/999999`), 404, 'not_found');
	assertError(await admin.req('DELETE', `${staff()}/${uid}?role=boss`), 400, 'bad_query');

	// Each change is in the audit log of the sub-contest.
	const log = await admin.get(`${AUDIT}?object_type=user&object_id=${uid}`);
	assert.deepEqual(log.json.items.map((e) => e.action), ['staff_remove', 'staff_remove', 'staff_add', 'staff_add', 'staff_add']);
	assert.deepEqual(log.json.items[0].detail.removed, ['judge']);
});

test('staff: input is checked, and only the platform names sub-contest admins', async () => {
	const { admin, root, server } = cast;
	const c = await newApplicant(server);
	const cases = [
		[{ phone: c.phone }, 'role', 'required'],
		[{ role: 'boss', phone: c.phone }, 'role', 'invalid'],
		[{ role: 'reviewer' }, 'phone', 'required'],
		[{ role: 'reviewer', phone: '12345' }, 'phone', 'phone_format'],
		[{ role: 'reviewer', phone: c.phone, account: c.account }, 'account', 'not_allowed'],
		[{ role: 'reviewer', phone: uniqueAccount('nobody').phone }, 'phone', 'not_found'],
		[{ role: 'reviewer', account: 'no_such_user_x' }, 'account', 'not_found'],
		[{ role: 'reviewer', phone: c.phone, note: 1 }, 'note', 'unknown_field'],
	];
	for (const [body, field, code] of cases) {
		const res = await admin.post(staff(), body);
		assertError(res, 422, 'invalid', JSON.stringify(body));
		assert.ok(res.json.error.fields.some((f) => f.field === field && f.code === code), `${JSON.stringify(body)}: ${res.text}`);
	}
	const nf = await admin.post(staff(), { role: 'reviewer', phone: uniqueAccount('nobody2').phone });
	assert.match(nf.json.error.fields[0].message, /尚未注册/);
	assertError(await admin.post(staff(), { role: 'competition_admin', phone: c.phone }), 403, 'forbidden');
	const ok = await root.post(staff(), { role: 'competition_admin', phone: c.phone });
	assert.equal(ok.status, 201, ok.text);
	assert.equal((await c.get(staff())).status, 200, 'the new admin manages the staff');
	assertError(await admin.req('DELETE', `${staff()}/${ok.json.user_id}?role=competition_admin`), 403, 'forbidden');
	// Without ?role= a sub-contest admin removes reviewers and judges only.
	assertError(await admin.req('DELETE', `${staff()}/${ok.json.user_id}`), 404, 'not_found');
	const rm = await root.req('DELETE', `${staff()}/${ok.json.user_id}`);
	assert.deepEqual(rm.json.removed, ['competition_admin']);
});

test('staff: who may manage it', async () => {
	const { rev, revFj, adminFj, alice, judge } = cast;
	for (const c of [rev, revFj, adminFj, alice, judge]) {
		assertError(await c.get(staff()), 403, 'forbidden');
		assertError(await c.post(staff(), { role: 'reviewer', phone: alice.phone }), 403, 'forbidden');
		assertError(await c.req('DELETE', `${staff()}/1`), 403, 'forbidden');
	}
	const anon = new Client(cast.server);
	assertError(await anon.get(staff()), 401, 'login_required');
	assertError(await cast.admin.get(staff('nowhere')), 404, 'competition_not_found');
	assert.equal((await adminFj.get(staff(FJ))).status, 200);
	assert.equal((await cast.root.get(staff(FJ))).status, 200);
});

test('schedule: admins read and set the window and the resubmission deadline', async () => {
	const { admin, root } = cast;
	let res = await admin.get(schedule());
	assert.equal(res.status, 200, res.text);
	assert.deepEqual(res.json, {
		registration_opens: '2026-06-13T00:00:00+08:00', registration_closes: '2026-07-15T23:59:59+08:00',
		resubmit_closes: null, demo: true,
	});
	res = await admin.req('PUT', schedule(), { body: {
		registration_opens: '2026-06-20', registration_closes: '2026-07-20', resubmit_closes: '2026-08-01',
	} });
	assert.equal(res.status, 200, res.text);
	assert.deepEqual(res.json, {
		registration_opens: '2026-06-20T00:00:00+08:00', registration_closes: '2026-07-20T23:59:59+08:00',
		resubmit_closes: '2026-08-01T23:59:59+08:00', demo: true,
	});
	// The public catalog follows within a moment.
	const deadline = Date.now() + 5000;
	let pub;
	do {
		pub = await cast.alice.get(`/api/v1/competitions/${GD}`);
		if (pub.json.registration.opens === '2026-06-20T00:00:00+08:00')
			break;
		await new Promise((r) => setTimeout(r, 200));
	} while (Date.now() < deadline);
	assert.deepEqual(pub.json.registration, { opens: '2026-06-20T00:00:00+08:00', closes: '2026-07-20T23:59:59+08:00' });
	// A part: only the deadline, cleared; the rest stays.
	res = await root.req('PUT', schedule(), { body: { resubmit_closes: null } });
	assert.equal(res.json.resubmit_closes, null);
	assert.equal(res.json.registration_opens, '2026-06-20T00:00:00+08:00');
	res = await root.req('PUT', schedule(), { body: { registration_closes: '2026-07-21T12:00:00+08:00' } });
	assert.equal(res.json.registration_closes, '2026-07-21T12:00:00+08:00');
	// Fujian is untouched.
	assert.equal((await cast.adminFj.get(schedule(FJ))).json.resubmit_closes, null);
	// Audited with before and after.
	const log = await admin.get(`${AUDIT}?action=schedule_set`);
	const first = log.json.items.at(-1);
	assert.equal(first.detail.before.registration_opens, '2026-06-13T00:00:00+08:00');
	assert.equal(first.detail.after.resubmit_closes, '2026-08-01T23:59:59+08:00');
});

test('schedule: input is checked; reviewers and outsiders may not', async () => {
	const { admin } = cast;
	const cases = [
		[{ registration_opens: '2026-08-01', registration_closes: '2026-07-01' }, 'registration_closes', 'order'],
		[{ registration_opens: '6月13日' }, 'registration_opens', 'format'],
		[{ registration_closes: 20260715 }, 'registration_closes', 'format'],
		[{ registration_opens: null }, 'registration_opens', 'required'],
		[{ resubmit_closes: '2020-01-01' }, 'resubmit_closes', 'order'],
		[{ closes: '2026-07-01' }, 'closes', 'unknown_field'],
	];
	for (const [body, field, code] of cases) {
		const res = await admin.req('PUT', schedule(), { body });
		assertError(res, 422, 'invalid', JSON.stringify(body));
		assert.ok(res.json.error.fields.some((f) => f.field === field && f.code === code), `${JSON.stringify(body)}: ${res.text}`);
	}
	for (const c of [cast.rev, cast.revFj, cast.adminFj, cast.alice, cast.judge]) {
		assertError(await c.get(schedule()), 403, 'forbidden');
		assertError(await c.req('PUT', schedule(), { body: { resubmit_closes: null } }), 403, 'forbidden');
	}
	assertError(await new Client(cast.server).get(schedule()), 401, 'login_required');
});

test('schedule: the server applies the dates an admin sets (outside 演示 mode)', async (t) => {
	const server = await startServer({ args: [...TEST_MODE, '--sms-ip-hourly-limit', '100000'] });
	t.after(() => stopClean(server));
	const c = await newApplicant(server);
	const adm = await newStaff(server, [`competition_admin:${GD}`], 'sch');
	const rev = await newStaff(server, [`reviewer:${GD}`], 'schr');
	// The 2026 window is over on this machine's clock or still ahead: either way closed now.
	const create = () => c.post(APPS, { competition: GD });
	const closed = await create();
	if (closed.status === 201)
		assert.fail('the catalog window is open today; this test needs it closed');
	assertError(closed, 409, 'registration_closed');
	const day = (d) => new Date(Date.now() + 8 * 3600 * 1000 + d * 86400 * 1000).toISOString().slice(0, 10);
	const res = await adm.req('PUT', schedule(), { body: { registration_opens: day(-1), registration_closes: day(30) } });
	assert.equal(res.status, 200, res.text);
	let made;
	const deadline = Date.now() + 5000;
	while ((made = await create()).status !== 201 && Date.now() < deadline)
		await new Promise((r) => setTimeout(r, 200));
	assert.equal(made.status, 201, made.text);
	// A returned record may be resubmitted until the resubmission deadline.
	const a = await createApp(c);
	const saved = await saveDoc(c, a.id, a.version, completeDoc());
	assert.equal((await c.post(`${APPS}/${a.id}/submit`, { version: saved.version })).status, 200);
	assert.equal((await decide(rev, a.id, 'return', { reason: '请补充。' })).status, 200);
	assert.equal((await getApp(c, a.id)).actions.edit, true);
	const r2 = await adm.req('PUT', schedule(), { body: { resubmit_closes: `${day(0)}T00:00:01+08:00` } });
	assert.equal(r2.status, 200, r2.text);
	const got = await getApp(c, a.id);
	assert.equal(got.actions.edit, false);
	assert.equal(got.read_only_reason, '退回修改的截止时间已过');
	assert.ok(APP_ARGS.includes('--demo'));
});
