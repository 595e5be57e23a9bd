// 51-console-decisions: decisions of the console — stages 初赛 → 决赛 →
// 国赛推送 one step at a time, for approved records only; approve, return
// and stage in batch, each record its own transition with its own result;
// and the return-reason templates admins keep and reviewers pick from.
// Every decision is in the history the applicant reads.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError } from './lib.mjs';
import { APPS, createApp, getApp } from './app-fixtures.mjs';
import {
	GD, FJ, REVIEW, startConsole, outsiders, decide, batch, approve, setStage,
	submittedApp, approvedApp,
	stopClean,
} from './console-fixtures.mjs';
import { Client } from './auth-lib.mjs';

let cast;

before(async () => {
	cast = await startConsole();
});

after(() => stopClean(cast?.server));

test('stages advance one step at a time, for approved records, each in the history', async () => {
	const { alice, rev } = cast;
	const s = await submittedApp(alice);
	// Not yet approved: no stage.
	assertError(await decide(rev, s.id, 'stage', { stage: 'preliminary' }), 409, 'not_approved');
	await approve(rev, s.id);
	const before = await getApp(alice, s.id);
	// No skipping: 决赛 comes after 初赛.
	const skip = await decide(rev, s.id, 'stage', { stage: 'final' });
	assertError(skip, 409, 'stage_order');
	assert.match(skip.json.error.message, /依次推进/);
	assertError(await decide(rev, s.id, 'stage', { stage: 'national' }), 409, 'stage_order');

	const one = await setStage(rev, s.id, 'preliminary');
	assert.deepEqual(one, {
		id: s.id, status: 'approved', status_label: '已通过', stage: 'preliminary', stage_label: '初赛',
		tech_status: 'not_started', tech_status_label: '未开始', version: before.version + 1,
	});
	// No going back, no standing still.
	assertError(await decide(rev, s.id, 'stage', { stage: 'preliminary' }), 409, 'stage_order');
	assert.equal((await setStage(rev, s.id, 'final')).stage_label, '决赛');
	assert.equal((await setStage(rev, s.id, 'national')).stage_label, '国赛推送');
	const last = await decide(rev, s.id, 'stage', { stage: 'national' });
	assertError(last, 409, 'stage_order');
	assert.match(last.json.error.message, /最后阶段/);
	assertError(await decide(rev, s.id, 'stage', { stage: 'preliminary' }), 409, 'stage_order');

	const got = await getApp(alice, s.id);
	assert.equal(got.stage, 'national');
	assert.equal(got.stage_label, '国赛推送');
	assert.equal(got.status, 'approved');
	assert.equal(got.version, before.version + 3);
	const steps = got.history.filter((h) => h.action === 'stage');
	assert.deepEqual(steps.map((h) => [h.from_value, h.to_value, h.from_status, h.to_status]), [
		['unreviewed', 'preliminary', 'approved', 'approved'],
		['preliminary', 'final', 'approved', 'approved'],
		['final', 'national', 'approved', 'approved'],
	]);
	for (const h of steps)
		assert.notEqual(h.actor_id, got.history[0].actor_id, 'the reviewer took the step');
	// The applicant's list shows 已通过 / 国赛推送.
	const list = await alice.get(APPS);
	const item = list.json.items.find((i) => i.id === s.id);
	assert.equal(item.status_label, '已通过');
	assert.equal(item.stage_label, '国赛推送');
});

test('stage input: only the three stages', async () => {
	const s = await approvedApp(cast.alice, cast.rev);
	for (const body of [{}, { stage: 'unreviewed' }, { stage: 'semi' }, { stage: 3 }, { stage: 'final', x: 1 }]) {
		const res = await decide(cast.rev, s.id, 'stage', body);
		assertError(res, 422, 'invalid', JSON.stringify(body));
	}
	const res = await decide(cast.rev, s.id, 'stage', { stage: 'semi' });
	assert.equal(res.json.error.fields[0].field, 'stage');
	assertError(await decide(cast.rev, 999999, 'stage', { stage: 'preliminary' }), 404, 'not_found');
	assertError(await decide(cast.rev, 'abc', 'stage', { stage: 'preliminary' }), 404, 'not_found');
});

test('who may set a stage', async () => {
	const s = await approvedApp(cast.alice, cast.rev);
	for (const [who, c] of outsiders(cast))
		assertError(await decide(c, s.id, 'stage', { stage: 'preliminary' }), 404, 'not_found', who);
	assertError(await decide(new Client(cast.server), s.id, 'stage', { stage: 'preliminary' }), 401, 'login_required');
	assert.equal((await setStage(cast.admin, s.id, 'preliminary')).stage, 'preliminary');
	assert.equal((await setStage(cast.root, s.id, 'final')).stage, 'final');
});

