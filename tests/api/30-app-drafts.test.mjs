// 30-app-drafts: an application from the first save to the submit. The
// fixture (app-fixtures.mjs completeDoc) is a complete 申报书 that submits;
// drafts may be partial or empty and read back as saved, with PUT (whole
// document) or PATCH (one section); a submit of an incomplete record
// lists every problem with its path and changes nothing; a save or submit
// against an old version is refused (409) without overwriting anything.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, request } from './lib.mjs';
import {
	startAppServer, newApplicant, completeDoc, createApp, getApp, putDoc, saveDoc,
	patchSection, submitApp, validateApp, fieldErrors, findField, newPerson, newUnit,
	memberRow, APPS,
} from './app-fixtures.mjs';

let server;
let alice;

before(async () => {
	server = await startAppServer();
	alice = await newApplicant(server);
});

after(() => server?.stop());

// What the server stores: the document plus the sub-contest it belongs to.
const withCompetition = (doc, slug = 'guangdong-2026') =>
	({ ...doc, basic: { ...(doc.basic || {}), competition: slug } });

test('the fixture: a complete document saves, validates and submits', async () => {
	const doc = completeDoc();
	const a = await createApp(alice);
	const saved = await saveDoc(alice, a.id, a.version, doc);
	assert.deepEqual(saved.doc, doc);
	assert.deepEqual(saved.warnings, []);
	const v = await validateApp(alice, a.id);
	assert.deepEqual(v, { valid: true, errors: [] });
	const res = await submitApp(alice, a.id, { version: saved.version });
	assert.equal(res.status, 200, res.text);
	const s = res.json;
	assert.equal(s.status, 'submitted');
	assert.equal(s.status_label, '已提交');
	assert.equal(typeof s.submitted_at, 'number');
	assert.equal(s.topic_locked, true);
	assert.equal(s.version, saved.version + 1);
	assert.deepEqual(s.actions, { view: true, edit: false, submit: false, delete: false });
	assert.deepEqual(s.history.map((h) => [h.action, h.from_status, h.to_status]),
		[['create', null, 'draft'], ['submit', 'draft', 'submitted']]);
	assert.deepEqual(s.doc, doc);
	// Submitted: no more saves, no second submit, no delete.
	assertError(await putDoc(alice, a.id, s.version, doc), 409, 'not_editable');
	assertError(await submitApp(alice, a.id), 409, 'not_submittable');
	assertError(await alice.req('DELETE', `${APPS}/${a.id}`), 409, 'not_deletable');
});

test('a new draft, and a draft saved empty, are valid drafts', async () => {
	const a = await createApp(alice);
	assert.equal(a.status, 'draft');
	assert.equal(a.status_label, '草稿');
	assert.equal(a.version, 1);
	assert.deepEqual(a.competition.slug, 'guangdong-2026');
	assert.deepEqual(a.doc, { basic: { competition: 'guangdong-2026' } });
	assert.deepEqual(a.actions, { view: true, edit: true, submit: true, delete: true });
	assert.equal(a.read_only_reason, null);
	assert.equal(a.topic_locked, false);
	assert.deepEqual(a.history.map((h) => h.action), ['create']);

	const empty = await saveDoc(alice, a.id, a.version, {});
	assert.equal(empty.version, 2);
	assert.deepEqual(empty.doc, { basic: { competition: 'guangdong-2026' } });
	const p = await patchSection(alice, a.id, 2, 'project', {});
	assert.equal(p.status, 200, p.text);
	assert.deepEqual(p.json.doc, { basic: { competition: 'guangdong-2026' }, project: {} });
	const back = await getApp(alice, a.id);
	assert.deepEqual(back.doc, p.json.doc);
	assert.equal(back.status, 'draft');
	assert.equal(back.version, 3);
	// Empty, it validates (not valid for submit, but every error is "required"
	// or a row count: nothing about its content is wrong).
	const v = await validateApp(alice, a.id);
	assert.equal(v.valid, false);
	assert.ok(v.errors.length > 0);
	for (const e of v.errors)
		assert.ok(['required', 'rows', 'rule'].includes(e.code), JSON.stringify(e));
});

