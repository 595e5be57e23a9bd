// 60-docs-pdf: the 申报书 as a PDF. What an applicant and an organiser
// check when they open it: the cover and every part of the form in the
// spec's numbering, long texts with their character counts, the file
// list with sizes and SHA-256, "第 x 页 共 y 页", the 草稿 watermark on a
// draft, and on a submitted record its time and a verification code that
// the public check confirms (and a forged one that it refuses). Who may
// download it: the owner, the reviewers and admins of its sub-contest
// (identifiers masked, unmasked for admins only and audited) — nobody
// else.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, request, assertSecurityHeaders } from './lib.mjs';
import {
	APPS, startAppServer, newApplicant, newStaff, completeDoc, createApp, saveDoc, submitApp,
	submitted,
} from './app-fixtures.mjs';
import { sql } from './att-lib.mjs';
import { advanceClock } from './auth-lib.mjs';
import { pdfText, pdfPages, renderPage, squeeze, cleanupDocs } from './docs-lib.mjs';

const LONG = { timeout: 60000 };
let server;
let alice;
let mallory;

before(async () => {
	server = await startAppServer();
	alice = await newApplicant(server);
	mallory = await newApplicant(server);
});

after(async () => {
	cleanupDocs();
	// A clean stop: under the sanitizer build, no leak and no error.
	const stopped = await server?.stop();
	assert.deepEqual({ code: stopped?.code, signal: stopped?.signal }, { code: 0, signal: null },
		server?.stderr().slice(-3000));
});

async function pdfOf(c, path) {
	const res = await c.get(path, LONG);
	assert.equal(res.status, 200, `${path}: ${res.text.slice(0, 500)}`);
	assert.equal(res.headers['content-type'], 'application/pdf');
	assert.match(res.headers['content-disposition'], /^attachment; filename="[^"]*\.pdf"; filename\*=UTF-8''/);
	assert.equal(res.headers['cache-control'], 'private, no-store');
	assertSecurityHeaders(res);
	return res;
}

const count = (s) => [...s.trim().replace(/\r\n/g, '\n')].length;

test('a draft: every part of the form, counts, pages and the 草稿 watermark', async () => {
	const a = await createApp(alice);
	const doc = completeDoc({ team: { name: '枢纽创新<团队> & 伙伴' } });
	await saveDoc(alice, a.id, a.version, doc);
	const res = await pdfOf(alice, `${APPS}/${a.id}/pdf`);
	const pages = pdfPages(res.body);
	assert.ok(pages >= 5, `a complete form is several pages (${pages})`);
	assert.equal(Number(res.headers['x-page-count']), pages);
	const text = pdfText(res.body);
	const flat = squeeze(text);
	// The cover.
	for (const s of ['2026年“数据要素×”大赛参赛项目申报书', '2026年“数据要素×”大赛广东分赛',
		doc.project.name, doc.team.name, doc.basic.lead_unit_name, '赛道四：交通运输赛道',
		`报名编号${a.id}`, '报名状态草稿', '提交时间未提交'])
		assert.ok(flat.includes(squeeze(s)), `cover: ${s}`);
	// Every part in the spec's numbering.
	for (const s of ['基础信息', '（一）项目基本信息', '数据要素市场化', '数据要素价值化',
		'（二）参赛团队信息', '团队成员', '（三）参赛单位基本信息', '一、项目概述', '（一）项目背景',
		'二、解决方案', '（二）技术路线', '三、应用成效', '四、商业模式', '五、附件', '1.知识产权情况',
		'附件清单'])
		assert.ok(flat.includes(squeeze(s)), `part: ${s}`);
	// Long texts with their character counts.
	assert.ok(flat.includes(`（限500字，已填${count(doc.intro.background)}字）`), 'background count');
	assert.ok(flat.includes(`（限1000字，已填${count(doc.project.summary)}字）`), 'summary count');
	assert.ok(flat.includes(squeeze(doc.intro.technical_route)), 'the text itself');
	// Tables as tables: members and patents, every filled value.
	for (const m of doc.members)
		for (const v of [m.name, m.id_number, m.mobile])
			assert.ok(flat.includes(v), `member value ${v}`);
	for (const u of doc.units)
		assert.ok(flat.includes(squeeze(u.name)) && flat.includes(u.uscc), `unit ${u.name}`);
	assert.ok(flat.includes(doc.ip.property.patents[0].number), 'patent');
	assert.ok(flat.includes(squeeze(doc.value.cases[0].unit_name)), 'case');
	assert.ok(flat.includes('541城市公共交通运输'), 'industries by name');
	// Markup characters in a name are text, not markup.
	assert.ok(flat.includes('枢纽创新<团队>&伙伴'), 'escaped');
	// The uploaded files with their size and SHA-256.
	const files = (await alice.get(`${APPS}/${a.id}/attachments`)).json.files;
	assert.ok(files.length >= 2);
	for (const f of files)
		assert.ok(flat.includes(f.sha256), `sha of ${f.file_name}`);
	assert.ok(flat.includes('项目PPT') && flat.includes('资格证明'), 'slot labels');
	// Pages, and the watermark on a draft.
	assert.ok(text.includes(`第 1 页 共 ${pages} 页`), 'first page footer');
	assert.ok(text.includes(`第 ${pages} 页 共 ${pages} 页`), 'last page footer');
	assert.ok((text.match(/草稿/g) || []).length >= pages, 'a 草稿 watermark on every page');
	assert.ok(!flat.includes('验证码：'), 'no verification code on a draft');
	// Poppler draws it.
	renderPage(res.body, 1);
	renderPage(res.body, 2);
});

