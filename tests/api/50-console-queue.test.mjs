// 50-console-queue: the review queue of a sub-contest as a reviewer uses
// it — every record that is not a draft, filtered by track, topic,
// status, stage, technical verification, region, unit type and
// submission dates, searched by project, team, unit name and credit code,
// sorted and paged, with counts per status for the tabs and flags per
// row (possible duplicate, unit on a list, credit code accepted by hand).
// Rows carry no ID numbers or mobile numbers. And who may read it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError } from './lib.mjs';
import {
	completeDoc, createApp, newPerson, newUnit, unitRow, memberRow, makeDoc, corruptCheck, PDF, APPS,
} from './app-fixtures.mjs';
import {
	GD, FJ, startConsole, outsiders, queue, decide, approve, submittedApp,
	stopClean,
} from './console-fixtures.mjs';
import { Client } from './auth-lib.mjs';

let cast;
// The records of this file's queue, by name.
const R = {};
let today;

before(async () => {
	cast = await startConsole();
	const { alice, bob, rev } = cast;
	today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
	// Four submitted records of guangdong-2026 that differ in what the
	// filters look at, one draft and one record of fujian-2026.
	R.transport = await submittedApp(alice, { project: { name: '甲·枢纽客流调度平台' }, team: { name: '甲队' } });
	R.farm = await submittedApp(bob, {
		basic: { track: 'modern-agriculture', topic: 1, region: ['350000', '350100', '350102'] },
		project: { name: '乙·智慧农业数据平台', track_direction: '现代农业' },
		team: { name: '乙队' },
	});
	R.soe = await submittedApp(alice, { project: { name: '丙·港口数据服务' }, team: { name: '丙队' } });
	R.twin = await submittedApp(bob, { project: { name: '甲·枢纽客流调度平台' }, team: { name: '丁队' } });
	R.draft = await createApp(alice);
	R.fujian = await submittedApp(alice, { project: { name: '闽·数据平台' } }, FJ);
	// 丙 is a central SOE: its lead unit's nature.
	{
		const got = await alice.get(`${APPS}/${R.soe.id}`);
		assert.equal(got.status, 200);
	}
	// 乙 approved and moved on; 丁 returned.
	await approve(rev, R.farm.id);
	assert.equal((await decide(rev, R.farm.id, 'stage', { stage: 'preliminary' })).status, 200);
	assert.equal((await decide(rev, R.twin.id, 'return', { reason: '重复申报' })).status, 200);
});

after(() => stopClean(cast?.server));

const ids = (res) => res.json.items.map((i) => i.id);

test('the queue lists every record of the sub-contest but drafts, with counts per status', async () => {
	const res = await queue(cast.rev);
	assert.equal(res.status, 200, res.text);
	assert.equal(res.headers['cache-control'], 'no-store');
	const got = ids(res);
	for (const k of ['transport', 'farm', 'soe', 'twin'])
		assert.ok(got.includes(R[k].id), `${k} in ${got}`);
	assert.ok(!got.includes(R.draft.id), 'no drafts');
	assert.ok(!got.includes(R.fujian.id), 'no other sub-contest');
	assert.equal(res.json.total, 4);
	assert.equal(res.json.page, 1);
	assert.equal(res.json.per_page, 20);
	assert.deepEqual(res.json.counts, { submitted: 2, approved: 1, returned: 1, all: 4 });
	const farm = res.json.items.find((i) => i.id === R.farm.id);
	assert.equal(farm.status, 'approved');
	assert.equal(farm.status_label, '已通过');
	assert.equal(farm.stage, 'preliminary');
	assert.equal(farm.stage_label, '初赛');
	assert.equal(farm.tech_status_label, '未开始');
	assert.deepEqual(farm.track, { key: 'modern-agriculture', name: '现代农业' });
	assert.equal(farm.topic.no, 1);
	assert.equal(farm.region, '350102');
	assert.equal(farm.project_name, '乙·智慧农业数据平台');
	assert.equal(farm.team_name, '乙队');
	assert.equal(typeof farm.submitted_at, 'number');
	assert.equal(typeof farm.saved_at, 'number');
	assert.equal(typeof farm.version, 'number');
	assert.equal(farm.lead_nature, '民营');
	assert.match(farm.lead_uscc, /^[0-9A-Z]{18}$/);
	assert.deepEqual(Object.keys(farm.flags).sort(),
		['eligibility_warnings', 'needs_manual_uscc', 'possible_duplicate', 'uscc_manually_verified']);
	// A fujian reviewer sees only fujian's.
	const fj = await queue(cast.revFj, FJ);
	assert.equal(fj.status, 200, fj.text);
	assert.deepEqual(ids(fj), [R.fujian.id]);
});