test('partial drafts saved with PUT read back equal', async () => {
	const a = await createApp(alice);
	const p = newPerson();
	const u = newUnit();
	const partial = {
		basic: { track: 'transportation', topic: 5, lead_unit_name: u.name, region: ['440000', '440300'] },
		project: { name: '城市轨道交通客流数据产品（草稿）', summary: '先写一半。\n第二段。', scenarios: ['公共服务'] },
		market: { sources: { own: { volume_gb: '12.50', growth: -3.5 } } },
		members: [{ name: p.name, id_type: '居民身份证', id_number: p.id_number }],
		units: [{ name: u.name, uscc: u.uscc, is_lead: true }, { name: '合作单位甲' }],
		value: { cases: [{ unit_name: '深圳市交通运输局', period: { start: '2024-01', end: '2024-12' } }] },
	};
	const s1 = await saveDoc(alice, a.id, a.version, partial);
	assert.equal(s1.version, a.version + 1);
	assert.deepEqual(s1.doc, withCompetition(partial));
	assert.deepEqual((await getApp(alice, a.id)).doc, withCompetition(partial));

	// A second PUT replaces the whole document: what it leaves out is gone.
	const second = { project: { name: '城市轨道交通客流数据产品' }, team: { name: '轨交数据团队' } };
	const s2 = await saveDoc(alice, a.id, s1.version, second);
	assert.equal(s2.version, s1.version + 1);
	const back = await getApp(alice, a.id);
	assert.deepEqual(back.doc, withCompetition(second));
	assert.equal(back.status, 'draft');
	// A draft that names another sub-contest keeps its own.
	const moved = await saveDoc(alice, a.id, s2.version, { basic: { competition: 'guangdong-2026', topic: 1, track: 'transportation' } });
	assert.equal(moved.doc.basic.competition, 'guangdong-2026');
});

test('PATCH replaces one section and leaves the others as they were', async () => {
	const full = completeDoc();
	const a = await createApp(alice);
	const s1 = await saveDoc(alice, a.id, a.version, full);

	const q = newPerson();
	const members = [memberRow(q, { contact: true }), { name: '李四', id_type: '护照', id_number: 'E12345678' }];
	const r1 = await patchSection(alice, a.id, s1.version, 'members', members);
	assert.equal(r1.status, 200, r1.text);
	assert.equal(r1.json.version, s1.version + 1);
	const r2 = await patchSection(alice, a.id, r1.json.version, 'intro', { background: '只改了项目背景。' });
	assert.equal(r2.status, 200, r2.text);
	const r3 = await patchSection(alice, a.id, r2.json.version, 'project', { ...full.project, name: '改名后的项目' });
	assert.equal(r3.status, 200, r3.text);

	const expected = {
		...full,
		members,
		intro: { background: '只改了项目背景。' },
		project: { ...full.project, name: '改名后的项目' },
	};
	const back = await getApp(alice, a.id);
	assert.deepEqual(back.doc, expected);
	assert.equal(back.version, s1.version + 3);
	// The list shows the new project name (the summary columns follow the document).
	const list = await alice.get(`${APPS}?q=${encodeURIComponent('改名后的项目')}`);
	assert.equal(list.status, 200, list.text);
	assert.deepEqual(list.json.items.map((i) => i.id), [a.id]);

	// A PATCH of a section the form does not have is refused like any unknown key.
	const bad = await patchSection(alice, a.id, back.version, 'no_such_section', { x: 1 });
	assert.equal(bad.status, 422, bad.text);
	assert.ok(findField(fieldErrors(bad), 'no_such_section', 'unknown_field'), bad.text);
	assert.equal((await getApp(alice, a.id)).version, back.version);
});

