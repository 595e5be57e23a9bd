// 70-judging: rubrics (default, validation, lock once scoring starts, the
// scoring window), judges' profiles, the automatic assignment (N per
// project, balanced, never a conflict), assignment by hand with conflicts
// refused, and the judges' own endpoints (their projects, the masked
// document, files and 申报书 through the assignment, the score sheet,
// submit, declaring a conflict) with the permission matrix around them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError } from './lib.mjs';
import { advanceClock } from './auth-lib.mjs';
import { newStaff, getApp, fieldErrors, findField } from './app-fixtures.mjs';
import {
	GD, FJ, ADMIN, startConsole, approvedApp, setStage, stopClean,
} from './console-fixtures.mjs';

const RUBRICS = `${ADMIN}/competitions/${GD}/rubrics`;
const JUDGES = `${ADMIN}/competitions/${GD}/judges`;
const JUDGING = `${ADMIN}/competitions/${GD}/judging`;
const MINE = '/api/v1/judge/assignments';

let cast, judges, apps, ids, serverNow;

const put = (c, path, body) => c.req('PUT', path, { body });
const del = (c, path) => c.req('DELETE', path);

before(async () => {
	cast = await startConsole();
	// Five judges in all: the cast's and four more.
	judges = [cast.judge];
	for (let i = 2; i <= 5; i++)
		judges.push(await newStaff(cast.server, [`judge:${GD}`], `jd${i}`));
	const list = await cast.admin.get(JUDGES);
	assert.equal(list.status, 200, list.text);
	ids = judges.map((j) => list.json.items.find((x) => x.account === j.account).user_id);
	// Three projects at 初赛 and one approved but not moved to a stage.
	apps = [];
	for (const owner of [cast.alice, cast.bob, cast.alice]) {
		const a = await approvedApp(owner, cast.rev);
		await setStage(cast.rev, a.id, 'preliminary');
		apps.push({ ...a, doc: (await getApp(owner, a.id)).doc, owner });
	}
	apps.push(await approvedApp(cast.bob, cast.rev));
	serverNow = await advanceClock(cast.admin, 0);
});

after(() => stopClean(cast?.server));

test('rubric: the default five criteria, validation, the window, permissions', async () => {
	let res = await cast.admin.get(`${RUBRICS}/preliminary`);
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.stage_label, '初赛');
	assert.deepEqual(res.json.criteria.map((c) => [c.key, c.weight, c.max]), [
		['data_value', 25, 10], ['tech_innovation', 20, 10], ['governance', 15, 10],
		['effect', 20, 10], ['business', 20, 10]]);
	assert.equal(res.json.criteria[0].name, '数据要素基础与数据价值');
	assert.ok(res.json.criteria.every((c) => c.description.length > 0));
	assert.equal(res.json.locked, false);
	assert.equal(res.json.scoring_opens, null);
	assert.equal(res.json.updated_at, null);

	assertError(await cast.admin.get(`${RUBRICS}/semifinal`), 404, 'not_found');
	res = await put(cast.admin, `${RUBRICS}/final`, {
		criteria: [{ key: 'a', name: '甲', weight: 60, max: 10 }, { key: 'b', name: '乙', weight: 30, max: 5 }],
	});
	assertError(res, 422, 'invalid');
	const f = findField(fieldErrors(res), 'criteria', 'weight_sum');
	assert.ok(f, res.text);
	assert.equal(f.message, '各项权重之和须为 100，当前为 90');
	res = await put(cast.admin, `${RUBRICS}/final`, {
		criteria: [{ key: 'A b', name: '', weight: 0, max: 10 }], extra: 1,
	});
	assertError(res, 422, 'invalid');
	for (const field of ['criteria[0].key', 'criteria[0].name', 'criteria[0].weight', 'extra'])
		assert.ok(findField(fieldErrors(res), field), `${field}: ${res.text}`);

	// A rubric of two criteria for 决赛, with its window as Beijing time.
	res = await put(cast.admin, `${RUBRICS}/final`, {
		criteria: [{ key: 'value', name: '价值', description: '数据价值', weight: 70, max: 5 },
			{ key: 'effect', name: '成效', weight: 30, max: 10 }],
		scoring_opens: '2026-07-01T09:00:00+08:00', scoring_closes: '2026-07-10T18:00:00+08:00',
	});
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.criteria.length, 2);
	assert.equal(res.json.criteria[1].description, '');
	assert.equal(res.json.scoring_opens, Date.parse('2026-07-01T01:00:00Z') / 1000);
	assert.equal(res.json.scoring_closes, Date.parse('2026-07-10T10:00:00Z') / 1000);
	assert.ok(res.json.updated_at > 0);
	assert.deepEqual((await cast.admin.get(`${RUBRICS}/final`)).json, res.json);
	// The window alone keeps the criteria; the end must follow the start.
	res = await put(cast.admin, `${RUBRICS}/final`, { scoring_closes: '2026-06-30T09:00:00+08:00' });
	assertError(res, 422, 'invalid');
	assert.ok(findField(fieldErrors(res), 'scoring_closes', 'order'), res.text);
	res = await put(cast.admin, `${RUBRICS}/final`, { scoring_opens: null, scoring_closes: null });
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.criteria[0].key, 'value');
	assert.equal(res.json.scoring_opens, null);
	assertError(await put(cast.admin, `${RUBRICS}/final`, { scoring_opens: 'tomorrow' }), 422, 'invalid');

	// Only this sub-contest's admins (and the platform's).
	for (const c of [cast.rev, cast.adminFj, cast.judge, cast.alice]) {
		assertError(await c.get(`${RUBRICS}/preliminary`), 403, 'forbidden');
		assertError(await put(c, `${RUBRICS}/preliminary`, { scoring_opens: null }), 403, 'forbidden');
	}
	assert.equal((await cast.root.get(`${RUBRICS}/preliminary`)).status, 200);
	assertError(await cast.adminFj.get(`${ADMIN}/competitions/nowhere-2026/rubrics/final`), 404,
		'competition_not_found');
});

