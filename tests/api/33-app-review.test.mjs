// 33-app-review: the formal review as the applicant lives it. A reviewer
// of the sub-contest approves a submitted record or returns it with a
// reason; a returned record may be edited and submitted again, but its
// topic (赛题) is fixed once it was first submitted; the history tells
// create → submit → return (with the reason) → resubmit, and the list
// shows 已退回 with the reason until the resubmit.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError } from './lib.mjs';
import {
	APPS, startAppServer, newApplicant, newStaff, completeDoc, createApp, getApp, putDoc,
	saveDoc, patchSection, submitApp, submitted, fieldErrors, findField,
} from './app-fixtures.mjs';

let server;
let alice;
let reviewer;

before(async () => {
	server = await startAppServer();
	alice = await newApplicant(server);
	reviewer = await newStaff(server, ['reviewer:guangdong-2026'], 'rev');
});

after(() => server?.stop());

const review = (c, id, what, body = {}) => c.post(`/api/v1/review/applications/${id}/${what}`, body);

test('a reviewer approves a submitted record; it is then read-only', async () => {
	const s = await submitted(alice, completeDoc());
	const res = await review(reviewer, s.id, 'approve');
	assert.equal(res.status, 200, res.text);
	assert.deepEqual(res.json, { id: s.id, status: 'approved' });
	const got = await getApp(alice, s.id);
	assert.equal(got.status, 'approved');
	assert.equal(got.status_label, '已通过');
	assert.equal(got.read_only_reason, '已通过审核的报名不可编辑');
	assert.deepEqual(got.actions, { view: true, edit: false, submit: false, delete: false });
	assert.deepEqual(got.history.map((h) => h.action), ['create', 'submit', 'approve']);
	assertError(await putDoc(alice, s.id, got.version, got.doc), 409, 'not_editable');
	assertError(await submitApp(alice, s.id), 409, 'not_submittable');
	// Decided once: neither approved nor returned again.
	assertError(await review(reviewer, s.id, 'approve'), 409, 'not_submitted');
	assertError(await review(reviewer, s.id, 'return', { reason: '再退一次' }), 409, 'not_submitted');
});

test('a return needs a reason, and a draft cannot be reviewed', async () => {
	const s = await submitted(alice, completeDoc());
	const none = await review(reviewer, s.id, 'return', {});
	assertError(none, 422, 'invalid');
	assert.ok(findField(fieldErrors(none), 'reason', 'required'), none.text);
	assertError(await review(reviewer, s.id, 'return', { reason: '   ' }), 422, 'invalid');
	assert.equal((await getApp(alice, s.id)).status, 'submitted');

	const d = await createApp(alice);
	assertError(await review(reviewer, d.id, 'approve'), 409, 'not_submitted');
	assertError(await review(reviewer, d.id, 'return', { reason: '草稿' }), 409, 'not_submitted');
	assertError(await review(reviewer, 999999, 'approve'), 404, 'not_found');
	// An applicant is no reviewer, not even of their own record.
	assertError(await review(alice, s.id, 'approve'), 404, 'not_found');
	assertError(await review(alice, s.id, 'return', { reason: '自己退回' }), 404, 'not_found');
	assert.equal((await getApp(alice, s.id)).status, 'submitted');
});

