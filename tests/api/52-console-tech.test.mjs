// 52-console-tech: technical verification (技术验证) from both sides. A
// reviewer opens it for an approved record with instructions and a due
// time (待提交); the applicant uploads 技术验证材料 into the tech slot and
// submits before the due time (验证中); the reviewer records 已通过, or
// 未通过 with a comment, and may open it again after a failure. The
// applicant's record shows the instructions, due time and comment, and
// every step is in its history.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError } from './lib.mjs';
import { APPS, PDF, getApp } from './app-fixtures.mjs';
import { advanceClock, Client } from './auth-lib.mjs';
import {
	startConsole, outsiders, decide, submittedApp, approvedApp,
	stopClean,
} from './console-fixtures.mjs';

let cast;

before(async () => {
	cast = await startConsole();
});

after(() => stopClean(cast?.server));

const now = () => Math.floor(Date.now() / 1000);
const open = (c, id, body) => decide(c, id, 'tech-verification', body);
const result = (c, id, body) => decide(c, id, 'tech-verification/result', body);
const submitTech = (c, id, body) => c.post(`${APPS}/${id}/tech-verification/submit`, body);
const upload = (c, id, name = 'demo.pdf') => c.req('PUT', `${APPS}/${id}/attachments/tech?name=${encodeURIComponent(name)}`,
	{ body: PDF, headers: { 'Content-Type': 'application/pdf' } });