test('rows carry no ID numbers and no mobile numbers', async () => {
	const res = await queue(cast.admin);
	assert.equal(res.status, 200);
	const stored = (await cast.alice.get(`${APPS}/${R.transport.id}`)).json.doc;
	for (const m of stored.members) {
		assert.ok(!res.text.includes(m.id_number), 'ID number not in the queue');
		assert.ok(!res.text.includes(m.mobile), 'mobile not in the queue');
	}
	assert.ok(!res.text.includes(stored.basic.contact_mobile));
});

test('filters: status, track, topic, stage, technical verification, region, unit type', async () => {
	const q = (qs) => queue(cast.rev, GD, qs);
	let res = await q('status=submitted');
	assert.deepEqual(ids(res).sort(), [R.transport.id, R.soe.id].sort());
	// The tabs keep counting every status under the other filters.
	assert.deepEqual(res.json.counts, { submitted: 2, approved: 1, returned: 1, all: 4 });
	assert.equal(res.json.total, 2);
	res = await q('status=returned');
	assert.deepEqual(ids(res), [R.twin.id]);
	res = await q('track=modern-agriculture');
	assert.deepEqual(ids(res), [R.farm.id]);
	assert.deepEqual(res.json.counts, { submitted: 0, approved: 1, returned: 0, all: 1 });
	res = await q('track=transportation&topic=2');
	assert.deepEqual(ids(res).sort(), [R.transport.id, R.soe.id, R.twin.id].sort());
	res = await q('track=transportation&topic=3');
	assert.deepEqual(ids(res), []);
	res = await q('stage=preliminary');
	assert.deepEqual(ids(res), [R.farm.id]);
	res = await q('stage=unreviewed&status=approved');
	assert.deepEqual(ids(res), []);
	res = await q('tech_status=not_started');
	assert.equal(res.json.total, 4);
	res = await q('tech_status=pending');
	assert.equal(res.json.total, 0);
	// Region by province or city code: 440000 and 4403 both take 440305.
	for (const r of ['440000', '44', '440300', '4403', '440305']) {
		res = await q(`region=${r}`);
		assert.deepEqual(ids(res).sort(), [R.transport.id, R.soe.id, R.twin.id].sort(), r);
	}
	res = await q('region=350000');
	assert.deepEqual(ids(res), [R.farm.id]);
	res = await q('region=110000');
	assert.deepEqual(ids(res), []);
	res = await q(`unit_type=${encodeURIComponent('民营')}`);
	assert.equal(res.json.total, 4);
	res = await q(`unit_type=${encodeURIComponent('央企')}`);
	assert.equal(res.json.total, 0);
});

test('the lead unit type comes from the lead unit row', async () => {
	const u = newUnit();
	const rows = [unitRow(u, { lead: true }), unitRow(newUnit())];
	rows[0].nature = '地方国企';
	const people = [newPerson(), newPerson()];
	const doc = makeDoc({ members: people.map((p, i) => memberRow(p, { contact: i === 0 })), units: rows });
	const a = await createApp(cast.bob);
	const saved = await cast.bob.req('PUT', `${APPS}/${a.id}`, { body: { version: a.version, doc } });
	assert.equal(saved.status, 200, saved.text);
	// Drafts stay out; submit it.
	const sub = await cast.bob.post(`${APPS}/${a.id}/submit`, { version: saved.json.version });
	assert.equal(sub.status, 200, sub.text);
	const res = await queue(cast.rev, GD, `unit_type=${encodeURIComponent('地方国企')}`);
	assert.deepEqual(ids(res), [a.id]);
	R.local = a;
});