test("judges' profiles: list, validation, unknown users, permissions", async () => {
	let res = await cast.admin.get(JUDGES);
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.items.length, 5);
	const first = res.json.items.find((x) => x.user_id === ids[0]);
	assert.deepEqual({ ...first, phone_masked: undefined }, {
		user_id: ids[0], account: cast.judge.account, phone_masked: undefined, name: '', unit_name: '',
		unit_uscc: '', tracks: [], conflicts: [], load: { preliminary: 0, final: 0 },
	});
	assert.match(first.phone_masked, /^\d{3}\*{4}\d{4}$/);

	const A1 = apps[0].doc, A2 = apps[1].doc;
	const bad = A1.basic.lead_uscc.slice(0, 17) + (A1.basic.lead_uscc[17] === '0' ? '1' : '0');
	res = await put(cast.admin, `${JUDGES}/${ids[0]}`, { name: '', unit_name: '某单位', unit_uscc: bad,
		tracks: [999999], conflicts: [{ name: '', uscc: '' }] });
	assertError(res, 422, 'invalid');
	for (const [field, code] of [['name', 'required'], ['unit_uscc', 'checksum'], ['tracks[0]', 'unknown'],
		['conflicts[0]', 'required']])
		assert.ok(findField(fieldErrors(res), field, code), `${field}: ${res.text}`);
	// Someone who is not a judge here.
	const revId = (await cast.admin.get(`${ADMIN}/competitions/${GD}/staff`)).json.items
		.find((x) => x.account === cast.rev.account).user_id;
	assertError(await put(cast.admin, `${JUDGES}/${revId}`, { name: '王五', unit_name: '某单位' }), 404, 'not_found');

	// Judge 1 works at project 1's lead unit (its credit code only, in
	// lower case); judge 2 declared a conflict with project 2's second unit
	// by name, with spaces around it.
	res = await put(cast.admin, `${JUDGES}/${ids[0]}`, { name: '张评审', unit_name: '另一个名字的单位',
		unit_uscc: A1.basic.lead_uscc.toLowerCase(), tracks: [], conflicts: [] });
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.unit_uscc, A1.basic.lead_uscc);
	res = await put(cast.admin, `${JUDGES}/${ids[1]}`, { name: '李评审', unit_name: '华南某大学',
		conflicts: [{ name: `  ${A2.units[1].name} ` }] });
	assert.equal(res.status, 200, res.text);
	assert.deepEqual(res.json.conflicts, [{ name: A2.units[1].name, uscc: '' }]);
	for (let i = 2; i < 5; i++) {
		res = await put(cast.admin, `${JUDGES}/${ids[i]}`, { name: `评审${i + 1}`, unit_name: `第${i + 1}研究院` });
		assert.equal(res.status, 200, res.text);
	}
	for (const c of [cast.rev, cast.adminFj, cast.judge, cast.alice])
		assertError(await put(c, `${JUDGES}/${ids[2]}`, { name: 'x', unit_name: 'y' }), 403, 'forbidden');
});