test('batch approve: each record its own transition and result', async () => {
	const { alice, bob, rev } = cast;
	const a = await submittedApp(alice);
	const b = await submittedApp(bob);
	const draft = await createApp(alice);
	const fj = await submittedApp(alice, {}, FJ);
	const done = await approvedApp(bob, rev);
	const res = await batch(rev, { action: 'approve', ids: [a.id, draft.id, b.id, fj.id, 999999, done.id] });
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.action, 'approve');
	assert.equal(res.json.succeeded, 2);
	assert.equal(res.json.failed, 4);
	const by = Object.fromEntries(res.json.results.map((x) => [x.id, x]));
	assert.deepEqual(res.json.results.map((x) => x.id), [a.id, draft.id, b.id, fj.id, 999999, done.id]);
	assert.equal(by[a.id].ok, true);
	assert.equal(by[a.id].status, 'approved');
	assert.equal(typeof by[a.id].version, 'number');
	assert.equal(by[b.id].ok, true);
	assert.equal(by[draft.id].ok, false);
	assert.equal(by[draft.id].error.code, 'not_submitted');
	assert.match(by[draft.id].error.message, /只有已提交的报名可以审核/);
	// Another sub-contest's record is as unknown as a missing one.
	assert.deepEqual(by[fj.id].error, by[999999].error);
	assert.equal(by[fj.id].error.code, 'not_found');
	assert.equal(by[done.id].error.code, 'not_submitted');
	for (const [c, id] of [[alice, a.id], [bob, b.id]]) {
		const got = await getApp(c, id);
		assert.equal(got.status, 'approved');
		assert.deepEqual(got.history.map((h) => h.action), ['create', 'submit', 'approve']);
	}
	assert.equal((await getApp(alice, fj.id)).status, 'submitted');
});

test('batch return needs a reason, which each record carries', async () => {
	const { alice, bob, rev } = cast;
	const a = await submittedApp(alice);
	const b = await submittedApp(bob);
	const none = await batch(rev, { action: 'return', ids: [a.id, b.id] });
	assertError(none, 422, 'invalid');
	assert.equal(none.json.error.fields[0].field, 'reason');
	const reason = '附件不清晰，请重新上传清晰的扫描件。';
	const res = await batch(rev, { action: 'return', ids: [a.id, b.id], reason });
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.succeeded, 2);
	for (const [c, id] of [[alice, a.id], [bob, b.id]]) {
		const got = await getApp(c, id);
		assert.equal(got.status, 'returned');
		assert.equal(got.return_reason, reason);
		assert.equal(got.history.at(-1).action, 'return');
		assert.equal(got.history.at(-1).reason, reason);
	}
});

test('batch stage: approved records move one step; others say why', async () => {
	const { alice, bob, rev } = cast;
	const a = await approvedApp(alice, rev);
	const b = await approvedApp(bob, rev);
	const sub = await submittedApp(alice);
	let res = await batch(rev, { action: 'stage', stage: 'preliminary', ids: [a.id, b.id, sub.id] });
	assert.equal(res.status, 200, res.text);
	assert.deepEqual(res.json.results.map((x) => x.ok), [true, true, false]);
	assert.equal(res.json.results[0].stage, 'preliminary');
	assert.equal(res.json.results[2].error.code, 'not_approved');
	// b again: it is already there; a skips nothing.
	res = await batch(rev, { action: 'stage', stage: 'national', ids: [a.id] });
	assert.equal(res.json.results[0].error.code, 'stage_order');
	res = await batch(rev, { action: 'stage', stage: 'final', ids: [a.id, b.id] });
	assert.equal(res.json.succeeded, 2);
	assert.equal((await getApp(bob, b.id)).stage, 'final');
});

test('batch input: action, ids (1 to 200, distinct), reason and stage where they belong', async () => {
	const s = await submittedApp(cast.alice);
	const cases = [
		[{ ids: [s.id] }, 'action', 'required'],
		[{ action: 'delete', ids: [s.id] }, 'action', 'invalid'],
		[{ action: 'approve' }, 'ids', 'required'],
		[{ action: 'approve', ids: [] }, 'ids', 'required'],
		[{ action: 'approve', ids: 'all' }, 'ids', 'type'],
		[{ action: 'approve', ids: [s.id, 'x'] }, 'ids', 'type'],
		[{ action: 'approve', ids: [0] }, 'ids', 'type'],
		[{ action: 'approve', ids: [s.id, s.id] }, 'ids', 'duplicate'],
		[{ action: 'approve', ids: Array.from({ length: 201 }, (_, i) => i + 1) }, 'ids', 'too_many'],
		[{ action: 'stage', ids: [s.id] }, 'stage', 'required'],
		[{ action: 'stage', ids: [s.id], stage: 'semi' }, 'stage', 'invalid'],
		[{ action: 'stage', ids: [s.id], stage: 'final', reason: 'x' }, 'reason', 'not_allowed'],
		[{ action: 'approve', ids: [s.id], stage: 'final' }, 'stage', 'not_allowed'],
		[{ action: 'return', ids: [s.id], reason: 'x'.repeat(1001) }, 'reason', 'too_long'],
		[{ action: 'approve', ids: [s.id], extra: 1 }, 'extra', 'unknown_field'],
	];
	for (const [body, field, code] of cases) {
		const res = await batch(cast.rev, body);
		assertError(res, 422, 'invalid', JSON.stringify(body).slice(0, 80));
		assert.ok(res.json.error.fields.some((f) => f.field === field && f.code === code),
			`${JSON.stringify(body).slice(0, 80)}: ${res.text}`);
	}
	// 200 ids are fine.
	const res = await batch(cast.rev, { action: 'approve', ids: Array.from({ length: 200 }, (_, i) => 900000 + i) });
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.failed, 200);
	assert.equal((await getApp(cast.alice, s.id)).status, 'submitted');
});

