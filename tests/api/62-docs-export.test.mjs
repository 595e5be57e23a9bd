// 62-docs-export: the organisers' spreadsheets. An XLSX with a sheet of
// applications (every scalar field), members (ID numbers masked unless
// an admin asks, which is audited), units, cases and attachments; CSV
// one sheet at a time; the console's filters; formula-looking cells
// neutralised; drafts never exported; only the sub-contest's reviewers
// and admins; and the same as a background job with progress and a
// download link.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, request, sleep } from './lib.mjs';
import { startAppServer, newApplicant, newStaff, completeDoc, createApp, saveDoc, submitted } from './app-fixtures.mjs';
import { sql } from './att-lib.mjs';
import { zipNames, zipEntry, sheetStrings, parseCsv, cleanupDocs } from './docs-lib.mjs';

const LONG = { timeout: 60000 };
const GD = '/api/v1/review/competitions/guangdong-2026';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let server;
let alice;
let reviewer;
let admin;
const apps = [];

before(async () => {
	server = await startAppServer();
	alice = await newApplicant(server);
	reviewer = await newStaff(server, ['reviewer:guangdong-2026'], 'xprev');
	admin = await newStaff(server, ['competition_admin:guangdong-2026'], 'xpadm');
	// Two submitted records (one with formula-looking text), one draft.
	const formula = completeDoc({ team: { name: '=HYPERLINK("http://evil.example","点我")' } });
	formula.members[1].name = '@SUM(1+1)';
	for (const doc of [formula, completeDoc()]) {
		const bob = await newApplicant(server);
		apps.push({ doc, rec: await submitted(bob, doc) });
	}
	const d = await createApp(alice);
	const draftDoc = completeDoc();
	await saveDoc(alice, d.id, d.version, draftDoc);
	apps.push({ doc: draftDoc, rec: d, draft: true });
});

after(async () => {
	cleanupDocs();
	// A clean stop: under the sanitizer build, no leak and no error.
	const stopped = await server?.stop();
	assert.deepEqual({ code: stopped?.code, signal: stopped?.signal }, { code: 0, signal: null },
		server?.stderr().slice(-3000));
});

async function download(c, path, type) {
	const res = await c.get(path, LONG);
	assert.equal(res.status, 200, `${path}: ${res.text.slice(0, 300)}`);
	assert.equal(res.headers['content-type'], type);
	assert.match(res.headers['content-disposition'], /^attachment; filename=/);
	assert.equal(res.headers['cache-control'], 'private, no-store');
	return res;
}

function sheetsOf(buf) {
	const wb = zipEntry(buf, 'xl/workbook.xml');
	return [...wb.matchAll(/<sheet name="([^"]+)"/g)].map((m) => m[1]);
}

// The strings of the sheet named `name`.
function sheet(buf, name) {
	const i = sheetsOf(buf).indexOf(name);
	assert.ok(i >= 0, `sheet ${name}`);
	return sheetStrings(zipEntry(buf, `xl/worksheets/sheet${i + 1}.xml`));
}

test('the workbook: its sheets, one row per submitted record, neutralised cells, masked IDs', async () => {
	const res = await download(reviewer, `${GD}/export.xlsx`, XLSX_TYPE);
	assert.equal(res.headers['x-export-rows'], '2', 'drafts are not exported');
	const names = zipNames(res.body);
	for (const n of ['[Content_Types].xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml'])
		assert.ok(names.includes(n), n);
	const sheets = sheetsOf(res.body);
	for (const n of ['报名表', '团队成员', '参赛单位', '案例', '附件'])
		assert.ok(sheets.includes(n), `sheet ${n} in ${sheets}`);
	assert.equal(names.filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n)).length, sheets.length);

	const rows = sheet(res.body, '报名表');
	for (const h of ['报名编号', '报名状态', '基础信息/牵头单位名称', '项目基本信息/项目名称',
		'数据要素市场化/项目数据来源/自有数据/数据量（GB）', '参赛项目介绍/项目背景', '参赛团队信息/团队名称'])
		assert.ok(rows.includes(h), `column ${h}`);
	for (const { doc, draft } of apps)
		assert.equal(rows.includes(doc.project.name), !draft, doc.project.name);
	// A formula never starts a cell: it is shown, not run.
	assert.ok(rows.includes(`'${apps[0].doc.team.name}`), 'neutralised');
	assert.ok(!rows.some((s) => /^[=+\-@]/.test(s)), 'no cell starts with = + - @');
	assert.ok(rows.includes(apps[0].doc.intro.background), 'long texts');
	// Numbers are numbers.
	const xml = zipEntry(res.body, 'xl/worksheets/sheet1.xml');
	assert.match(xml, /<c r="[A-Z]+2"[^>]*><v>5200<\/v><\/c>/, 'a numeric cell');

	const members = sheet(res.body, '团队成员');
	for (const { doc, draft } of apps) {
		if (draft)
			continue;
		for (const m of doc.members) {
			assert.ok(!members.includes(m.id_number), 'no ID number in the clear');
			assert.ok(members.includes(`${m.id_number.slice(0, 4)}**********${m.id_number.slice(-4)}`), 'masked');
			assert.ok(members.includes(`${m.mobile.slice(0, 3)}****${m.mobile.slice(-4)}`), 'mobile masked');
		}
	}
	assert.ok(members.includes("'@SUM(1+1)"), '@ neutralised');
	const units = sheet(res.body, '参赛单位');
	assert.ok(units.includes(apps[1].doc.units[1].uscc), 'units');
	assert.ok(!units.includes(apps[1].doc.units[0].contact_phone), 'unit phone masked');
	assert.ok(sheet(res.body, '案例').includes(apps[1].doc.value.cases[0].unit_name), 'cases');
	const files = sheet(res.body, '附件');
	assert.ok(files.includes('项目PPT') && files.includes('资格证明'), 'attachment slots');
	const list = await alice.get('/api/v1/applications');
	assert.ok(list.status === 200);
});