async function assignments(track) {
	const res = await cast.admin.get(`${JUDGING}/preliminary/assignments${track ? `?track=${track}` : ''}`);
	assert.equal(res.status, 200, res.text);
	return res.json;
}

test('automatic assignment: N per project, balanced, never a conflict', async () => {
	let res = await cast.admin.post(`${JUDGING}/preliminary/assign`, { per_project: 16 });
	assertError(res, 422, 'invalid');
	assert.ok(findField(fieldErrors(res), 'per_project', 'range'));
	assertError(await cast.admin.post(`${JUDGING}/semifinal/assign`, {}), 404, 'not_found');
	assertError(await cast.rev.post(`${JUDGING}/preliminary/assign`, {}), 403, 'forbidden');
	assertError(await cast.adminFj.post(`${JUDGING}/preliminary/assign`, {}), 403, 'forbidden');

	assert.equal((await assignments()).per_project, 5, 'the default before any 自动分配');
	res = await cast.admin.post(`${JUDGING}/preliminary/assign`, { per_project: 3 });
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.created, 9);
	assert.deepEqual(res.json.short, []);
	const a = await assignments();
	assert.equal(a.per_project, 3, 'the number last chosen, so projects read 3/3');
	res = await cast.admin.get(`${JUDGING}/final/assignments`);
	assert.equal(res.json.per_project, 5, 'the other stage keeps its own');
	assert.deepEqual(a.items.map((x) => x.application_id), apps.slice(0, 3).map((x) => x.id));
	for (const item of a.items) {
		assert.equal(item.judges.length, 3);
		assert.equal(new Set(item.judges.map((j) => j.user_id)).size, 3);
		assert.ok(item.judges.every((j) => j.status === 'assigned' && j.submitted_at === null));
		assert.ok(item.project_name && item.lead_unit_name && item.track_name, JSON.stringify(item));
	}
	// Judge 1 is not on project 1, judge 2 not on project 2.
	assert.ok(!a.items[0].judges.some((j) => j.user_id === ids[0]));
	assert.ok(!a.items[1].judges.some((j) => j.user_id === ids[1]));
	const loads = a.judges.map((j) => j.load);
	assert.equal(loads.reduce((s, x) => s + x, 0), 9);
	assert.ok(Math.max(...loads) - Math.min(...loads) <= 1, JSON.stringify(a.judges));
	assert.equal(a.judges.find((j) => j.user_id === ids[0]).name, '张评审');

	// Full already: nothing more. Five per project: two judges are left
	// for project 1 and 2 (four eligible each), so those fall short.
	res = await cast.admin.post(`${JUDGING}/preliminary/assign`, { per_project: 3 });
	assert.equal(res.json.created, 0);
	res = await cast.admin.post(`${JUDGING}/preliminary/assign`, { per_project: 5, track_id: a.items[0].track_id });
	assert.equal(res.status, 200, res.text);
	const shortIds = res.json.short.map((s) => s.application_id).sort();
	assert.deepEqual(shortIds, [apps[0].id, apps[1].id].sort());
	assert.deepEqual(res.json.short.map((s) => [s.have, s.need]), [[4, 5], [4, 5]]);
	const b = await assignments(a.items[0].track_id);
	assert.equal(b.per_project, 5);
	assert.deepEqual(b.items.map((x) => x.judges.length), [4, 4, 5]);
	assert.ok(!b.items[0].judges.some((j) => j.user_id === ids[0]));
	assert.ok(!b.items[1].judges.some((j) => j.user_id === ids[1]));
	assertError(await cast.admin.post(`${JUDGING}/preliminary/assign`, { track_id: 999999 }), 422, 'invalid');
	// Judges' loads in their list too.
	const list = (await cast.admin.get(JUDGES)).json.items;
	assert.equal(list.reduce((s, j) => s + j.load.preliminary, 0), 13);
});