test('who may take batch decisions', async () => {
	const s = await submittedApp(cast.alice);
	for (const [who, c] of outsiders(cast))
		assertError(await batch(c, { action: 'approve', ids: [s.id] }), 404, 'not_found', who);
	assertError(await batch(new Client(cast.server), { action: 'approve', ids: [s.id] }), 401, 'login_required');
	assertError(await batch(cast.rev, { action: 'approve', ids: [s.id] }, 'nowhere'), 404, 'competition_not_found');
	// A fujian reviewer batching in fujian cannot reach a guangdong record.
	const fj = await batch(cast.revFj, { action: 'approve', ids: [s.id] }, FJ);
	assert.equal(fj.status, 200, fj.text);
	assert.equal(fj.json.results[0].error.code, 'not_found');
	assert.equal((await getApp(cast.alice, s.id)).status, 'submitted');
	const ok = await batch(cast.admin, { action: 'approve', ids: [s.id] });
	assert.equal(ok.json.succeeded, 1);
});

const REASONS = `${REVIEW}/competitions/${GD}/return-reasons`;

test('return-reason templates: a built-in list in Chinese until an admin edits it', async () => {
	const res = await cast.rev.get(REASONS);
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.custom, false);
	assert.ok(res.json.reasons.length >= 3);
	assert.ok(res.json.reasons.some((x) => x.startsWith('申报材料不完整')), res.text);
	assert.ok(res.json.reasons.some((x) => x.startsWith('附件不清晰')));
	assert.ok(res.json.reasons.some((x) => x.startsWith('单位信息与营业执照不一致')));
});

test('return-reason templates: admins edit, reviewers read, outsiders see nothing', async () => {
	const mine = ['请补充资格证明材料。', '  项目PPT无法打开，请重新上传。  '];
	assertError(await cast.rev.req('PUT', REASONS, { body: { reasons: mine } }), 403, 'forbidden');
	for (const [who, c] of outsiders(cast)) {
		assertError(await c.get(REASONS), 404, 'not_found', who);
		assertError(await c.req('PUT', REASONS, { body: { reasons: mine } }), 404, 'not_found', who);
	}
	assertError(await new Client(cast.server).get(REASONS), 401, 'login_required');
	const put = await cast.admin.req('PUT', REASONS, { body: { reasons: mine } });
	assert.equal(put.status, 200, put.text);
	assert.deepEqual(put.json, { reasons: ['请补充资格证明材料。', '项目PPT无法打开，请重新上传。'], custom: true });
	assert.deepEqual((await cast.rev.get(REASONS)).json, put.json);
	// Fujian keeps its own (the built-in) list.
	assert.equal((await cast.revFj.get(`${REVIEW}/competitions/${FJ}/return-reasons`)).json.custom, false);
	// An empty list is allowed: no templates, free text only.
	const empty = await cast.root.req('PUT', REASONS, { body: { reasons: [] } });
	assert.deepEqual(empty.json, { reasons: [], custom: true });
	// The change is in the audit log.
	const log = await cast.root.get('/api/v1/admin/audit?action=return_reasons_set');
	assert.equal(log.status, 200, log.text);
	assert.equal(log.json.items[0].competition, GD);
	assert.deepEqual(log.json.items[0].detail.before, put.json.reasons);
	assert.deepEqual(log.json.items[0].detail.after, []);
});

test('return-reason templates: each checked, every problem at once', async () => {
	const cases = [
		[{}, 'reasons', 'required'],
		[{ reasons: 'x' }, 'reasons', 'type'],
		[{ reasons: ['ok', ''] }, 'reasons[1]', 'required'],
		[{ reasons: ['ok', 7] }, 'reasons[1]', 'required'],
		[{ reasons: ['长'.repeat(201)] }, 'reasons[0]', 'too_long'],
		[{ reasons: ['第一行\n第二行'] }, 'reasons[0]', 'too_long'],
		[{ reasons: ['同一条', '同一条'] }, 'reasons[1]', 'duplicate'],
		[{ reasons: Array.from({ length: 31 }, (_, i) => `原因${i}`) }, 'reasons', 'too_many'],
		[{ reasons: [], more: 1 }, 'more', 'unknown_field'],
	];
	for (const [body, field, code] of cases) {
		const res = await cast.admin.req('PUT', REASONS, { body });
		assertError(res, 422, 'invalid', JSON.stringify(body).slice(0, 60));
		assert.ok(res.json.error.fields.some((f) => f.field === field && f.code === code),
			`${JSON.stringify(body).slice(0, 60)}: ${res.text}`);
	}
	const ok = await cast.admin.req('PUT', REASONS, { body: { reasons: ['长'.repeat(200)] } });
	assert.equal(ok.status, 200, ok.text);
});