test('a full round: open, upload, submit, fail with a comment, open again, pass', async () => {
	const { alice, rev } = cast;
	const s = await approvedApp(alice, rev);
	let got = await getApp(alice, s.id);
	assert.equal(got.tech_status, 'not_started');
	assert.equal(got.tech_verification, null);
	// Nothing to upload into before it is opened.
	assertError(await upload(alice, s.id), 409, 'tech_not_open');
	assertError(await submitTech(alice, s.id), 409, 'tech_state');

	const due = now() + 7 * 86400;
	const instructions = '请上传系统演示视频和测试报告，说明数据处理流程。';
	let res = await open(rev, s.id, { instructions, due_at: due });
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.tech_status, 'pending');
	assert.equal(res.json.tech_status_label, '待提交');
	got = await getApp(alice, s.id);
	assert.deepEqual(got.tech_verification, {
		status: 'pending', status_label: '待提交', instructions, due_at: due,
		submitted_at: null, comment: null, overdue: false, can_submit: true,
	});
	// Opened once is enough.
	assertError(await open(rev, s.id, { instructions, due_at: due }), 409, 'tech_state');

	// Submitting needs a file in the slot.
	res = await submitTech(alice, s.id);
	assertError(res, 422, 'incomplete');
	assert.equal(res.json.error.fields[0].field, 'attachments.tech');
	const up = await upload(alice, s.id);
	assert.equal(up.status, 201, up.text);
	// The reviewer cannot judge before the applicant submits.
	assertError(await result(rev, s.id, { result: 'passed' }), 409, 'tech_state');
	res = await submitTech(alice, s.id, { version: got.version });
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.tech_status, 'verifying');
	assert.equal(res.json.tech_status_label, '验证中');
	assert.equal(typeof res.json.tech_verification.submitted_at, 'number');
	assert.equal(res.json.tech_verification.can_submit, false);
	assertError(await submitTech(alice, s.id), 409, 'tech_state');
	// The slot is closed while it is verified.
	assertError(await upload(alice, s.id, 'more.pdf'), 409, 'tech_not_open');
	assertError(await alice.req('DELETE', `${APPS}/${s.id}/attachments/${up.json.id}`), 409, 'tech_not_open');
	// The reviewer sees the file.
	const files = await rev.get(`${APPS}/${s.id}/attachments`);
	assert.ok(files.json.files.some((f) => f.slot === 'tech'), files.text);

	// 未通过 needs a comment.
	res = await result(rev, s.id, { result: 'failed' });
	assertError(res, 422, 'invalid');
	assert.equal(res.json.error.fields[0].field, 'comment');
	const comment = '演示视频未覆盖数据脱敏流程，请补充。';
	res = await result(rev, s.id, { result: 'failed', comment });
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.tech_status, 'failed');
	assert.equal(res.json.tech_status_label, '未通过');
	got = await getApp(alice, s.id);
	assert.equal(got.tech_verification.comment, comment);
	assert.equal(got.tech_verification.status_label, '未通过');

	// Opened again: 待提交, the old comment cleared, files may change.
	const due2 = now() + 3 * 86400;
	res = await open(rev, s.id, { instructions: '请补充数据脱敏流程的演示。', due_at: due2 });
	assert.equal(res.status, 200, res.text);
	got = await getApp(alice, s.id);
	assert.equal(got.tech_verification.comment, null);
	assert.equal(got.tech_verification.due_at, due2);
	assert.equal(got.tech_verification.submitted_at, null);
	const del = await alice.req('DELETE', `${APPS}/${s.id}/attachments/${up.json.id}`);
	assert.equal(del.status, 204, del.text);
	assert.equal((await upload(alice, s.id, 'v2.pdf')).status, 201);
	assert.equal((await submitTech(alice, s.id)).status, 200);
	res = await result(rev, s.id, { result: 'passed', comment: '验证通过。' });
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.tech_status, 'passed');
	// Passed is final.
	assertError(await open(rev, s.id, { instructions: '再来一次', due_at: now() + 86400 }), 409, 'tech_state');
	assertError(await result(rev, s.id, { result: 'failed', comment: '改主意' }), 409, 'tech_state');

	got = await getApp(alice, s.id);
	assert.equal(got.tech_status_label, '已通过');
	assert.equal(got.tech_verification.comment, '验证通过。');
	const steps = got.history.filter((h) => h.action.startsWith('tech_'));
	assert.deepEqual(steps.map((h) => [h.action, h.from_value, h.to_value]), [
		['tech_open', 'not_started', 'pending'],
		['tech_submit', 'pending', 'verifying'],
		['tech_result', 'verifying', 'failed'],
		['tech_open', 'failed', 'pending'],
		['tech_submit', 'pending', 'verifying'],
		['tech_result', 'verifying', 'passed'],
	]);
	assert.equal(steps[2].reason, comment);
	assert.equal(steps[1].actor_id, got.history[0].actor_id, 'the applicant submitted');
	assert.notEqual(steps[0].actor_id, got.history[0].actor_id, 'a reviewer opened it');
	// The queue filters on it.
	const q = await rev.get(`/api/v1/review/competitions/guangdong-2026/applications?tech_status=passed`);
	assert.ok(q.json.items.some((i) => i.id === s.id), q.text);
});