test('keyword search: project, team, lead unit name, credit code (any case)', async () => {
	const q = (kw) => queue(cast.rev, GD, `q=${encodeURIComponent(kw)}`);
	let res = await q('智慧农业');
	assert.deepEqual(ids(res), [R.farm.id]);
	res = await q('丙队');
	assert.deepEqual(ids(res), [R.soe.id]);
	const farm = (await cast.bob.get(`${APPS}/${R.farm.id}`)).json.doc;
	res = await q(farm.basic.lead_unit_name.slice(0, 12));
	assert.ok(ids(res).includes(R.farm.id), res.text);
	res = await q(farm.basic.lead_uscc.slice(8).toLowerCase());
	assert.deepEqual(ids(res), [R.farm.id]);
	// Wildcards match themselves.
	res = await q('%');
	assert.deepEqual(ids(res), []);
	res = await q('甲·枢纽');
	assert.deepEqual(ids(res).sort(), [R.transport.id, R.twin.id].sort());
	assert.deepEqual(res.json.counts, { submitted: 1, approved: 0, returned: 1, all: 2 });
});

test('sorting and paging', async () => {
	let res = await queue(cast.rev, GD, 'sort=submitted_at&order=asc');
	const asc = ids(res);
	assert.equal(asc[0], R.transport.id);
	res = await queue(cast.rev, GD, 'sort=submitted_at');
	assert.deepEqual(ids(res), [...asc].reverse(), 'desc is the default order');
	res = await queue(cast.rev, GD, 'sort=project_name&order=asc&status=submitted');
	const names = res.json.items.map((i) => i.project_name);
	assert.deepEqual(names, [...names].sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1)));
	res = await queue(cast.rev, GD, 'sort=saved_at&order=desc');
	const saved = res.json.items.map((i) => i.saved_at);
	assert.deepEqual(saved, [...saved].sort((a, b) => b - a));
	res = await queue(cast.rev, GD, 'sort=submitted_at&order=asc&per_page=2&page=2');
	assert.equal(res.json.page, 2);
	assert.equal(res.json.per_page, 2);
	assert.deepEqual(ids(res), asc.slice(2, 4));
	assert.equal(res.json.total, asc.length);
	res = await queue(cast.rev, GD, 'per_page=2&page=99');
	assert.deepEqual(ids(res), []);
});

test('submission dates: from and to are whole days, China time', async () => {
	let res = await queue(cast.rev, GD, `submitted_from=${today}&submitted_to=${today}`);
	assert.ok(res.json.total >= 4, res.text);
	res = await queue(cast.rev, GD, 'submitted_to=2020-01-01');
	assert.equal(res.json.total, 0);
	res = await queue(cast.rev, GD, 'submitted_from=2099-01-01');
	assert.equal(res.json.total, 0);
});

test('bad query values: 400 bad_query naming each parameter', async () => {
	const cases = [
		['status=draft', 'status'], ['status=bogus', 'status'], ['stage=semi', 'stage'],
		['tech_status=done', 'tech_status'], ['track=nope', 'track'], ['topic=2', 'topic'],
		['track=transportation&topic=99', 'topic'], ['region=4', 'region'], ['region=44a', 'region'],
		['submitted_from=2026%2F07%2F01', 'submitted_from'], ['submitted_to=2026-02-30', 'submitted_to'],
		['submitted_from=2026-07-02&submitted_to=2026-07-01', 'submitted_to'],
		['sort=id', 'sort'], ['order=up', 'order'], ['page=0', 'page'], ['per_page=101', 'per_page'],
		[`q=${encodeURIComponent('长'.repeat(201))}`, 'q'], ['q=%ZZ', 'q'],
	];
	for (const [qs, field] of cases) {
		const res = await queue(cast.rev, GD, qs);
		assertError(res, 400, 'bad_query', qs);
		assert.ok(res.json.error.fields.some((f) => f.field === field), `${qs}: ${res.text}`);
		assert.match(res.json.error.fields[0].message, /[\u4e00-\u9fa5]/);
	}
	// Every problem at once.
	const res = await queue(cast.rev, GD, 'status=draft&sort=id&page=0');
	assert.deepEqual(res.json.error.fields.map((f) => f.field).sort(), ['page', 'sort', 'status']);
});