test('submit on an incomplete record lists every missing field with its path and changes nothing', async () => {
	const a = await createApp(alice, 'guangdong-2026', { attach: false });
	const u = newUnit();
	const partial = {
		basic: { track: 'transportation', topic: 2, lead_unit_name: u.name, lead_uscc: u.uscc },
		project: { summary: '只写了简述。' },
		units: [{ is_lead: true, name: u.name }],
	};
	const saved = await saveDoc(alice, a.id, a.version, partial);
	const before = await getApp(alice, a.id);

	const res = await submitApp(alice, a.id, { version: saved.version });
	assertError(res, 422, 'incomplete');
	const errs = res.json.error.fields;
	const m = /共 (\d+) 处/.exec(res.json.error.message);
	assert.ok(m, res.json.error.message);
	assert.equal(Number(m[1]), errs.length, 'the message counts every problem');
	// More than 100: the list is not cut at the first hundred.
	assert.ok(errs.length > 100, `every missing field is listed, not only the first (${errs.length})`);
	for (const [field, code] of [
		['project.name', 'required'],
		['project.track_direction', 'required'],
		['project.scenarios', 'required'],
		['basic.founded', 'required'],
		['basic.contact_mobile', 'required'],
		['basic.region', 'required'],
		['members', undefined],
		['units[0].uscc', 'required'],
		['units[0].founded', 'required'],
		['units[0].revenue.amount_2025', 'required'],
		['team.name', 'required'],
		['intro.background', 'required'],
		['intro.business_model', 'required'],
		['value.industries', 'required'],
		['market.sources.own.volume_gb', 'required'],
		['value.effects', 'rule'],
		['attachments.qualification', 'required'],
		['attachments.ppt', 'required'],
	]) {
		const e = findField(errs, field, code);
		assert.ok(e, `${field}/${code} missing from ${JSON.stringify(errs.map((x) => `${x.field}/${x.code}`))}`);
		assert.match(e.message, /[\u4e00-\u9fff]/, e.message);
	}
	// What was filled in is not reported.
	assert.equal(findField(errs, 'project.summary'), undefined);
	assert.equal(findField(errs, 'basic.track'), undefined);
	assert.equal(findField(errs, 'units[0].name'), undefined);
	// Every path is a real path of the document.
	for (const e of errs)
		assert.match(e.field, /^[a-z_]+(\[\d+\])?(\.[a-z_0-9]+(\[\d+\])?)*$/, e.field);

	// Nothing changed.
	const after = await getApp(alice, a.id);
	assert.deepEqual(after, before);
	assert.equal(after.status, 'draft');
	assert.equal(after.submitted_at, null);
	assert.equal(after.topic_locked, false);

	// validate reports the same list without a submit.
	const v = await validateApp(alice, a.id);
	assert.equal(v.valid, false);
	assert.deepEqual(v.errors.map((e) => `${e.field}/${e.code}`).sort(),
		errs.map((e) => `${e.field}/${e.code}`).sort());
	assert.deepEqual(await getApp(alice, a.id), before);
});

test('a stale save is refused with 409 and the stored content is unchanged', async () => {
	const a = await createApp(alice);
	const first = { project: { name: '第一版项目名称' } };
	const s1 = await saveDoc(alice, a.id, a.version, first);
	// Another tab still holds version 1.
	const stale = await putDoc(alice, a.id, a.version, { project: { name: '旧页面里的项目名称' } });
	assertError(stale, 409, 'stale_version');
	assert.match(stale.json.error.message, new RegExp(`当前版本 ${s1.version}`));
	const stalePatch = await patchSection(alice, a.id, a.version, 'project', { name: '旧页面 PATCH' });
	assertError(stalePatch, 409, 'stale_version');
	const future = await putDoc(alice, a.id, s1.version + 5, { project: { name: '未来版本' } });
	assertError(future, 409, 'stale_version');
	let back = await getApp(alice, a.id);
	assert.equal(back.version, s1.version);
	assert.deepEqual(back.doc, withCompetition(first));

	// A version is required at all.
	const none = await alice.req('PUT', `${APPS}/${a.id}`, { body: { doc: { project: { name: 'x' } } } });
	assertError(none, 422, null);
	assert.ok(findField(fieldErrors(none), 'version', 'required'), none.text);

	// A stale submit is refused too, and leaves the draft a draft.
	await saveDoc(alice, a.id, s1.version, completeDoc());
	const sub = await submitApp(alice, a.id, { version: s1.version });
	assertError(sub, 409, 'stale_version');
	back = await getApp(alice, a.id);
	assert.equal(back.status, 'draft');
	assert.equal(back.version, s1.version + 1);
	// Without a version (a body that is not JSON says nothing), submit
	// takes the current one.
	const ok = await alice.req('POST', `${APPS}/${a.id}/submit`, { body: 'ok', headers: { 'Content-Type': 'text/plain' } });
	assert.equal(ok.status, 200, ok.text);
	assert.equal(ok.json.version, s1.version + 2);
});