test('submitted: its time, a verification code the public check confirms, no watermark', async () => {
	const doc = completeDoc();
	const s = await submitted(alice, doc);
	const res = await pdfOf(alice, `${APPS}/${s.id}/pdf`);
	const text = pdfText(res.body);
	const flat = squeeze(text);
	assert.ok(!text.includes('草稿'), 'no watermark');
	assert.ok(flat.includes('报名状态已提交'), 'status');
	const when = new Date((s.submitted_at + 8 * 3600) * 1000).toISOString().slice(0, 16).replace('T', '');
	assert.ok(flat.includes(`提交时间：${when}`), `submitted at ${when}`);
	const m = flat.match(/验证码：(\d+-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4})/);
	assert.ok(m, 'a verification code');
	const code = m[1];
	assert.ok(code.startsWith(`${s.id}-`));
	const sha = flat.match(/内容摘要（SHA-256）：([0-9a-f]{64})/);
	assert.ok(sha, 'a content hash');
	assert.ok(flat.includes(`/verify/${code}`), 'the verification address');
	renderPage(res.body, 1);

	// Anyone may check it, without a session; nothing personal comes back.
	const v = await request(server, `/api/v1/verify/${code}`);
	assert.equal(v.status, 200, v.text);
	assert.deepEqual(v.json, { valid: true, code, status: 'submitted', status_label: '已提交', content_sha256: sha[1] });
	assertSecurityHeaders(v);
	assert.equal(v.headers['cache-control'], 'no-store');
	assert.ok(!v.text.includes(doc.project.name) && !v.text.includes(doc.members[0].name));
	// Case and group separators do not matter; the hash is the document's.
	const loose = `${s.id}-${code.slice(code.indexOf('-') + 1).replace(/-/g, '').toLowerCase()}`;
	assert.equal((await request(server, `/api/v1/verify/${loose}`)).status, 200);
	// A forged code, another record's number, a draft's, rubbish: refused.
	const last = code.at(-1) === '0' ? '1' : '0';
	const forged = code.slice(0, -1) + last;
	assertError(await request(server, `/api/v1/verify/${forged}`), 404, 'verify_not_found', 'forged');
	const other = `${s.id + 1000}${code.slice(String(s.id).length)}`;
	assertError(await request(server, `/api/v1/verify/${other}`), 404, 'verify_not_found', 'other record');
	for (const bad of ['abc', '1', `${s.id}-XYZ`, '0-0000-0000-0000-0000-0000', 'x'.repeat(200)])
		assertError(await request(server, `/api/v1/verify/${bad}`), 404, 'verify_not_found', bad);
	const d = await createApp(alice, 'guangdong-2026', { attach: false });
	assertError(await request(server, `/api/v1/verify/${d.id}-${code.split('-').slice(1).join('-')}`), 404,
		'verify_not_found', 'a draft');
	const post = await alice.post(`/api/v1/verify/${code}`, {});
	assert.equal(post.status, 405);

	// The status follows the record: approved.
	const rev = await newStaff(server, ['reviewer:guangdong-2026'], 'pdfrev');
	const ap = await rev.post(`/api/v1/review/applications/${s.id}/approve`, {});
	assert.equal(ap.status, 200, ap.text);
	const v2 = await request(server, `/api/v1/verify/${code}`);
	assert.equal(v2.json.status, 'approved');
	assert.equal(v2.json.content_sha256, sha[1], 'the content is unchanged');
});

test('a resubmission retires the old code', async () => {
	const s = await submitted(alice, completeDoc());
	const first = squeeze(pdfText((await pdfOf(alice, `${APPS}/${s.id}/pdf`)).body)).match(/验证码：([0-9A-F-]+)/)[1];
	const rev = await newStaff(server, ['reviewer:guangdong-2026'], 'pdfret');
	const ret = await rev.post(`/api/v1/review/applications/${s.id}/return`, { reason: '请补充材料' });
	assert.equal(ret.status, 200, ret.text);
	// Returned, the code still names that submission.
	assert.equal((await request(server, `/api/v1/verify/${first}`)).json.status, 'returned');
	const returned = (await alice.get(`${APPS}/${s.id}`)).json;
	const pdf = squeeze(pdfText((await pdfOf(alice, `${APPS}/${s.id}/pdf`)).body));
	assert.ok(pdf.includes('退回原因请补充材料'), 'the reason on the cover');
	// The clock moves on, the record is resubmitted: a new code.
	await advanceClock(alice, 5);
	const again = await submitApp(alice, s.id, { version: returned.version });
	assert.equal(again.status, 200, again.text);
	const second = squeeze(pdfText((await pdfOf(alice, `${APPS}/${s.id}/pdf`)).body)).match(/验证码：([0-9A-F-]+)/)[1];
	assert.notEqual(second, first);
	assertError(await request(server, `/api/v1/verify/${first}`), 404, 'verify_not_found', 'retired');
	assert.equal((await request(server, `/api/v1/verify/${second}`)).status, 200);
});