test('a summary: the columns kept beside the documents, one sheet', async () => {
	const res = await download(reviewer, `${GD}/export.xlsx?columns=summary`, XLSX_TYPE);
	assert.deepEqual(sheetsOf(res.body), ['报名表']);
	const rows = sheet(res.body, '报名表');
	for (const h of ['报名编号', '项目名称', '团队名称', '牵头单位', '统一社会信用代码', '赛道', '赛题', '报名状态'])
		assert.ok(rows.includes(h), h);
	for (const { doc, draft } of apps)
		assert.equal(rows.includes(doc.project.name), !draft);
	assert.ok(rows.includes('交通运输') && rows.some((x) => x.startsWith('赛题2：')), 'track and topic');
	assert.ok(rows.includes(`'${apps[0].doc.team.name}`), 'neutralised');
	const csv = parseCsv((await download(reviewer, `${GD}/export.csv?columns=summary`, 'text/csv; charset=utf-8')).text);
	assert.equal(csv.length, 3);
	assert.equal(csv[0].length, 16);
	for (const q of ['columns=some', 'columns=summary&sheet=members'])
		assertError(await reviewer.get(`${GD}/export.xlsx?${q}`), 400, 'bad_query', q);
});

test('unmasked for an admin only, and audited', async () => {
	assertError(await reviewer.get(`${GD}/export.xlsx?unmask=1`), 403, 'forbidden');
	const before = Number(sql(server, "SELECT COUNT(*) FROM audit_log WHERE action = 'export_personal_data'"));
	const res = await download(admin, `${GD}/export.xlsx?unmask=1`, XLSX_TYPE);
	const members = sheet(res.body, '团队成员');
	assert.ok(members.includes(apps[1].doc.members[0].id_number), 'in full');
	const after = Number(sql(server, "SELECT COUNT(*) FROM audit_log WHERE action = 'export_personal_data'"));
	assert.equal(after, before + 1, 'audited');
	// The workbook says what it holds.
	assert.match(zipEntry(res.body, 'docProps/core.xml'), /含未脱敏个人信息/);
	const csv = await download(admin, `${GD}/export.csv?sheet=members&unmask=1`, 'text/csv; charset=utf-8');
	assert.ok(csv.text.includes(apps[0].doc.members[0].id_number));
	assertError(await admin.get(`${GD}/export.csv?unmask=yes`), 400, 'bad_query');
});

test('CSV: one sheet at a time, with the console\'s filters', async () => {
	const res = await download(reviewer, `${GD}/export.csv`, 'text/csv; charset=utf-8');
	const rows = parseCsv(res.text);
	assert.equal(rows[0][0], '报名编号');
	assert.equal(rows.length, 3, 'header and two records');
	assert.ok(rows.every((r) => r.length === rows[0].length), 'every row as wide as the header');
	const team = rows[0].indexOf('参赛团队信息/团队名称');
	assert.ok(rows.some((r) => r[team] === `'${apps[0].doc.team.name}`), 'neutralised in CSV too');
	const ids = rows.slice(1).map((r) => Number(r[0])).sort();
	assert.deepEqual(ids, apps.filter((a) => !a.draft).map((a) => a.rec.id).sort());

	const m = parseCsv((await download(reviewer, `${GD}/export.csv?sheet=members`, 'text/csv; charset=utf-8')).text);
	assert.equal(m.length, 1 + apps.filter((a) => !a.draft).reduce((n, a) => n + a.doc.members.length, 0));
	assert.ok(!m.flat().includes(apps[0].doc.members[0].id_number));
	const f = parseCsv((await download(reviewer, `${GD}/export.csv?sheet=attachments`, 'text/csv; charset=utf-8')).text);
	assert.ok(f.length > 2 && f[0].includes('SHA-256'));
	const live = Number(sql(server, "SELECT COUNT(*) FROM attachments x JOIN applications a ON a.id = x.application_id " +
		"JOIN competitions c ON c.id = a.competition_id WHERE c.slug = 'guangdong-2026' AND a.status <> 'draft' " +
		'AND x.deleted_at IS NULL'));
	assert.equal(f.length - 1, live, 'every live file once');

	// Filters: status, stage, track, topic.
	const ap = await reviewer.post(`/api/v1/review/applications/${apps[1].rec.id}/approve`, {});
	assert.equal(ap.status, 200, ap.text);
	const approved = parseCsv((await download(reviewer, `${GD}/export.csv?status=approved`, 'text/csv; charset=utf-8')).text);
	assert.deepEqual(approved.slice(1).map((r) => Number(r[0])), [apps[1].rec.id]);
	const track = parseCsv((await download(reviewer, `${GD}/export.csv?track=transportation&topic=2`, 'text/csv; charset=utf-8')).text);
	assert.equal(track.length, 3);
	const none = parseCsv((await download(reviewer, `${GD}/export.csv?track=medical-health`, 'text/csv; charset=utf-8')).text);
	assert.equal(none.length, 1, 'only the header');
	const stage = parseCsv((await download(reviewer, `${GD}/export.csv?stage=final`, 'text/csv; charset=utf-8')).text);
	assert.equal(stage.length, 1);
	for (const q of ['status=draft', 'status=nope', 'stage=nope', 'topic=abc', 'topic=0', 'track=BAD%20KEY', 'sheet=nope'])
		assertError(await reviewer.get(`${GD}/export.csv?${q}`), 400, 'bad_query', q);
});