test('assignment by hand: conflicts refused, duplicates, stage, removal', async () => {
	const path = `${JUDGING}/preliminary/assignments`;
	let res = await cast.admin.post(path, { application_id: apps[0].id, judge_id: ids[0] });
	assertError(res, 409, 'conflict_of_interest');
	assert.equal(res.json.error.message, `该评审专家与项目单位“${apps[0].doc.basic.lead_unit_name}”存在利益冲突`);
	res = await cast.admin.post(path, { application_id: apps[1].id, judge_id: ids[1] });
	assertError(res, 409, 'conflict_of_interest');
	assert.match(res.json.error.message, new RegExp(apps[1].doc.units[1].name.replace(/[()（）]/g, '.')));
	const a = await assignments();
	const on = a.items[2].judges[0];
	assertError(await cast.admin.post(path, { application_id: apps[2].id, judge_id: on.user_id }), 409,
		'already_assigned');
	assertError(await cast.admin.post(path, { application_id: apps[3].id, judge_id: ids[2] }), 409, 'not_in_stage');
	// A judge of other tracks only, as 自动分配 would not choose them.
	const tracks = (await cast.alice.get(`/api/v1/competitions/${GD}/tracks`)).json.items;
	const elsewhere = tracks.find((t) => t.id !== a.items[2].track_id).id;
	const { name, unit_name, unit_uscc, conflicts } = (await cast.admin.get(JUDGES)).json.items
		.find((x) => x.user_id === ids[2]);
	const profile = { name, unit_name, unit_uscc, conflicts };
	res = await put(cast.admin, `${JUDGES}/${ids[2]}`, { ...profile, tracks: [elsewhere] });
	assert.equal(res.status, 200, res.text);
	res = await cast.admin.post(path, { application_id: a.items[2].application_id, judge_id: ids[2] });
	assertError(res, 409, 'track_mismatch');
	assert.equal(res.json.error.message, '该评审专家不负责此项目所在的赛道');
	res = await put(cast.admin, `${JUDGES}/${ids[2]}`, { ...profile, tracks: [] });
	assert.equal(res.status, 200, res.text);
	assertError(await cast.admin.post(path, { application_id: apps[2].id, judge_id: 999999 }), 404, 'judge_not_found');
	assertError(await cast.admin.post(path, { application_id: 999999, judge_id: ids[2] }), 404, 'not_found');
	assertError(await cast.admin.post(path, {}), 422, 'invalid');
	assertError(await cast.rev.post(path, { application_id: apps[2].id, judge_id: ids[2] }), 403, 'forbidden');

	// Remove one and add it back by hand.
	const one = a.items[0].judges[0];
	assertError(await del(cast.adminFj, `${JUDGING}/assignments/${one.assignment_id}`), 403, 'forbidden');
	res = await del(cast.admin, `${JUDGING}/assignments/${one.assignment_id}`);
	assert.equal(res.status, 200, res.text);
	assertError(await del(cast.admin, `${JUDGING}/assignments/${one.assignment_id}`), 404, 'not_found');
	res = await cast.admin.post(path, { application_id: apps[0].id, judge_id: one.user_id });
	assert.equal(res.status, 201, res.text);
	assert.equal(res.json.status, 'assigned');
	assert.equal(res.json.user_id, one.user_id);
	assert.ok(res.json.assignment_id > one.assignment_id);

	// Every change is in the audit log.
	const audit = await cast.admin.get(`${ADMIN}/audit?competition=${GD}&per_page=100`);
	assert.equal(audit.status, 200, audit.text);
	const actions = new Set(audit.json.items.map((x) => x.action));
	for (const act of ['rubric_set', 'judge_profile_set', 'judging_assign', 'judging_assignment_add',
		'judging_assignment_remove'])
		assert.ok(actions.has(act), `${act} in ${[...actions]}`);
});

// The judge's own assignment of a project (the first, by the admin's table).
async function mineFor(judge, appId) {
	const res = await judge.get(MINE);
	assert.equal(res.status, 200, res.text);
	return res.json.items.find((x) => x.application_id === appId);
}

const FULL = { data_value: 8, tech_innovation: 7, governance: 9, effect: 6.5, business: 10 };

