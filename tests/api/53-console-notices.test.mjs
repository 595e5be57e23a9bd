// 53-console-notices: every decision tells the applicant — an in-app
// message (with the unread count the site's header shows) and an SMS to
// the account's phone from a template the platform admin edits. The SMS
// leaves through a queue: a provider that is down or refuses never holds
// up or undoes the decision.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError } from './lib.mjs';
import { getApp, newApplicant, newStaff, startAppServer } from './app-fixtures.mjs';
import { Client } from './auth-lib.mjs';
import { startFakeSms } from './fake-sms.mjs';
import {
	GD, ADMIN, startConsole, decide, approve, setStage, submittedApp, approvedApp,
	waitForNotice, latestMessage, batch,
	stopClean,
} from './console-fixtures.mjs';

let cast;

before(async () => {
	cast = await startConsole();
});

after(() => stopClean(cast?.server));

const MSG = '/api/v1/messages';
const TEMPLATES = `${ADMIN}/sms-templates`;
const now = () => Math.floor(Date.now() / 1000);

async function unread(c) {
	const res = await c.get(`${MSG}/unread-count`);
	assert.equal(res.status, 200, res.text);
	return res.json.unread;
}

test('each decision writes a message to the applicant, newest first', async () => {
	const c = await newApplicant(cast.server);
	const { rev } = cast;
	assert.equal(await unread(c), 0);
	assert.deepEqual((await c.get(MSG)).json, { items: [], total: 0, unread: 0, page: 1, per_page: 20 });
	const s = await submittedApp(c, { project: { name: '消息测试·客流平台' } });
	const reason = '申报材料不完整，请补充资格证明。';
	assert.equal((await decide(rev, s.id, 'return', { reason })).status, 200);
	let m = await latestMessage(c);
	assert.equal(m.event, 'return');
	assert.equal(m.application_id, s.id);
	assert.equal(m.read, false);
	assert.equal(m.read_at, null);
	assert.match(m.title, /退回/);
	assert.ok(m.body.includes('消息测试·客流平台'), m.body);
	assert.ok(m.body.includes(reason), m.body);
	// Resubmitted, approved, staged, verified.
	const got = await getApp(c, s.id);
	assert.equal((await c.post(`/api/v1/applications/${s.id}/submit`, { version: got.version })).status, 200);
	await approve(rev, s.id);
	await setStage(rev, s.id, 'preliminary');
	assert.equal((await decide(rev, s.id, 'tech-verification', { instructions: '请上传演示视频。', due_at: now() + 86400 })).status, 200);
	const list = await c.get(MSG);
	assert.equal(list.status, 200, list.text);
	assert.deepEqual(list.json.items.map((x) => x.event), ['tech_open', 'stage', 'approve', 'return']);
	assert.equal(list.json.total, 4);
	assert.equal(list.json.unread, 4);
	const [tech, stage, ok] = list.json.items;
	assert.match(ok.title, /审核通过/);
	assert.ok(stage.body.includes('初赛'), stage.body);
	assert.ok(tech.body.includes('请上传演示视频。'), tech.body);
	assert.match(tech.body, /\d{4}-\d\d-\d\d \d\d:\d\d/);
	for (const x of list.json.items)
		assert.equal(typeof x.created_at, 'number');
	assert.equal(await unread(c), 4);
	// Paging.
	const p2 = await c.get(`${MSG}?per_page=3&page=2`);
	assert.deepEqual(p2.json.items.map((x) => x.event), ['return']);
	assertError(await c.get(`${MSG}?per_page=0`), 400, 'bad_page');
	assertError(await c.get(`${MSG}?page=x`), 400, 'bad_page');

	// Reading one, then all.
	const r1 = await c.post(`${MSG}/${tech.id}/read`);
	assert.equal(r1.status, 200, r1.text);
	assert.deepEqual(r1.json, { id: tech.id, read: true, unread: 3 });
	const again = await c.post(`${MSG}/${tech.id}/read`);
	assert.deepEqual(again.json, { id: tech.id, read: true, unread: 3 });
	m = (await c.get(MSG)).json.items[0];
	assert.equal(m.read, true);
	assert.equal(typeof m.read_at, 'number');
	const all = await c.post(`${MSG}/read-all`);
	assert.deepEqual(all.json, { marked: 3, unread: 0 });
	assert.equal(await unread(c), 0);
	assert.deepEqual((await c.post(`${MSG}/read-all`)).json, { marked: 0, unread: 0 });

	// The technical verification result too.
	const up = await c.req('PUT', `/api/v1/applications/${s.id}/attachments/tech?name=v.pdf`,
		{ body: Buffer.from('%PDF-1.4\n%%EOF\n'), headers: { 'Content-Type': 'application/pdf' } });
	assert.equal(up.status, 201, up.text);
	assert.equal((await c.post(`/api/v1/applications/${s.id}/tech-verification/submit`)).status, 200);
	assert.equal((await decide(rev, s.id, 'tech-verification/result', { result: 'failed', comment: '缺少测试报告。' })).status, 200);
	m = await latestMessage(c);
	assert.equal(m.event, 'tech_result');
	assert.match(m.title, /未通过/);
	assert.ok(m.body.includes('缺少测试报告。'));
	assert.equal(await unread(c), 1);
});

