// 34-app-eligibility: the entry rules that look beyond one record. One
// person represents one team, across every sub-contest; one lead unit's
// project enters one sub-contest; units on a sub-contest's exclusion list
// (its organisers and their affiliates) cannot enter that sub-contest, and
// units on the dishonesty list cannot enter any. The lists come as CSV,
// through the admin API (with a dry run) or `saiwu lists import`, and a
// file with a bad line is refused whole, naming the line.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { assertError, runSaiwu } from './lib.mjs';
import {
	startAppServer, newApplicant, newStaff, completeDoc, createApp, getApp, saveDoc,
	submitApp, submitted, validateApp, fieldErrors, findField, newPerson, newUnit, memberRow,
	unitRow, makeDoc, corruptCheck,
} from './app-fixtures.mjs';

let server;
let alice;
let bob;
let admin;

before(async () => {
	server = await startAppServer();
	alice = await newApplicant(server);
	bob = await newApplicant(server);
	admin = await newStaff(server, ['platform_admin'], 'admin');
});

after(() => server?.stop());

// A complete document for the given sub-contest (its track and topic
// exist in both 2026 sub-contests).
function docFor(competition, overrides = {}) {
	return completeDoc({ basic: { competition }, ...overrides });
}

// Saves doc in a new record of competition and submits it: the response.
async function trySubmit(c, doc, competition) {
	const a = await createApp(c, competition);
	const s = await saveDoc(c, a.id, a.version, doc);
	const res = await submitApp(c, a.id, { version: s.version });
	return Object.assign(res, { id: a.id, saved: s });
}

function importList(c, kind, csv, query = '') {
	return c.req('POST', `/api/v1/admin/unit-lists/${kind}${query}`, {
		body: csv, headers: { 'Content-Type': 'text/csv; charset=utf-8' },
	});
}