test("a judge's projects: list, masked document, files, PDF, score sheet, submit", async () => {
	const judge = judges[2];
	let res = await judge.get(MINE);
	assert.equal(res.status, 200, res.text);
	assert.ok(res.json.items.length >= 2, res.text);
	assert.deepEqual(res.json.progress, { assigned: res.json.items.length, submitted: 0 });
	const item = await mineFor(judge, apps[2].id);
	assert.ok(item, res.text);
	assert.equal(item.competition, GD);
	assert.equal(item.stage, 'preliminary');
	assert.equal(item.stage_label, '初赛');
	assert.equal(item.status, 'assigned');
	assert.equal(item.total, null);
	assert.deepEqual(item.window, { opens: null, closes: null, open: false });
	assert.ok(item.project_name && item.team_name && item.track_name && item.competition_name, JSON.stringify(item));
	assert.equal((await judge.get(`${MINE}?stage=final`)).json.items.length, 0);
	assertError(await judge.get(`${MINE}?stage=semifinal`), 400, 'bad_query');

	res = await judge.get(`${MINE}/${item.id}`);
	assert.equal(res.status, 200, res.text);
	const d = res.json;
	assert.equal(d.assignment.id, item.id);
	assert.equal(d.application.id, apps[2].id);
	const plain = apps[2].doc;
	assert.equal(d.application.document.project.name, plain.project.name);
	assert.notEqual(d.application.document.members[0].id_number, plain.members[0].id_number);
	assert.match(d.application.document.members[0].id_number, /\*/);
	assert.match(d.application.document.members[0].mobile, /\*/);
	assert.ok(!JSON.stringify(d).includes(plain.members[0].id_number));
	assert.equal(d.rubric.criteria.length, 5);
	assert.deepEqual(d.score, { scores: {}, comment: '', total: null, saved_at: null, submitted_at: null });
	assert.ok(d.attachments.length > 0);
	const att = d.attachments[0];
	for (const k of ['id', 'slot', 'filename', 'size', 'sha256', 'content_type'])
		assert.ok(att[k] !== undefined, `${k}: ${JSON.stringify(att)}`);
	res = await judge.get(`${MINE}/${item.id}/attachments/${att.id}`);
	assert.equal(res.status, 200);
	assert.equal(res.headers['content-type'], 'application/pdf');
	assert.ok(res.body.subarray(0, 5).equals(Buffer.from('%PDF-')));
	res = await judge.get(`${MINE}/${item.id}/pdf`);
	assert.equal(res.status, 200, res.text?.slice(0, 300));
	assert.equal(res.headers['content-type'], 'application/pdf');
	// Another project's file is not reachable through this assignment.
	const other = (await cast.rev.get(`/api/v1/applications/${apps[0].id}/attachments`)).json.files[0];
	assertError(await judge.get(`${MINE}/${item.id}/attachments/${other.id}`), 404, 'not_found');

	// Outside the window: nothing is saved.
	const sheet = `${MINE}/${item.id}/score`;
	assertError(await put(judge, sheet, { scores: { data_value: 8 } }), 409, 'scoring_not_open');
	await put(cast.admin, `${RUBRICS}/preliminary`, { scoring_opens: serverNow + 3600, scoring_closes: serverNow + 7200 });
	assertError(await put(judge, sheet, { scores: { data_value: 8 } }), 409, 'scoring_not_open');
	res = await put(cast.admin, `${RUBRICS}/preliminary`, { scoring_opens: serverNow - 60, scoring_closes: serverNow + 86400 });
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.locked, false);

	res = await put(judge, sheet, { scores: { data_value: 11, tech_innovation: 7.25, nope: 1 }, comment: 'x'.repeat(2001) });
	assertError(res, 422, 'invalid');
	for (const [field, code] of [['scores.data_value', 'range'], ['scores.tech_innovation', 'range'],
		['scores.nope', 'unknown_field'], ['comment', 'too_long']])
		assert.ok(findField(fieldErrors(res), field, code), `${field}: ${res.text}`);
	assert.equal(findField(fieldErrors(res), 'scores.data_value').message, '分值须在 0–10 之间，最多一位小数');
	// A partial sheet is saved.
	res = await put(judge, sheet, { scores: { data_value: 8, effect: 6.5 } });
	assert.equal(res.status, 200, res.text);
	assert.deepEqual(res.json.scores, { data_value: 8, effect: 6.5 });
	assert.equal(res.json.total, null);
	assert.ok(res.json.saved_at >= serverNow);
	assert.equal((await mineFor(judge, apps[2].id)).status, 'saved');
	// What is not sent stays; null takes a score away.
	res = await put(judge, sheet, { comment: '初步意见' });
	assert.equal(res.json.comment, '初步意见');
	res = await put(judge, sheet, { scores: { governance: 9, effect: null } });
	assert.equal(res.status, 200, res.text);
	assert.deepEqual(res.json.scores, { data_value: 8, governance: 9 });
	assert.equal(res.json.comment, '初步意见');
	assert.equal((await judge.get(`${MINE}/${item.id}`)).json.score.comment, '初步意见');
	assert.equal((await put(judge, sheet, { comment: '  ' })).json.comment, '  ');

	// Scoring has started: the criteria are locked, the window is not.
	res = await cast.admin.get(`${RUBRICS}/preliminary`);
	assert.equal(res.json.locked, true);
	const changed = res.json.criteria.map((c, i) => (i === 0 ? { ...c, weight: 30 } : i === 1 ? { ...c, weight: 15 } : c));
	assertError(await put(cast.admin, `${RUBRICS}/preliminary`, { criteria: changed }), 409, 'rubric_locked');
	res = await put(cast.admin, `${RUBRICS}/preliminary`, { criteria: res.json.criteria, scoring_closes: serverNow + 90000 });
	assert.equal(res.status, 200, res.text);

	// Submit needs every score and a comment.
	res = await judge.post(`${MINE}/${item.id}/submit`, {});
	assertError(res, 422, 'invalid');
	const fe = fieldErrors(res);
	assert.equal(findField(fe, 'scores.tech_innovation', 'required').message, '请为“技术路线与创新性”打分');
	assert.ok(findField(fe, 'comment', 'required'));
	assert.ok(!findField(fe, 'scores.data_value'));
	res = await judge.post(`${MINE}/${item.id}/submit`, { scores: FULL, comment: '数据基础扎实，应用成效明显。' });
	assert.equal(res.status, 200, res.text);
	// 25×8/10 + 20×7/10 + 15×9/10 + 20×6.5/10 + 20×10/10 = 80.5
	assert.equal(res.json.total, 80.5);
	assert.ok(res.json.submitted_at >= serverNow);
	assertError(await put(judge, sheet, { scores: { data_value: 1 } }), 409, 'score_submitted');
	assertError(await judge.post(`${MINE}/${item.id}/submit`), 409, 'score_submitted');
	assertError(await judge.post(`${MINE}/${item.id}/conflict`, { reason: '晚了' }), 409, 'score_submitted');
	const after1 = await mineFor(judge, apps[2].id);
	assert.equal(after1.status, 'submitted');
	assert.equal(after1.total, 80.5);
	assert.equal((await judge.get(MINE)).json.progress.submitted, 1);
	// The admin sees the status; a submitted sheet cannot be removed.
	const row = (await assignments()).items[2].judges.find((j) => j.user_id === ids[2]);
	assert.equal(row.status, 'submitted');
	assertError(await del(cast.admin, `${JUDGING}/assignments/${row.assignment_id}`), 409, 'score_submitted');
});