test("a user sees and marks only their own messages", async () => {
	const { alice, bob, rev } = cast;
	const s = await approvedApp(alice, rev);
	const mine = await latestMessage(alice);
	assert.equal(mine.application_id, s.id);
	const theirs = await bob.get(MSG);
	assert.ok(!theirs.json.items.some((x) => x.id === mine.id));
	assertError(await bob.post(`${MSG}/${mine.id}/read`), 404, 'not_found');
	assertError(await bob.post(`${MSG}/999999/read`), 404, 'not_found');
	assertError(await bob.post(`${MSG}/x/read`), 404, 'not_found');
	await bob.post(`${MSG}/read-all`);
	assert.equal((await latestMessage(alice)).read, false, "bob's read-all left alice's alone");
	const anon = new Client(cast.server);
	assertError(await anon.get(MSG), 401, 'login_required');
	assertError(await anon.get(`${MSG}/unread-count`), 401, 'login_required');
	assertError(await anon.post(`${MSG}/${mine.id}/read`, undefined, { csrf: false }), 401, 'login_required');
	assertError(await alice.post(`${MSG}/${mine.id}/read`, undefined, { csrf: false }), 403, 'csrf_failed');
	// A client may send {}; nothing else.
	assert.equal((await alice.post(`${MSG}/${mine.id}/read`, {})).status, 200);
	assertError(await alice.post(`${MSG}/${mine.id}/read`, { all: true }), 422, 'invalid');
	assertError(await alice.post(`${MSG}/read-all`, { x: 1 }), 422, 'invalid');
	assertError(await alice.post(`${MSG}/read-all`, 'x'.repeat(2000)), 413, 'body_too_large');
});

test('each decision queues an SMS to the account phone, from the built-in templates', async () => {
	const c = await newApplicant(cast.server);
	const s = await submittedApp(c, { project: { name: '短信测试·农业平台' } });
	await approve(cast.rev, s.id);
	const sms = await waitForNotice(cast.server, c.phone, /短信测试·农业平台/);
	assert.equal(sms.text, '【数据要素×大赛】您的项目《短信测试·农业平台》已通过形式审查，请登录平台查看。');
	await setStage(cast.rev, s.id, 'preliminary');
	await waitForNotice(cast.server, c.phone, /已进入初赛阶段/);
	// Batch decisions notify each applicant.
	const d = await newApplicant(cast.server);
	const t = await submittedApp(d, { project: { name: '批量退回·平台' } });
	const res = await batch(cast.rev, { action: 'return', ids: [t.id], reason: '附件不清晰。' });
	assert.equal(res.json.succeeded, 1);
	await waitForNotice(cast.server, d.phone, /批量退回·平台.*附件不清晰。/);
	assert.equal((await latestMessage(d)).event, 'return');
});

test('SMS templates: the platform admin reads and edits them, checked', async () => {
	let res = await cast.root.get(TEMPLATES);
	assert.equal(res.status, 200, res.text);
	assert.deepEqual(res.json.templates.map((t) => t.event), ['approve', 'return', 'stage', 'tech_open', 'tech_result', 'award']);
	assert.equal(res.json.max_chars, 200);
	assert.equal(res.json.provider, 'outbox');
	assert.deepEqual(Object.keys(res.json.queue).sort(), ['failed', 'queued', 'sending', 'sent']);
	const ret = res.json.templates.find((t) => t.event === 'return');
	assert.equal(ret.custom, false);
	assert.equal(ret.text, ret.default_text);
	assert.deepEqual(ret.placeholders, ['{project}', '{reason}']);
	assert.equal(ret.label, '退回修改');

	const bad = [
		[{ templates: { return: '' } }, 'templates.return'],
		[{ templates: { return: '项目{name}被退回' } }, 'templates.return'],
		[{ templates: { approve: '原因：{reason}' } }, 'templates.approve'],
		[{ templates: { stage: '【大赛】{project}' } }, 'templates.stage'],
		[{ templates: { stage: '{project' } }, 'templates.stage'],
		[{ templates: { stage: 'project}' } }, 'templates.stage'],
		[{ templates: { stage: '第一行\n第二行' } }, 'templates.stage'],
		[{ templates: { stage: '长'.repeat(201) } }, 'templates.stage'],
		[{ templates: { stage: 7 } }, 'templates.stage'],
		[{ templates: { birthday: '生日快乐' } }, 'templates.birthday'],
		[{ templates: 'x' }, 'templates'],
		[{}, 'templates'],
		[{ templates: {}, x: 1 }, 'x'],
	];
	for (const [body, field] of bad) {
		const r = await cast.root.req('PUT', TEMPLATES, { body });
		assertError(r, 422, 'invalid', JSON.stringify(body).slice(0, 60));
		assert.ok(r.json.error.fields.some((f) => f.field === field), `${JSON.stringify(body).slice(0, 60)}: ${r.text}`);
	}
	const unknown = await cast.root.req('PUT', TEMPLATES, { body: { templates: { return: '项目{name}被退回' } } });
	assert.match(unknown.json.error.fields[0].message, /\{name\}.*\{project\} \{reason\}/);

	const text = '您好，项目《{project}》需修改：{reason}';
	res = await cast.root.req('PUT', TEMPLATES, { body: { templates: { return: text } } });
	assert.equal(res.status, 200, res.text);
	const now2 = res.json.templates.find((t) => t.event === 'return');
	assert.equal(now2.text, text);
	assert.equal(now2.custom, true);
	assert.equal(typeof now2.updated_at, 'number');
	// Used by the next return; a long reason is cut short in the SMS only.
	const c = await newApplicant(cast.server);
	const s = await submittedApp(c, { project: { name: '模板测试·平台' } });
	const reason = `请补充${'材料'.repeat(40)}`;
	assert.equal((await decide(cast.rev, s.id, 'return', { reason })).status, 200);
	const sms = await waitForNotice(cast.server, c.phone, /模板测试·平台/);
	assert.match(sms.text, /^【数据要素×大赛】您好，项目《模板测试·平台》需修改：请补充[材料]+…$/);
	assert.ok(sms.text.length < reason.length + 30);
	assert.ok((await latestMessage(c)).body.includes(reason), 'the in-app message keeps it whole');
	// null puts the built-in text back.
	res = await cast.root.req('PUT', TEMPLATES, { body: { templates: { return: null } } });
	assert.equal(res.json.templates.find((t) => t.event === 'return').custom, false);
	// Changes are audited.
	const log = await cast.root.get(`${ADMIN}/audit?action=sms_template_set`);
	assert.equal(log.json.items[0].detail.event, 'return');
	assert.equal(log.json.items[0].detail.before, text);
	assert.equal(log.json.items[1].detail.after, text);
});

