// The whole way of one applicant, as the spec's 报名指引 describes it:
// portal → 立即报名 → 注册 → every section of the 申报书 typed in → the
// required files uploaded → 提交 → 我的赛事 shows 已提交 → returned by a
// reviewer → the reason on the page → 编辑 → 重新提交. Also: a submit with
// problems leads to the field, autosave survives a reload, and the form
// fits a phone.

import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
	startWebServer, launchBrowser, newPage, closePage, checkA11y, screenshot, assertNoSideScroll, assertNoProblems,
	settle, newUser, registerViaUI, clientOf, signIn, nextCaptcha, shotOnFailure, waitRoute,
} from './lib.mjs';
import { fillPage, assertSameDoc, wrapper } from './form-fill.mjs';
import { completeDoc, newStaff, createApp, saveDoc, APPS, PDF } from '../api/app-fixtures.mjs';

let server;
let browser;
let page;
let schema;
let competition;
let applicant;
let appId;
const doc = completeDoc({ project: { name: '粤港澳枢纽客流智能调度平台' }, team: { name: '枢纽创新团队' } });
const T = { timeout: 300000 };
// Accessibility problems found along the way, reported at the end of each
// test (so that one does not hide the rest of the flow).
let a11y = [];
const axe = (p, name) => checkA11y(p, name, { soft: a11y });
const assertA11y = () => {
	const found = a11y;
	a11y = [];
	assert.deepEqual(found, [], 'serious or critical accessibility violations');
};

before(async () => {
	server = await startWebServer();
	browser = await launchBrowser();
	schema = await (await fetch(`${server.url}/api/v1/competitions/guangdong-2026/form`)).json();
	competition = await (await fetch(`${server.url}/api/v1/competitions/guangdong-2026`)).json();
	page = await newPage(browser, server);
});

beforeEach(() => {
	a11y = [];
});

after(async () => {
	if (page)
		await closePage(page);
	await browser?.close();
	await server?.stop();
});

const actions = (p) => p.getByRole('region', { name: '保存与提交' });

async function saved(p) {
	await actions(p).getByRole('button', { name: '保存', exact: true }).click();
	await actions(p).getByRole('status').filter({ hasText: '已保存' }).waitFor();
}

async function toStep(p, title) {
	await p.getByRole('navigation', { name: '填报步骤' }).getByRole('button', { name: new RegExp(title) }).click();
}

async function submitHere(p) {
	await actions(p).getByRole('button', { name: '提交', exact: true }).click();
	await p.getByRole('dialog', { name: '确认提交报名' }).getByRole('button', { name: '提交' }).click();
}

const listRow = (p, text) => p.locator('.my-table .el-table__body tbody tr').filter({ hasText: text });

test('portal → 立即报名 → 注册 → the whole 申报书 → files → 提交 → 我的赛事', T, async () => {
	await page.goto('/competitions/guangdong-2026');
	await settle(page);
	const loginCaptcha = nextCaptcha(page);
	await page.locator('main').getByRole('button', { name: '立即报名' }).first().click();
	await waitRoute(page, /\/login\?redirect=/);
	await loginCaptcha;
	const captcha = nextCaptcha(page);
	await page.getByRole('link', { name: '立即注册' }).click();
	await waitRoute(page, /\/register\?redirect=/);
	await registerViaUI(page, server, newUser('flow'), { captcha });

	// 参赛报名 opens a new draft of the sub-contest.
	await waitRoute(page, /\/user\/apply\/\d+$/);
	appId = Number(new URL(page.url()).pathname.split('/').pop());
	applicant = await clientOf(page, server);

	// 01 基础信息
	await wrapper(page, 'basic.lead_unit_name').waitFor();
	await settle(page);
	await fillPage(page, schema, doc, 'basic', { competition });
	await saved(page);
	await axe(page, 'apply-basic');
	await screenshot(page, 'apply-basic-desktop');

	// 02 项目申报信息
	await actions(page).getByRole('button', { name: '下一页' }).click();
	await wrapper(page, 'project.name').waitFor();
	await fillPage(page, schema, doc, 'declaration', { competition });
	await saved(page);
	await page.evaluate(() => window.scrollTo(0, 0));
	await axe(page, 'apply-declaration');
	await screenshot(page, 'apply-declaration-desktop', { fullPage: false });
	assertSameDoc((await applicant.get(`${APPS}/${appId}`)).json.doc, doc, 'what the form saved is what was typed');

	// 03 附件: the required files.
	await actions(page).getByRole('button', { name: '下一页' }).click();
	const required = schema.attachments.filter((s) => s.required);
	assert.ok(required.length >= 2, 'the schema has required slots');
	for (const s of required) {
		await page.getByLabel(`选择${s.label}文件`).setInputFiles({ name: `${s.key}.pdf`, mimeType: 'application/pdf', buffer: PDF });
		await wrapper(page, `attachments.${s.key}`).locator('.att-file__name', { hasText: `${s.key}.pdf` }).waitFor();
	}
	await page.getByText('必传材料已全部上传').waitFor();
	await axe(page, 'apply-attachments');
	await screenshot(page, 'apply-attachments-desktop');

	await submitHere(page);
	await shotOnFailure(page, 'flow-submit', () => waitRoute(page, /\/user\/applications/));
	const row = listRow(page, doc.project.name);
	await row.locator('.el-tag', { hasText: '已提交' }).waitFor();
	assert.equal((await applicant.get(`${APPS}/${appId}`)).json.status, 'submitted');
	assertNoProblems(page, 'the whole way');
	assertA11y();
});