test('judges see their own assignments only; reviewers and applicants have no judge endpoints', async () => {
	const mine = await mineFor(judges[2], apps[2].id);
	const otherJudge = judges.find((j, i) => i !== 2 && i !== 0);
	const base = `${MINE}/${mine.id}`;
	// Another judge, even on the same project, reads nothing of this sheet.
	for (const c of [otherJudge, cast.judge, cast.rev, cast.admin, cast.alice, cast.bob]) {
		assertError(await c.get(base), 404, 'not_found');
		assertError(await c.get(`${base}/pdf`), 404, 'not_found');
		assertError(await c.get(`${base}/attachments/1`), 404, 'not_found');
		assertError(await put(c, `${base}/score`, { scores: {} }), 404, 'not_found');
		assertError(await c.post(`${base}/submit`, {}), 404, 'not_found');
		assertError(await c.post(`${base}/conflict`, { reason: '同单位' }), 404, 'not_found');
	}
	const theirs = (await otherJudge.get(MINE)).json;
	assert.ok(!theirs.items.some((x) => x.id === mine.id));
	assert.ok(!JSON.stringify(theirs).includes('数据基础扎实'));
	// A project the judge has no assignment for: nothing through any route.
	const unassigned = (await assignments()).items[0].judges.map((j) => j.user_id);
	const outsider = judges[ids.findIndex((id) => !unassigned.includes(id))];
	assert.ok(!(await outsider.get(MINE)).json.items.some((x) => x.application_id === apps[0].id));
	assertError(await outsider.get(`/api/v1/review/applications/${apps[0].id}`), 404, 'not_found');
	// Not a judge anywhere.
	for (const c of [cast.rev, cast.alice, cast.admin])
		assertError(await c.get(MINE), 403, 'forbidden');
	assertError(await cast.adminFj.get(`${JUDGING}/preliminary/assignments`), 403, 'forbidden');
	assertError(await cast.adminFj.get(JUDGES), 403, 'forbidden');
	assertError(await cast.adminFj.get(`${ADMIN}/competitions/${FJ}/judging/preliminary/assignments?track=x`),
		400, 'bad_query');
	assert.equal((await cast.adminFj.get(`${ADMIN}/competitions/${FJ}/judging/preliminary/assignments`)).json.items.length, 0);
});