const csvOf = (rows, header = true) =>
	`${header ? '统一社会信用代码,单位名称,备注\r\n' : ''}${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;

function writeCsv(text) {
	const f = path.join(server.store.dir, `list-${Date.now()}-${Math.random().toString(36).slice(2)}.csv`);
	fs.writeFileSync(f, text);
	return f;
}

function assertRefused(res, field, code, what = '') {
	assertError(res, 422, 'incomplete', what);
	const e = findField(fieldErrors(res), field, code);
	assert.ok(e, `${what}: no ${field}/${code} in ${res.text.slice(0, 1500)}`);
	return e;
}

test('a member of a submitted team cannot join another team, even in another sub-contest', async () => {
	// Alice's team, submitted in guangdong-2026, has X.
	const aDoc = docFor('guangdong-2026');
	const x = { name: aDoc.members[1].name, id_number: aDoc.members[1].id_number, mobile: aDoc.members[1].mobile };
	await submitted(alice, aDoc);

	// Bob's team in fujian-2026 puts X in its second row (the number
	// written with spaces: the same person).
	const spaced = `${x.id_number.slice(0, 6)} ${x.id_number.slice(6, 14)} ${x.id_number.slice(14)}`;
	const bDoc = docFor('fujian-2026', { project: { source: '福建省' } });
	bDoc.members[1] = memberRow({ ...x, id_number: spaced });
	const b = await createApp(bob, 'fujian-2026');
	// Saving warns already …
	const s = await saveDoc(bob, b.id, b.version, bDoc);
	assert.ok(findField(s.warnings, 'members[1].id_number', 'member_elsewhere'), JSON.stringify(s.warnings));
	// … and the submit is refused.
	const res = await submitApp(bob, b.id, { version: s.version });
	const e = assertRefused(res, 'members[1].id_number', 'member_elsewhere');
	assert.equal(fieldErrors(res).length, 1, res.text);
	// The message names Bob's own row, and nothing of Alice's team.
	assert.match(e.message, new RegExp(`团队成员第 2 行（${x.name}）`));
	assert.match(e.message, /只能代表 1 个团队/);
	for (const secret of [aDoc.team.name, aDoc.project.name, aDoc.basic.lead_unit_name, aDoc.units[0].uscc,
		x.id_number, 'guangdong', '广东'])
		assert.ok(!res.text.includes(secret), `the refusal leaks ${secret}: ${res.text}`);
	assert.equal((await getApp(bob, b.id)).status, 'draft');
	const v = await validateApp(bob, b.id);
	assert.ok(findField(v.errors, 'members[1].id_number', 'member_elsewhere'));

	// Within one sub-contest the same.
	const gDoc = docFor('guangdong-2026');
	gDoc.members[0] = memberRow(x, { contact: true });
	assertRefused(await trySubmit(bob, gDoc, 'guangdong-2026'), 'members[0].id_number', 'member_elsewhere');
	// The same person twice in one team.
	const twice = docFor('guangdong-2026');
	twice.members[2] = memberRow({ ...twice.members[0], is_contact: false });
	assertRefused(await trySubmit(bob, twice, 'guangdong-2026'), 'members[2].id_number', 'member_repeated');

	// Without X, Bob's team goes through.
	bDoc.members[1] = memberRow(newPerson());
	const s2 = await saveDoc(bob, b.id, (await getApp(bob, b.id)).version, bDoc);
	assert.deepEqual(s2.warnings, []);
	const ok = await submitApp(bob, b.id, { version: s2.version });
	assert.equal(ok.status, 200, ok.text);
});

test('a draft does not hold its members', async () => {
	const draftDoc = docFor('guangdong-2026');
	const d = await createApp(alice);
	await saveDoc(alice, d.id, d.version, draftDoc);
	const bDoc = docFor('fujian-2026');
	bDoc.members[0] = memberRow(draftDoc.members[0], { contact: true });
	const res = await trySubmit(bob, bDoc, 'fujian-2026');
	assert.equal(res.status, 200, res.text);
	// Now Alice's draft is the one that cannot be submitted.
	assertRefused(await submitApp(alice, d.id), 'members[0].id_number', 'member_elsewhere');
});

test('the same lead unit and project name in another sub-contest is refused (entered_elsewhere)', async () => {
	const aDoc = docFor('guangdong-2026');
	await submitted(alice, aDoc);
	const lead = { name: aDoc.units[0].name, uscc: aDoc.units[0].uscc };

	const same = makeDoc({
		members: [memberRow(newPerson(), { contact: true }), memberRow(newPerson())],
		units: [unitRow(lead, { lead: true }), unitRow(newUnit())],
		projectName: aDoc.project.name,
	});
	same.project.source = '福建省';
	const res = await trySubmit(bob, same, 'fujian-2026');
	const e = assertRefused(res, 'project.name', 'entered_elsewhere');
	assert.match(e.message, /只能选择一个地方分赛/);
	assert.equal(fieldErrors(res).length, 1, res.text);
	assert.ok(!res.text.includes(aDoc.team.name), res.text);

	// Another project of that unit is another entry.
	same.project.name = `${aDoc.project.name}（二期）`;
	const ok = await trySubmit(bob, same, 'fujian-2026');
	assert.equal(ok.status, 200, ok.text);
});

test('exclusion list: a listed unit cannot enter that sub-contest, and can enter another', async () => {
	const org = newUnit();
	const affiliate = newUnit();
	const imp = await importList(admin, 'exclusion',
		csvOf([[org.uscc, org.name, '分赛组织单位'], [affiliate.uscc.toLowerCase(), `"${affiliate.name}，下属单位"`, '']]),
		'?competition=guangdong-2026');
	assert.equal(imp.status, 200, imp.text);
	assert.equal(imp.json.applied, true);
	assert.deepEqual(imp.json.errors, []);
	assert.deepEqual(imp.json.rows.map((r) => [r.line, r.uscc, r.name]),
		[[2, org.uscc, org.name], [3, affiliate.uscc, `${affiliate.name}，下属单位`]]);

	// As a partner unit, and as the lead unit.
	const partner = completeDoc();
	partner.units[1] = unitRow(affiliate);
	const r1 = await trySubmit(alice, partner, 'guangdong-2026');
	const e1 = assertRefused(r1, 'units[1].uscc', 'unit_excluded');
	assert.match(e1.message, new RegExp(`参赛单位第 2 行（${affiliate.name.replace(/[()（）]/g, '.')}）`));
	assert.equal(fieldErrors(r1).length, 1, r1.text);
	const asLead = makeDoc({
		members: [memberRow(newPerson(), { contact: true })],
		units: [unitRow(org, { lead: true })],
	});
	const r2 = await trySubmit(alice, asLead, 'guangdong-2026');
	const e2 = assertRefused(r2, 'basic.lead_uscc', 'unit_excluded');
	assert.match(e2.message, /^牵头单位/);
	assert.equal(findField(fieldErrors(r2), 'units[0].uscc'), undefined, 'the lead row is reported once');

	// The same units enter fujian-2026.
	const fj = docFor('fujian-2026');
	fj.units[1] = unitRow(affiliate);
	assert.equal((await trySubmit(bob, fj, 'fujian-2026')).status, 200);

	// `saiwu lists import` adds to the same list.
	const cliUnit = newUnit();
	const f = writeCsv(csvOf([[cliUnit.uscc, cliUnit.name, 'CLI']]));
	const r = runSaiwu(['lists', 'import', '--kind', 'exclusion', '--competition', 'guangdong-2026', f,
		...server.store.storeArgs()]);
	assert.equal(r.status, 0, r.stderr);
	assert.match(r.stdout, /1 rows imported into the exclusion list of guangdong-2026/);
	const viaCli = completeDoc();
	viaCli.units[1] = unitRow(cliUnit);
	assertRefused(await trySubmit(alice, viaCli, 'guangdong-2026'), 'units[1].uscc', 'unit_excluded');
	// The exclusion list needs its sub-contest.
	const noComp = runSaiwu(['lists', 'import', '--kind', 'exclusion', f, ...server.store.storeArgs()]);
	assert.equal(noComp.status, 2);
	assert.match(noComp.stderr, /--competition/);
	assertError(await importList(admin, 'exclusion', csvOf([[cliUnit.uscc, 'x', '']])), 400, 'competition_required');
});

test('dishonesty list: a listed unit cannot enter any sub-contest', async () => {
	const viaCli = newUnit();
	const viaApi = newUnit();
	const f = writeCsv(csvOf([[viaCli.uscc, viaCli.name, '失信被执行人']], false));
	const r = runSaiwu(['lists', 'import', '--kind', 'dishonest', f, ...server.store.storeArgs()]);
	assert.equal(r.status, 0, r.stderr);
	assert.match(r.stdout, /1 rows imported into the dishonest list/);
	const imp = await importList(admin, 'dishonest', csvOf([[viaApi.uscc, viaApi.name, '严重失信主体']]));
	assert.equal(imp.status, 200, imp.text);
	assert.equal(imp.json.applied, true);

	for (const [unit, competition, c] of [
		[viaCli, 'guangdong-2026', alice], [viaCli, 'fujian-2026', bob],
		[viaApi, 'guangdong-2026', bob], [viaApi, 'fujian-2026', alice],
	]) {
		const doc = docFor(competition);
		doc.units[1] = unitRow(unit);
		const e = assertRefused(await trySubmit(c, doc, competition), 'units[1].uscc', 'unit_dishonest', competition);
		assert.match(e.message, /失信/);
	}
	// As the lead unit.
	const lead = makeDoc({ members: [memberRow(newPerson(), { contact: true })], units: [unitRow(viaApi, { lead: true })] });
	assertRefused(await trySubmit(alice, lead, 'guangdong-2026'), 'basic.lead_uscc', 'unit_dishonest');
});

test('a CSV with a malformed line is refused whole, naming the line (API and CLI)', async () => {
	const good = newUnit();
	const later = newUnit();
	const text = csvOf([
		[good.uscc, good.name, ''],
		['12345', '格式错误的单位', ''],
		[later.uscc, later.name, ''],
		[`"${later.uscc}`, '"引号不成对', ''],
	]);
	const res = await importList(admin, 'exclusion', text, '?competition=guangdong-2026');
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.applied, false);
	const lines = res.json.errors.map((e) => e.line);
	assert.deepEqual(lines.slice(0, 1), [3], res.text);
	assert.ok(lines.includes(5), res.text);
	for (const e of res.json.errors)
		assert.match(e.message, /[\u4e00-\u9fff]/);
	assert.match(res.json.errors[0].message, /12345/);

	const f = writeCsv(text);
	const cli = runSaiwu(['lists', 'import', '--kind', 'exclusion', '--competition', 'guangdong-2026', f,
		...server.store.storeArgs()]);
	assert.equal(cli.status, 1, cli.stdout);
	assert.ok(cli.stderr.includes(`${f}:3:`), cli.stderr);
	assert.ok(cli.stderr.includes(`${f}:5:`), cli.stderr);
	assert.match(cli.stderr, /nothing imported/);
	const dis = runSaiwu(['lists', 'import', '--kind', 'dishonest', f, ...server.store.storeArgs()]);
	assert.equal(dis.status, 1, dis.stdout);

	// Nothing of the file was applied: the good rows' units still enter.
	const doc = completeDoc();
	doc.units[1] = unitRow(good);
	const ok = await trySubmit(alice, doc, 'guangdong-2026');
	assert.equal(ok.status, 200, ok.text);
	// A code failing only its check character is kept (with a warning).
	const odd = corruptCheck(newUnit().uscc, 'uscc');
	const kept = await importList(admin, 'exclusion', csvOf([[odd, '校验位不符的单位', '']]), '?competition=guangdong-2026');
	assert.equal(kept.status, 200, kept.text);
	assert.equal(kept.json.applied, true);
	assert.equal(kept.json.rows[0].checksum_ok, false);
});