test('after a return the topic is locked, other edits are allowed, and the resubmit goes through', async () => {
	const doc = completeDoc();
	const s = await submitted(alice, doc);
	const reason = '请补充项目数据来源说明，并核对参赛单位营收数据。';
	const ret = await review(reviewer, s.id, 'return', { reason });
	assert.equal(ret.status, 200, ret.text);
	assert.deepEqual(ret.json, { id: s.id, status: 'returned' });

	// The list shows 已退回 and the reason.
	const list = await alice.get(`${APPS}?status=returned`);
	assert.equal(list.status, 200, list.text);
	const item = list.json.items.find((i) => i.id === s.id);
	assert.ok(item, list.text);
	assert.equal(item.status, 'returned');
	assert.equal(item.status_label, '已退回');
	assert.equal(item.return_reason, reason);
	assert.deepEqual(item.actions, { view: true, edit: true, submit: true, delete: false });
	const got = await getApp(alice, s.id);
	assert.equal(got.status_label, '已退回');
	assert.equal(got.return_reason, reason);
	assert.equal(got.topic_locked, true);
	assert.equal(got.read_only_reason, null);
	assert.deepEqual(got.actions, { view: true, edit: true, submit: true, delete: false });

	// Another topic, another track, or no topic at all: refused.
	const other = structuredClone(doc);
	other.basic.topic = 3;
	const r1 = await putDoc(alice, s.id, got.version, other);
	assertError(r1, 422, 'invalid');
	const e = findField(fieldErrors(r1), 'basic.topic', 'topic_locked');
	assert.ok(e, r1.text);
	assert.match(e.message, /赛题一经选定不得更改/);
	const r2 = await patchSection(alice, s.id, got.version, 'basic',
		{ ...doc.basic, track: 'financial-services', topic: 2 });
	assert.ok(findField(fieldErrors(r2), 'basic.topic', 'topic_locked'), r2.text);
	const noTopic = structuredClone(doc);
	delete noTopic.basic.topic;
	assert.ok(findField(fieldErrors(await putDoc(alice, s.id, got.version, noTopic)), 'basic.topic', 'topic_locked'));
	// Nothing was saved.
	assert.deepEqual(await getApp(alice, s.id), got);

	// Other edits of the returned record are fine.
	const fixed = structuredClone(doc);
	fixed.project.summary += '数据来源：交通运输部门授权运营数据与企业自有数据。';
	fixed.units[0].revenue.amount_2025 = 13050;
	const saved = await saveDoc(alice, s.id, got.version, fixed);
	assert.equal(saved.status, 'returned');
	assert.deepEqual(saved.doc, fixed);
	const p = await patchSection(alice, s.id, saved.version, 'team', { name: '退回后改名的团队' });
	assert.equal(p.status, 200, p.text);
	assert.equal(p.json.status, 'returned');

	// Resubmit.
	const re = await submitApp(alice, s.id, { version: p.json.version });
	assert.equal(re.status, 200, re.text);
	assert.equal(re.json.status, 'submitted');
	assert.equal(re.json.return_reason, null);
	assert.equal(re.json.topic_locked, true);
	assert.ok(re.json.submitted_at >= s.submitted_at);
	assert.deepEqual(re.json.doc, { ...fixed, team: { name: '退回后改名的团队' } });
	const h = re.json.history;
	assert.deepEqual(h.map((x) => [x.action, x.from_status, x.to_status]), [
		['create', null, 'draft'],
		['submit', 'draft', 'submitted'],
		['return', 'submitted', 'returned'],
		['resubmit', 'returned', 'submitted'],
	]);
	assert.equal(h[2].reason, reason);
	assert.equal(h[0].reason, null);
	assert.equal(h[3].reason, null);
	for (const x of h)
		assert.equal(typeof x.created_at, 'number');
	// The reviewer's step is the reviewer's, the others the applicant's.
	assert.notEqual(h[2].actor_id, h[1].actor_id);
	assert.equal(h[3].actor_id, h[1].actor_id);
	// The list no longer says 已退回.
	const after = (await alice.get(APPS)).json.items.find((i) => i.id === s.id);
	assert.equal(after.status_label, '已提交');
	assert.equal(after.return_reason, null);
	assert.deepEqual(after.actions, { view: true, edit: false, submit: false, delete: false });
	// And the reviewer may decide again.
	assert.equal((await review(reviewer, s.id, 'approve')).status, 200);
});

test('a returned record that no longer passes is not resubmitted', async () => {
	const doc = completeDoc();
	const s = await submitted(alice, doc);
	assert.equal((await review(reviewer, s.id, 'return', { reason: '补充材料' })).status, 200);
	const broken = structuredClone(doc);
	delete broken.project.name;
	const saved = await saveDoc(alice, s.id, (await getApp(alice, s.id)).version, broken);
	const res = await submitApp(alice, s.id, { version: saved.version });
	assertError(res, 422, 'incomplete');
	assert.ok(findField(fieldErrors(res), 'project.name', 'required'), res.text);
	const got = await getApp(alice, s.id);
	assert.equal(got.status, 'returned');
	assert.equal(got.return_reason, '补充材料');
});