test('a save or submit answers without the document and history unless asked (Prefer)', async () => {
	const doc = completeDoc();
	const a = await createApp(alice);
	const slimKeys = (j) => Object.keys(j).filter((k) => k !== 'doc' && k !== 'history').sort();

	// The default: the record without doc and history, with the warnings.
	const put = await alice.req('PUT', `${APPS}/${a.id}`, { body: { version: a.version, doc } });
	assert.equal(put.status, 200, put.text);
	assert.ok(put.text.startsWith(`{"id":${a.id},`), put.text.slice(0, 40));
	assert.equal(put.json.doc, undefined);
	assert.equal(put.json.history, undefined);
	assert.equal(put.json.version, a.version + 1);
	assert.equal(put.json.status, 'draft');
	assert.equal(typeof put.json.saved_at, 'number');
	assert.deepEqual(put.json.actions, { view: true, edit: true, submit: true, delete: true });
	assert.deepEqual(put.json.warnings, []);
	assert.equal(put.headers['preference-applied'], undefined);
	// The stored document is the one sent.
	const got = await getApp(alice, a.id);
	assert.deepEqual(got.doc, doc);
	assert.equal(got.version, put.json.version);

	// return=representation: the whole record, as a GET shows it.
	const full = await putDoc(alice, a.id, put.json.version, doc);
	assert.equal(full.status, 200, full.text);
	assert.equal(full.headers['preference-applied'], 'return=representation');
	assert.deepEqual(full.json.doc, doc);
	const again = await getApp(alice, a.id);
	assert.deepEqual({ ...full.json, warnings: undefined }, { ...again, warnings: undefined });
	assert.deepEqual(slimKeys(full.json), [...Object.keys(put.json)].sort());

	// return=minimal said out loud, and PATCH: the same short answer.
	const min = await alice.req('PATCH', `${APPS}/${a.id}`, {
		body: { version: full.json.version, section: 'team', value: doc.team },
		headers: { Prefer: 'wait=5, return = "minimal"' },
	});
	assert.equal(min.status, 200, min.text);
	assert.equal(min.headers['preference-applied'], 'return=minimal');
	assert.equal(min.json.doc, undefined);
	assert.equal(min.json.version, full.json.version + 1);

	// A submit likewise; its history is there when asked or read.
	const sub = await alice.post(`${APPS}/${a.id}/submit`, { version: min.json.version });
	assert.equal(sub.status, 200, sub.text);
	assert.equal(sub.json.status, 'submitted');
	assert.equal(sub.json.version, min.json.version + 1);
	assert.equal(sub.json.doc, undefined);
	assert.equal(sub.json.history, undefined);
	const after = await getApp(alice, a.id);
	assert.deepEqual(after.doc, doc);
	assert.deepEqual(after.history.map((h) => h.action), ['create', 'submit']);
	assert.deepEqual(slimKeys(after), Object.keys(sub.json).sort());
});

test('a draft can be deleted (204) and is gone', async () => {
	const a = await createApp(alice);
	const res = await alice.req('DELETE', `${APPS}/${a.id}`);
	assert.equal(res.status, 204, res.text);
	assertError(await alice.get(`${APPS}/${a.id}`), 404, 'not_found');
	assertError(await alice.req('DELETE', `${APPS}/${a.id}`), 404, 'not_found');
	const list = await alice.get(`${APPS}?per_page=100`);
	assert.ok(!list.json.items.some((i) => i.id === a.id));
});

test('the form schema is served with an ETag and answers 304', async () => {
	const res = await request(server, '/api/v1/competitions/guangdong-2026/form');
	assert.equal(res.status, 200);
	assert.equal(res.json.id, '2026');
	assert.ok(Array.isArray(res.json.sections));
	const etag = res.headers.etag;
	assert.ok(etag, 'ETag');
	const again = await request(server, '/api/v1/competitions/guangdong-2026/form', { headers: { 'If-None-Match': etag } });
	assert.equal(again.status, 304);
	assert.equal(again.body.length, 0);
	assertError(await request(server, '/api/v1/competitions/no-such-2026/form'), 404, 'competition_not_found');
	// Creating in an unknown sub-contest is a field error.
	const bad = await alice.post(APPS, { competition: 'no-such-2026' });
	assertError(bad, 422, null);
	assert.ok(findField(fieldErrors(bad), 'competition', 'not_found'), bad.text);
});

// Sealed values are stored as "enc:v1:" and their ciphertext, and every
// string with that prefix is opened when a record is read: text typed with
// it must be refused, or the record could not be read (it answered 500).
test('a text starting with the sealed-value prefix is refused with its field; the record still reads', async () => {
	const a = await createApp(alice, 'guangdong-2026', { attach: false });
	const doc = completeDoc();
	doc.intro.business_model = 'enc:v1:AAAA';
	const res = await putDoc(alice, a.id, a.version, doc);
	assertError(res, 422, 'invalid');
	const f = findField(fieldErrors(res), 'intro.business_model', 'format');
	assert.ok(f, JSON.stringify(fieldErrors(res)));
	assert.match(f.message, /不能以“enc:v1:”开头/);
	const back = await getApp(alice, a.id);
	assert.equal(back.version, a.version, 'nothing was saved');
	doc.intro.business_model = '数据要素 enc:v1: 在中间可以';
	await saveDoc(alice, a.id, a.version, doc);
});