test('dry_run previews the rows and applies nothing', async () => {
	const u = newUnit();
	const text = csvOf([[u.uscc, u.name, '预览']]);
	const res = await importList(admin, 'exclusion', text, '?competition=guangdong-2026&dry_run=1');
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.applied, false);
	assert.deepEqual(res.json.errors, []);
	assert.deepEqual(res.json.rows.map((r) => [r.line, r.uscc, r.name, r.note]), [[2, u.uscc, u.name, '预览']]);
	const doc = completeDoc();
	doc.units[1] = unitRow(u);
	const a = await createApp(alice);
	await saveDoc(alice, a.id, a.version, doc);
	assert.deepEqual(await validateApp(alice, a.id), { valid: true, errors: [] });
	// Sent again without dry_run it applies.
	const real = await importList(admin, 'exclusion', text, '?competition=guangdong-2026');
	assert.equal(real.json.applied, true);
	const v = await validateApp(alice, a.id);
	assert.ok(findField(v.errors, 'units[1].uscc', 'unit_excluded'), JSON.stringify(v));
});

test('only admins import lists: others get 403', async () => {
	const reviewer = await newStaff(server, ['reviewer:guangdong-2026'], 'rev');
	const fjAdmin = await newStaff(server, ['competition_admin:fujian-2026'], 'fjadm');
	const gdAdmin = await newStaff(server, ['competition_admin:guangdong-2026'], 'gdadm');
	const u = newUnit();
	const text = csvOf([[u.uscc, u.name, '']]);
	for (const [who, c] of [['applicant', alice], ['reviewer', reviewer], ['fujian admin', fjAdmin]]) {
		assertError(await importList(c, 'exclusion', text, '?competition=guangdong-2026'), 403, 'forbidden', who);
		assertError(await importList(c, 'exclusion', text, '?competition=guangdong-2026&dry_run=1'), 403, 'forbidden', who);
		assertError(await importList(c, 'dishonest', text), 403, 'forbidden', who);
		assertError(await c.post('/api/v1/admin/uscc-verified', { uscc: u.uscc, note: '' }), 403, 'forbidden', who);
	}
	// A sub-contest's admin keeps that sub-contest's exclusion list, not
	// the dishonesty list of all.
	assertError(await importList(gdAdmin, 'dishonest', text), 403, 'forbidden');
	const own = await importList(gdAdmin, 'exclusion', text, '?competition=guangdong-2026&dry_run=1');
	assert.equal(own.status, 200, own.text);
	// Unknown list kinds and sub-contests.
	assertError(await importList(admin, 'whitelist', text), 404, 'not_found');
	assertError(await importList(admin, 'exclusion', text, '?competition=nowhere-2026'), 400, 'bad_competition');
	// Nothing the refused requests sent was applied.
	const doc = completeDoc();
	doc.units[1] = unitRow(u);
	assert.equal((await trySubmit(alice, doc, 'guangdong-2026')).status, 200);
});