test('opening needs an approved record, instructions and a due time ahead', async () => {
	const { alice, rev } = cast;
	const sub = await submittedApp(alice);
	assertError(await open(rev, sub.id, { instructions: '请上传', due_at: now() + 86400 }), 409, 'not_approved');
	const s = await approvedApp(alice, rev);
	const cases = [
		[{ due_at: now() + 86400 }, 'instructions', 'required'],
		[{ instructions: '  ', due_at: now() + 86400 }, 'instructions', 'required'],
		[{ instructions: '长'.repeat(2001), due_at: now() + 86400 }, 'instructions', 'too_long'],
		[{ instructions: '请上传' }, 'due_at', 'required'],
		[{ instructions: '请上传', due_at: now() - 60 }, 'due_at', 'past'],
		[{ instructions: '请上传', due_at: '2020-01-01' }, 'due_at', 'past'],
		[{ instructions: '请上传', due_at: '下周一' }, 'due_at', 'format'],
		[{ instructions: '请上传', due_at: true }, 'due_at', 'format'],
		[{ instructions: '请上传', due_at: now() + 400 * 86400 }, 'due_at', 'too_far'],
		[{ instructions: '请上传', due_at: now() + 86400, extra: 1 }, 'extra', 'unknown_field'],
	];
	for (const [body, field, code] of cases) {
		const res = await open(rev, s.id, body);
		assertError(res, 422, 'invalid', JSON.stringify(body).slice(0, 60));
		assert.ok(res.json.error.fields.some((f) => f.field === field && f.code === code),
			`${JSON.stringify(body).slice(0, 60)}: ${res.text}`);
	}
	// A day means the end of that day, China time; an ISO time is taken as it is.
	const day = new Date((now() + 8 * 3600 + 5 * 86400) * 1000).toISOString().slice(0, 10);
	const res = await open(rev, s.id, { instructions: '请上传', due_at: day });
	assert.equal(res.status, 200, res.text);
	const got = await getApp(alice, s.id);
	assert.equal(got.tech_verification.due_at, Date.parse(`${day}T23:59:59+08:00`) / 1000);
	const t = await approvedApp(alice, rev);
	const at = `${new Date((now() + 8 * 3600 + 10 * 86400) * 1000).toISOString().slice(0, 10)}T18:00:00+08:00`;
	const iso = await open(rev, t.id, { instructions: '请上传', due_at: at });
	assert.equal(iso.status, 200, iso.text);
	assert.equal((await getApp(alice, t.id)).tech_verification.due_at, Date.parse(at) / 1000);
});

test('result input: passed or failed', async () => {
	const s = await approvedApp(cast.alice, cast.rev);
	for (const body of [{}, { result: 'ok' }, { result: 'failed', comment: '' }, { result: 'passed', comment: 'x'.repeat(1001) }]) {
		const res = await result(cast.rev, s.id, body);
		assertError(res, 422, 'invalid', JSON.stringify(body).slice(0, 60));
	}
});

test('who may open, judge and submit technical verification', async () => {
	const { alice, bob, rev } = cast;
	const s = await approvedApp(alice, rev);
	const body = { instructions: '请上传', due_at: now() + 86400 };
	for (const [who, c] of outsiders(cast)) {
		assertError(await open(c, s.id, body), 404, 'not_found', who);
		assertError(await result(c, s.id, { result: 'passed' }), 404, 'not_found', who);
	}
	const anon = new Client(cast.server);
	assertError(await open(anon, s.id, body), 401, 'login_required');
	assertError(await submitTech(anon, s.id), 401, 'login_required');
	assert.equal((await open(cast.admin, s.id, body)).status, 200);
	assert.equal((await upload(alice, s.id)).status, 201);
	// Another applicant, or a reviewer, cannot submit it.
	assertError(await submitTech(bob, s.id), 404, 'not_found');
	assertError(await submitTech(rev, s.id), 404, 'not_found');
	assertError(await upload(bob, s.id), 404, 'not_found');
	assert.equal((await submitTech(alice, s.id)).status, 200);
	assert.equal((await result(cast.root, s.id, { result: 'passed' })).status, 200);
});

// Last: it moves the server's clock.
test('after the due time the applicant can neither upload nor submit', async () => {
	const { alice, rev } = cast;
	const s = await approvedApp(alice, rev);
	assert.equal((await open(rev, s.id, { instructions: '请上传', due_at: now() + 2 * 3600 })).status, 200);
	assert.equal((await upload(alice, s.id)).status, 201);
	await advanceClock(alice, 3 * 3600);
	const got = await getApp(alice, s.id);
	assert.equal(got.tech_verification.overdue, true);
	assert.equal(got.tech_verification.can_submit, false);
	assertError(await upload(alice, s.id, 'late.pdf'), 409, 'tech_overdue');
	const res = await submitTech(alice, s.id);
	assertError(res, 409, 'tech_overdue');
	assert.match(res.json.error.message, /截止/);
	// The reviewer may open a new round with a new due time after a failure;
	// while it waits, nothing else changes.
	assert.equal((await getApp(alice, s.id)).tech_status, 'pending');
});