test('SMS templates are for the platform admin only', async () => {
	for (const c of [cast.admin, cast.rev, cast.alice, cast.judge]) {
		assertError(await c.get(TEMPLATES), 403, 'forbidden');
		assertError(await c.req('PUT', TEMPLATES, { body: { templates: {} } }), 403, 'forbidden');
	}
	assertError(await new Client(cast.server).get(TEMPLATES), 401, 'login_required');
});

test('a provider that refuses or is down never holds up a decision', async (t) => {
	const fake = await startFakeSms({ provider: 'aliyun', keyId: 'LTAIKEY', secret: 'sec', mode: 'ok' });
	t.after(() => fake.close());
	const server = await startAppServer({ args: [
		'--sms-provider', 'aliyun', '--sms-endpoint', fake.url,
		'--sms-access-key-id', 'LTAIKEY', '--sms-access-key-secret', 'sec', '--sms-sign-name', '数据要素大赛',
		'--sms-template-register', 'SMS_1', '--sms-template-login', 'SMS_2', '--sms-template-reset', 'SMS_3',
		'--sms-template-notice', 'SMS_9',
	] });
	t.after(() => stopClean(server));
	const c = await newApplicant(server);
	const rev = await newStaff(server, [`reviewer:${GD}`], 'rv');
	const root = await newStaff(server, ['platform_admin'], 'rt');
	const s = await submittedApp(c, { project: { name: '通道测试·平台' } });
	const res = await decide(rev, s.id, 'approve');
	assert.equal(res.status, 200, res.text);
	// The notice goes through the provider's notice template, text as its parameter.
	const deadline = Date.now() + 10000;
	let sent;
	while (!(sent = fake.received.find((x) => x.template === 'SMS_9')) && Date.now() < deadline)
		await new Promise((r) => setTimeout(r, 100));
	assert.ok(sent, `no notice reached the provider: ${JSON.stringify(fake.received.map((x) => x.template))}`);
	assert.equal(sent.signatureOk, true);
	assert.equal(sent.phone, c.phone);
	assert.equal(sent.content, '您的项目《通道测试·平台》已通过形式审查，请登录平台查看。');
	let q;
	for (;;) {
		q = (await root.get(TEMPLATES)).json.queue;
		if (q.sent >= 1 || Date.now() > deadline)
			break;
		await new Promise((r) => setTimeout(r, 100));
	}
	assert.equal(q.sent, 1, JSON.stringify(q));
	assert.equal(q.failed, 0);

	// Now the provider is gone: the decision still goes through at once.
	await fake.close();
	const s2 = await submittedApp(c, { project: { name: '通道测试·二' } });
	const started = Date.now();
	const r2 = await decide(rev, s2.id, 'return', { reason: '请补充。' });
	assert.equal(r2.status, 200, r2.text);
	assert.ok(Date.now() - started < 2000, 'the decision did not wait for the provider');
	assert.equal((await getApp(c, s2.id)).status, 'returned');
	assert.equal((await latestMessage(c)).event, 'return');
	// The notice waits in the queue for another try.
	const until = Date.now() + 10000;
	for (;;) {
		q = (await root.get(TEMPLATES)).json.queue;
		if (q.queued + q.failed >= 1 || Date.now() > until)
			break;
		await new Promise((r) => setTimeout(r, 100));
	}
	assert.equal(q.queued, 1, JSON.stringify(q));
});