test('declaring a conflict declines the project and reassigns it; the window closes', async () => {
	// Project 3 has all five judges but one: judge 1 or 2 may be free.
	const a = await assignments();
	const p3 = a.items[2];
	const onP3 = p3.judges.map((j) => j.user_id);
	const idx = ids.findIndex((id, i) => i !== 2 && onP3.includes(id));
	const judge = judges[idx];
	const item = await mineFor(judge, apps[2].id);
	assertError(await judge.post(`${MINE}/${item.id}/conflict`, {}), 422, 'invalid');
	let res = await judge.post(`${MINE}/${item.id}/conflict`, { reason: '本人曾参与该项目的咨询工作' });
	assert.equal(res.status, 200, res.text);
	const free = ids.filter((id) => !onP3.includes(id));
	assert.deepEqual(res.json, { declined: true, reassigned_to_another: free.length > 0 });
	assertError(await judge.get(`${MINE}/${item.id}`), 404, 'not_found');
	assert.ok(!(await mineFor(judge, apps[2].id)));
	const b = (await assignments()).items[2];
	assert.equal(b.judges.find((j) => j.user_id === ids[idx]).status, 'declined');
	assert.equal(b.judges.filter((j) => j.status !== 'declined').length, free.length ? p3.judges.length : p3.judges.length - 1);
	// Never again on that project, by hand or automatically.
	res = await cast.admin.post(`${JUDGING}/preliminary/assignments`, { application_id: apps[2].id, judge_id: ids[idx] });
	assertError(res, 409, 'conflict_of_interest');
	res = await cast.admin.post(`${JUDGING}/preliminary/assign`, { per_project: 5 });
	assert.equal(res.status, 200, res.text);
	const c = (await assignments()).items[2];
	assert.equal(c.judges.filter((j) => j.user_id === ids[idx] && j.status !== 'declined').length, 0);

	// After the window: scoring_closed.
	const other = await mineFor(judges[3], apps[0].id) || await mineFor(judges[4], apps[0].id);
	const who = (await mineFor(judges[3], apps[0].id)) ? judges[3] : judges[4];
	await put(cast.admin, `${RUBRICS}/preliminary`, { scoring_opens: serverNow - 7200, scoring_closes: serverNow - 3600 });
	assertError(await put(who, `${MINE}/${other.id}/score`, { scores: { data_value: 5 } }), 409, 'scoring_closed');
	const w = (await mineFor(who, apps[0].id)).window;
	assert.equal(w.open, false);
	assert.equal(w.closes, serverNow - 3600);
	const audit = await cast.admin.get(`${ADMIN}/audit?competition=${GD}&per_page=100`);
	const actions = new Set(audit.json.items.map((x) => x.action));
	for (const act of ['score_save', 'score_submit', 'judge_conflict_declare'])
		assert.ok(actions.has(act), `${act} in ${[...actions]}`);
});