test('flags: possible duplicates, units on a list, and credit codes accepted by hand', async () => {
	let res = await queue(cast.rev);
	const flags = (id) => res.json.items.find((i) => i.id === id).flags;
	// 甲 and 丁 have the same project name.
	assert.equal(flags(R.transport.id).possible_duplicate, true);
	assert.equal(flags(R.twin.id).possible_duplicate, true);
	assert.equal(flags(R.soe.id).possible_duplicate, false);
	assert.equal(flags(R.soe.id).eligibility_warnings, 0);
	// 丙's lead unit goes on the exclusion list after it submitted.
	const soe = (await cast.alice.get(`${APPS}/${R.soe.id}`)).json.doc;
	const csv = `统一社会信用代码,单位名称\n${soe.basic.lead_uscc},${soe.basic.lead_unit_name}\n`;
	const imp = await cast.admin.req('POST', `/api/v1/admin/unit-lists/exclusion?competition=${GD}`,
		{ body: csv, headers: { 'Content-Type': 'text/csv' } });
	assert.equal(imp.status, 200, imp.text);
	res = await queue(cast.rev);
	assert.equal(flags(R.soe.id).eligibility_warnings, 1);
	// The detail says why.
	const d = await cast.rev.get(`/api/v1/review/applications/${R.soe.id}`);
	assert.equal(d.status, 200, d.text);
	assert.equal(d.json.flags.eligibility_warnings, 1);
	assert.equal(d.json.flags.warnings[0].code, 'unit_excluded');
	assert.equal(d.json.flags.warnings[0].field, 'basic.lead_uscc');
	const t = await cast.rev.get(`/api/v1/review/applications/${R.twin.id}`);
	assert.equal(t.json.flags.possible_duplicate, true);
	assert.deepEqual(t.json.flags.duplicates, [R.transport.id]);
	assert.equal(t.json.flags.needs_manual_uscc, false);
	assert.deepEqual(t.json.flags.uscc_checks, []);

	// A legal code that fails the check character, accepted by an admin.
	const u = newUnit();
	const odd = corruptCheck(u.uscc, 'uscc');
	const ok = await cast.root.post('/api/v1/admin/uscc-verified', { uscc: odd, note: '营业执照已核对' });
	assert.equal(ok.status, 200, ok.text);
	const rows = [unitRow({ ...u, uscc: odd }, { lead: true }), unitRow(newUnit())];
	const people = [newPerson(), newPerson()];
	const doc = makeDoc({ members: people.map((p, i) => memberRow(p, { contact: i === 0 })), units: rows });
	const a = await createApp(cast.alice);
	const saved = await cast.alice.req('PUT', `${APPS}/${a.id}`, { body: { version: a.version, doc } });
	assert.equal(saved.status, 200, saved.text);
	assert.equal((await cast.alice.post(`${APPS}/${a.id}/submit`, {})).status, 200);
	res = await queue(cast.rev, GD, `q=${odd}`);
	assert.deepEqual(ids(res), [a.id]);
	assert.deepEqual(res.json.items[0].flags, {
		needs_manual_uscc: false, uscc_manually_verified: true, possible_duplicate: false, eligibility_warnings: 0,
	});
	const det = await cast.rev.get(`/api/v1/review/applications/${a.id}`);
	assert.deepEqual(det.json.flags.uscc_checks, [
		{ field: 'basic.lead_uscc', uscc: odd, verified: true },
		{ field: 'units[0].uscc', uscc: odd, verified: true },
	]);
});

test('who may read the queue', async () => {
	for (const c of [cast.rev, cast.admin, cast.root])
		assert.equal((await queue(c)).status, 200);
	for (const [who, c] of outsiders(cast))
		assertError(await queue(c), 404, 'not_found', who);
	assertError(await queue(new Client(cast.server)), 401, 'login_required');
	assertError(await queue(cast.rev, 'no-such-contest'), 404, 'competition_not_found');
	// A fujian admin is an outsider in guangdong.
	assertError(await queue(cast.adminFj), 404, 'not_found');
	const res = await cast.rev.req('POST', `/api/v1/review/competitions/${GD}/applications`, { body: {} });
	assertError(res, 405, 'method_not_allowed');
	assert.equal(PDF.length > 0, true);
});