test('only the owner downloads it; reviewers of its sub-contest get it masked', async () => {
	const doc = completeDoc();
	const s = await submitted(alice, doc);
	const path = `${APPS}/${s.id}/pdf`;
	// Another applicant, a missing record, no session.
	const missing = await mallory.get(`${APPS}/987654/pdf`);
	assertError(missing, 404, 'not_found');
	const other = await mallory.get(path);
	assertError(other, 404, 'not_found');
	assert.equal(other.json.error.message, missing.json.error.message);
	assertError(await request(server, path), 401, 'login_required');
	for (const id of ['abc', '0', '-1'])
		assertError(await alice.get(`${APPS}/${id}/pdf`), 404, 'not_found', id);

	// A reviewer of guangdong-2026: the review copy, identifiers masked.
	const rev = await newStaff(server, ['reviewer:guangdong-2026'], 'pdfmask');
	const r = await pdfOf(rev, `/api/v1/review/applications/${s.id}/pdf`);
	const flat = squeeze(pdfText(r.body));
	assert.ok(flat.includes(squeeze(doc.project.name)), 'the content');
	for (const m of doc.members) {
		assert.ok(!flat.includes(m.id_number), 'no ID number in the clear');
		assert.ok(!flat.includes(m.mobile), 'no mobile in the clear');
		assert.ok(flat.includes(`${m.id_number.slice(0, 4)}**********${m.id_number.slice(-4)}`), 'masked ID');
		assert.ok(flat.includes(`${m.mobile.slice(0, 3)}****${m.mobile.slice(-4)}`), 'masked mobile');
	}
	assert.ok(!flat.includes(doc.units[0].contact_phone.replace(/\s/g, '')), 'unit phone masked');
	assert.ok(flat.includes('证件号码、手机号等个人信息已脱敏'), 'says so');
	// The reviewer may not unmask; the admin may, and that is audited.
	assertError(await rev.get(`/api/v1/review/applications/${s.id}/pdf?unmask=1`), 403, 'forbidden');
	const admin = await newStaff(server, ['competition_admin:guangdong-2026'], 'pdfadm');
	const before = Number(sql(server, `SELECT COUNT(*) FROM audit_log WHERE action = 'view_personal_data' AND object_id = ${s.id}`));
	const full = squeeze(pdfText((await pdfOf(admin, `/api/v1/review/applications/${s.id}/pdf?unmask=1`)).body));
	assert.ok(full.includes(doc.members[0].id_number), 'unmasked for the admin');
	const after = Number(sql(server, `SELECT COUNT(*) FROM audit_log WHERE action = 'view_personal_data' AND object_id = ${s.id}`));
	assert.equal(after, before + 1, 'the unmasked view is audited');

	// Reviewers and admins of another sub-contest, and applicants: 404.
	for (const c of [await newStaff(server, ['reviewer:fujian-2026'], 'pdffj'),
		await newStaff(server, ['competition_admin:fujian-2026'], 'pdffja'), mallory, alice])
		assertError(await c.get(`/api/v1/review/applications/${s.id}/pdf`), 404, 'not_found', c.account);
	// A draft is the applicant's own.
	const d = await createApp(alice, 'guangdong-2026', { attach: false });
	assertError(await rev.get(`/api/v1/review/applications/${d.id}/pdf`), 404, 'not_found', 'draft');
	// A platform admin sees every sub-contest's.
	const root = await newStaff(server, ['platform_admin'], 'pdfroot');
	assert.equal((await root.get(`/api/v1/review/applications/${s.id}/pdf`, LONG)).status, 200);
});

test('an empty draft prints with blanks; Fujian prints its own name', async () => {
	const fj = await createApp(alice, 'fujian-2026', { attach: false });
	const res = await pdfOf(alice, `${APPS}/${fj.id}/pdf`);
	const flat = squeeze(pdfText(res.body));
	assert.ok(flat.includes('2026年“数据要素×”大赛福建分赛'), 'the sub-contest');
	assert.ok(flat.includes('（未填写）') && flat.includes('（尚未上传附件）'), 'blanks say so');
	assert.ok(pdfPages(res.body) >= 2);
	renderPage(res.body, 2);
	// HEAD gives the headers alone; other methods are refused.
	const head = await alice.req('HEAD', `${APPS}/${fj.id}/pdf`, LONG);
	assert.equal(head.status, 200);
	assert.equal(head.body.length, 0);
	assert.equal((await alice.post(`${APPS}/${fj.id}/pdf`, {})).status, 405);
});