test('returned: the applicant reads the reason, edits and submits again', T, async () => {
	assert.ok(appId, 'the first test made the record');
	const reviewer = await newStaff(server, ['reviewer:guangdong-2026']);
	const reason = '请在项目简述中补充枢纽客流预测的准确率指标。';
	const r = await reviewer.post(`/api/v1/review/applications/${appId}/return`, { reason });
	assert.equal(r.status, 200, r.text);

	await page.goto('/user/applications');
	const row = listRow(page, doc.project.name);
	await row.locator('.el-tag', { hasText: '已退回' }).waitFor();
	assert.match(await row.innerText(), new RegExp(reason));
	await row.getByRole('button', { name: '编辑' }).click();
	await waitRoute(page, new RegExp(`/user/apply/${appId}$`));
	await page.getByText(reason).first().waitFor();

	await toStep(page, '项目申报信息');
	const summary = wrapper(page, 'project.summary').locator('textarea');
	await summary.waitFor();
	const added = `${doc.project.summary}客流预测准确率达到 92%。`;
	await summary.fill(added);
	await saved(page);
	await toStep(page, '附件');
	await submitHere(page);
	await waitRoute(page, /\/user\/applications/);
	await listRow(page, doc.project.name).locator('.el-tag', { hasText: '已提交' }).waitFor();

	const now = (await applicant.get(`${APPS}/${appId}`)).json;
	assert.equal(now.status, 'submitted');
	assert.equal(now.doc.project.summary, added);
	assert.deepEqual(now.history.map((h) => h.action), ['create', 'submit', 'return', 'resubmit']);

	// 查看 shows the history with the reason.
	await listRow(page, doc.project.name).getByRole('button', { name: '查看' }).click();
	const timeline = page.locator('.av-timeline');
	await timeline.getByText('重新提交').waitFor();
	assert.match(await timeline.innerText(), new RegExp(reason));
});

test('a submit with problems lists them and leads to the field', T, async () => {
	const a = await createApp(applicant, 'guangdong-2026', { attach: false });
	const part = await saveDoc(applicant, a.id, a.version, { basic: { track: 'transportation', topic: 2 }, project: { name: '缺项的项目' } });
	await page.goto(`/user/apply/${part.id}`);
	await wrapper(page, 'basic.lead_unit_name').waitFor();
	await toStep(page, '附件');
	await submitHere(page);

	const panel = page.getByRole('region', { name: '需要修改的问题' });
	await panel.waitFor();
	assert.match(await panel.innerText(), /共 \d+ 处需要修改/);
	await panel.getByRole('button', { name: /牵头单位名称/ }).first().click();
	const target = wrapper(page, 'basic.lead_unit_name');
	await target.waitFor();
	await page.waitForFunction((sel) => {
		const r = document.querySelector(sel)?.getBoundingClientRect();
		return r && r.top >= 0 && r.bottom <= window.innerHeight;
	}, '[data-field="basic.lead_unit_name"]');
	assert.match(await target.innerText(), /牵头单位名称/);
	assert.ok(await target.locator('.el-form-item__error').count(), 'the message is at the field');
	await axe(page, 'apply-errors');
	await screenshot(page, 'apply-errors-desktop', { fullPage: false });
	assertA11y();
});

test('what is typed is saved on its own and survives a reload', T, async () => {
	const a = await createApp(applicant, 'guangdong-2026', { attach: false });
	await page.goto(`/user/apply/${a.id}`);
	const input = wrapper(page, 'basic.lead_unit_name').locator('input');
	await input.waitFor();
	await input.fill('深圳市自动保存数据科技有限公司');
	await input.blur();
	// No 保存 click: the page saves by itself.
	await actions(page).getByRole('status').filter({ hasText: '已保存' }).waitFor({ timeout: 20000 });
	await page.reload();
	await wrapper(page, 'basic.lead_unit_name').locator('input').waitFor();
	assert.equal(await wrapper(page, 'basic.lead_unit_name').locator('input').inputValue(), '深圳市自动保存数据科技有限公司');
	assert.equal((await applicant.get(`${APPS}/${a.id}`)).json.doc.basic.lead_unit_name, '深圳市自动保存数据科技有限公司');
});

test('the application form on a phone', T, async () => {
	const p = await newPage(browser, server, { phone: true });
	try {
		await signIn(p, applicant);
		const a = await createApp(applicant, 'guangdong-2026', { attach: false });
		await p.goto(`/user/apply/${a.id}`);
		await wrapper(p, 'basic.lead_unit_name').waitFor();
		await settle(p);
		for (const [i, title] of ['基础信息', '项目申报信息', '附件'].entries()) {
			if (i > 0)
				await actions(p).getByRole('button', { name: '下一页' }).click();
			await p.getByRole('navigation', { name: '填报步骤' }).getByRole('button', { name: new RegExp(title) })
				.and(p.locator('[aria-current="step"]')).waitFor();
			await settle(p);
			await assertNoSideScroll(p, `apply ${title} (phone)`);
			await axe(p, `apply-${i + 1}-phone`);
			await screenshot(p, `apply-${i + 1}-phone`, { fullPage: false });
		}
		assertNoProblems(p, 'apply on a phone');
		assertA11y();
	} finally {
		await closePage(p);
	}
});