test('only the sub-contest\'s reviewers and admins', async () => {
	const fj = await newStaff(server, ['reviewer:fujian-2026'], 'xpfj');
	for (const c of [fj, alice])
		for (const ext of ['xlsx', 'csv'])
			assertError(await c.get(`${GD}/export.${ext}`), 404, 'not_found', `${c.account} ${ext}`);
	assertError(await request(server, `${GD}/export.xlsx`), 401, 'login_required');
	assertError(await reviewer.get('/api/v1/review/competitions/nowhere/export.xlsx'), 404, 'competition_not_found');
	// Fujian's reviewer exports Fujian: nothing of Guangdong's in it.
	const res = await download(fj, '/api/v1/review/competitions/fujian-2026/export.csv', 'text/csv; charset=utf-8');
	assert.equal(parseCsv(res.text).length, 1);
	const root = await newStaff(server, ['platform_admin'], 'xproot');
	assert.equal((await root.get(`${GD}/export.xlsx`, LONG)).status, 200);
});

async function finished(c, url) {
	for (let i = 0; i < 300; i++) {
		const res = await c.get(url);
		assert.equal(res.status, 200, res.text);
		if (res.json.status === 'done' || res.json.status === 'failed')
			return res.json;
		await sleep(100);
	}
	throw new Error(`job ${url} did not finish`);
}

test('a background export: progress, then a download link', async () => {
	const start = await reviewer.post(`${GD}/exports`, { format: 'xlsx', status: 'submitted' });
	assert.equal(start.status, 202, start.text);
	assert.ok(start.json.id > 0);
	assert.ok(['queued', 'running', 'done'].includes(start.json.status), start.text);
	const url = `${GD}/exports/${start.json.id}`;
	const job = await finished(reviewer, url);
	assert.equal(job.status, 'done', JSON.stringify(job));
	assert.equal(job.progress, 100);
	assert.equal(job.total, 1, 'the filter applied');
	assert.equal(job.download_url, `${url}/file`);
	const file = await download(reviewer, job.download_url, XLSX_TYPE);
	assert.ok(sheetsOf(file.body).includes('报名表'));
	assert.equal(file.body.length, job.size);
	// CSV jobs too.
	const csvJob = await reviewer.post(`${GD}/exports`, { format: 'csv', sheet: 'members' });
	assert.equal(csvJob.status, 202, csvJob.text);
	const done = await finished(reviewer, `${GD}/exports/${csvJob.json.id}`);
	const csv = await download(reviewer, done.download_url, 'text/csv; charset=utf-8');
	assert.equal(parseCsv(csv.text)[0][3], '姓名');
	// Someone else's job, or another sub-contest's path: not found.
	const other = await newStaff(server, ['reviewer:guangdong-2026'], 'xpoth');
	assertError(await other.get(url), 404, 'not_found');
	assertError(await other.get(`${url}/file`), 404, 'not_found');
	assertError(await reviewer.get(`/api/v1/review/competitions/fujian-2026/exports/${start.json.id}`), 404, 'not_found');
	assertError(await reviewer.get(`${GD}/exports/999999`), 404, 'not_found');
	// Bad bodies, and the rules of the synchronous export.
	assertError(await reviewer.post(`${GD}/exports`, { format: 'pdf' }), 422, 'invalid');
	assertError(await reviewer.post(`${GD}/exports`, {}), 422, 'invalid');
	assertError(await reviewer.post(`${GD}/exports`, { format: 'xlsx', extra: 1 }), 422, 'invalid');
	assertError(await reviewer.post(`${GD}/exports`, { format: 'xlsx', unmask: true }), 403, 'forbidden');
	assertError(await reviewer.post(`${GD}/exports`, { format: 'xlsx', status: 'draft' }), 400, 'bad_query');
	assertError(await alice.post(`${GD}/exports`, { format: 'xlsx' }), 404, 'not_found');
});
