// 站内消息, documents and technical verification on the participant site:
// a reviewer's decision (through the API) lights the bell and lands in
// 站内消息; reading it clears the count; 下载申报书 PDF and the letter
// templates save real PDFs (and a refusal is shown, not raw JSON); the
// public /verify page confirms the PDF's code and rejects a forged one;
// a technical verification round: opened by the reviewer, the applicant
// uploads and submits (验证中), then reads the reviewer's comment.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
	startWebServer, launchBrowser, newPage, closePage, signIn, checkA11y, screenshot, assertNoSideScroll,
	assertNoProblems, settle, waitRoute, shotOnFailure,
} from './lib.mjs';
import {
	newApplicant, newStaff, createApp, saveDoc, submitted, completeDoc, APPS, PDF,
} from '../api/app-fixtures.mjs';
import { pdfText, squeeze } from '../api/docs-lib.mjs';

let server;
let browser;
let alice;
let rev;
const rec = {};
const T = { timeout: 180000 };
const REVIEW = '/api/v1/review/applications';

async function decide(id, what, body = {}) {
	const r = await rev.post(`${REVIEW}/${id}/${what}`, body);
	assert.equal(r.status, 200, `${what} ${id}: ${r.text}`);
	return r.json;
}

before(async () => {
	server = await startWebServer();
	browser = await launchBrowser();
	alice = await newApplicant(server);
	rev = await newStaff(server, ['reviewer:guangdong-2026'], 'rev');
	rec.sub = await submitted(alice, completeDoc({ project: { name: '枢纽客流消息测试项目' }, team: { name: '消息团队' } }));
	rec.tech = await submitted(alice, completeDoc({ project: { name: '技术验证测试项目' }, team: { name: '验证团队' } }));
	await decide(rec.tech.id, 'approve');
	const a = await createApp(alice);
	rec.draft = await saveDoc(alice, a.id, a.version, completeDoc({ project: { name: '模板下载草稿项目' }, team: { name: '模板团队' } }));
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

const bell = (page) => page.locator('header .bell');
const unreadCountAnswer = (page) => page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/messages/unread-count');
const apiCount = async () => (await alice.get('/api/v1/messages/unread-count')).json.unread;

// Clicks and waits for the browser's download; → { name, bytes }.
async function downloadBy(page, click) {
	const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
	const file = await dl.path();
	assert.ok(file, `the download of ${dl.suggestedFilename()} finished`);
	return { name: dl.suggestedFilename(), bytes: fs.readFileSync(file) };
}

test('a decision lights the bell; 站内消息 lists it; reading clears the count', T, async () => {
	const page = await newPage(browser, server);
	try {
		await signIn(page, alice);
		// approve of the tech record (before()) wrote one message already:
		// read it so the count starts at zero.
		await alice.post('/api/v1/messages/read-all');
		const first = unreadCountAnswer(page);
		await page.goto('/user/applications');
		await first;
		await settle(page);
		assert.equal(await bell(page).getAttribute('aria-label'), '站内消息，没有未读消息');
		assert.equal(await bell(page).locator('.bell__badge').count(), 0);

		await decide(rec.sub.id, 'approve', { reason: '材料齐全，符合要求。' });
		assert.equal(await apiCount(), 1);
		// A route change asks again (not within 3 s of the last answer).
		await page.waitForTimeout(3100);
		const again = unreadCountAnswer(page);
		await page.locator('.aside').getByRole('menuitem', { name: /参赛报名/ }).click();
		await again;
		await bell(page).locator('.bell__badge', { hasText: '1' }).waitFor();
		assert.equal(await bell(page).getAttribute('aria-label'), '站内消息，1 条未读');
		await page.locator('.aside .menu-unread', { hasText: '1' }).waitFor();

		await bell(page).click();
		await waitRoute(page, /\/user\/messages/);
		await settle(page);
		const item = page.locator('.msg').filter({ hasText: '枢纽客流消息测试项目' }).first();
		await item.waitFor();
		assert.ok(await item.evaluate((el) => el.classList.contains('is-unread')), 'marked unread');
		assert.match(await item.innerText(), /审核通过/);
		await page.locator('.msgs-unread', { hasText: '1 条未读' }).waitFor();
		await checkA11y(page, 'messages');
		await screenshot(page, 'messages-desktop');

		// Opening it marks it read and leads to the record.
		const read = page.waitForResponse((r) => /\/api\/v1\/messages\/\d+\/read$/.test(new URL(r.url()).pathname));
		await item.locator('.msg-title a').click();
		assert.equal((await read).status(), 200);
		await waitRoute(page, new RegExp(`/user/applications/${rec.sub.id}$`));
		await page.getByRole('heading', { name: '枢纽客流消息测试项目' }).waitFor();
		await page.locator('header .bell:not(.has-unread)').waitFor();
		assert.equal(await bell(page).getAttribute('aria-label'), '站内消息，没有未读消息');
		assert.equal(await page.locator('.aside .menu-unread').count(), 0);
		assert.equal(await apiCount(), 0);

		// The 状态记录 shows the decision with its remark.
		const history = (await page.locator('.av-timeline .el-timeline-item').allInnerTexts()).map((s) => s.replace(/\s+/g, ' '));
		assert.match(history[0], /审核通过 ?报名状态：已提交 → 已通过/);
		assert.match(history[0], /审核意见：材料齐全，符合要求。/);

		// 全部标为已读 after two more decisions (a stage and a step of it).
		await decide(rec.sub.id, 'stage', { stage: 'preliminary' });
		await decide(rec.sub.id, 'stage', { stage: 'final' });
		await page.goto('/user/messages');
		await settle(page);
		await bell(page).locator('.bell__badge', { hasText: '2' }).waitFor();
		assert.equal(await page.locator('.msg.is-unread').count(), 2);
		await page.getByRole('button', { name: '全部标为已读' }).click();
		await page.getByText('已将 2 条消息标为已读').waitFor();
		assert.equal(await page.locator('.msg.is-unread').count(), 0);
		await page.locator('header .bell:not(.has-unread)').waitFor();
		assert.ok(await page.getByRole('button', { name: '全部标为已读' }).isDisabled());
		assert.equal(await apiCount(), 0);

		// The stages read as words in the history.
		await page.goto(`/user/applications/${rec.sub.id}`);
		await page.locator('.av-timeline').waitFor();
		const h2 = (await page.locator('.av-timeline .el-timeline-item').allInnerTexts()).map((s) => s.replace(/\s+/g, ' '));
		assert.match(h2[0], /项目阶段调整 ?项目阶段：初赛 → 决赛/);
		assert.match(h2[1], /项目阶段：未审核 → 初赛/);
		assertNoProblems(page, 'messages');
	} finally {
		await closePage(page);
	}
	const phone = await newPage(browser, server, { phone: true });
	try {
		await signIn(phone, alice);
		await phone.goto('/user/messages');
		await settle(phone);
		await phone.locator('.msg').first().waitFor();
		await assertNoSideScroll(phone, 'messages-phone');
		await checkA11y(phone, 'messages-phone');
		await screenshot(phone, 'messages-phone');
		assertNoProblems(phone, 'messages-phone');
	} finally {
		await closePage(phone);
	}
});

test('下载申报书 PDF and the letter templates save PDFs; a refusal is shown', T, async () => {
	const page = await newPage(browser, server);
	try {
		await signIn(page, alice);
		await page.goto(`/user/applications/${rec.sub.id}`);
		await page.getByRole('heading', { name: '枢纽客流消息测试项目' }).waitFor();
		const pdf = await downloadBy(page, () => page.getByRole('button', { name: '下载申报书 PDF' }).click());
		assert.equal(pdf.name, `申报书-${rec.sub.id}-枢纽客流消息测试项目.pdf`);
		assert.equal(pdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
		const flat = squeeze(pdfText(pdf.bytes));
		assert.ok(flat.includes('枢纽客流消息测试项目'), 'the project in the PDF');
		const m = flat.match(/验证码：(\d+-[0-9A-F]{4}(?:-[0-9A-F]{4}){4})/);
		assert.ok(m, 'a verification code in the PDF');
		rec.code = m[1];
		rec.sha = flat.match(/内容摘要（SHA-256）：([0-9a-f]{64})/)?.[1];
		assert.ok(rec.sha, 'a content hash in the PDF');
		await page.getByText(/已开始下载：申报书-/).waitFor();

		// 参赛报名 of a draft: the PDF in the header, the templates at their slots.
		await page.goto(`/user/apply/${rec.draft.id}`);
		await page.getByRole('heading', { name: '参赛报名' }).waitFor();
		const draftPdf = await downloadBy(page, () => page.locator('.apply-head').getByRole('button', { name: '下载申报书 PDF' }).click());
		assert.equal(draftPdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
		await screenshot(page, 'apply-head-pdf', { fullPage: false });
		assert.ok(pdfText(draftPdf.bytes).includes('草稿'), 'a draft PDF has the watermark');
		await page.locator('.steps button', { hasText: '附件' }).click();
		const decl = page.locator('[data-slot="declaration"]');
		const auth = page.locator('[data-slot="authorization"]');
		await decl.getByRole('button', { name: '下载责任声明模板' }).waitFor();
		assert.equal(await page.getByRole('button', { name: '下载责任声明模板' }).count(), 1, 'only at its slot');
		const letter = await downloadBy(page, () => decl.getByRole('button', { name: '下载责任声明模板' }).click());
		assert.equal(letter.name, `申报主体责任声明-${rec.draft.id}-模板下载草稿项目.pdf`);
		assert.equal(letter.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
		const lt = squeeze(pdfText(letter.bytes));
		assert.ok(lt.includes('申报主体责任声明') && lt.includes('模板团队'), 'the declaration, filled');
		const letter2 = await downloadBy(page, () => auth.getByRole('button', { name: '下载授权书模板' }).click());
		assert.ok(squeeze(pdfText(letter2.bytes)).includes('参赛单位授权书'), 'the authorization letter');
		await checkA11y(page, 'apply-attachments-templates');
		await screenshot(page, 'apply-attachments-templates', { fullPage: false });

		// A refusal reaches the user as the server words it (never raw JSON
		// in the window).
		await page.route('**/letters/authorization.pdf', (route) => route.fulfill({
			status: 409,
			contentType: 'application/json; charset=utf-8',
			body: JSON.stringify({ error: { code: 'letter_unavailable', message: '授权书暂时无法生成：请先填写参赛单位', fields: [], request_id: '0000000000000000' } }),
		}));
		let downloads = 0;
		page.on('download', () => downloads++);
		await auth.getByRole('button', { name: '下载授权书模板' }).click();
		await page.locator('.el-message--error', { hasText: '授权书暂时无法生成：请先填写参赛单位' }).waitFor();
		assert.equal(downloads, 0);
		assert.match(page.url(), new RegExp(`/user/apply/${rec.draft.id}$`));
		await page.unroute('**/letters/authorization.pdf');
		assertNoProblems(page, 'downloads');
	} finally {
		await closePage(page);
	}
});

test('/verify/<code> confirms the PDF’s code; a forged code fails', T, async () => {
	assert.ok(rec.code, 'the PDF test found the code');
	const page = await newPage(browser, server);
	try {
		// Public: no session.
		await page.goto(`/verify/${rec.code}`);
		await page.getByRole('heading', { name: '核验通过' }).waitFor();
		const text = await page.locator('.verify-result').innerText();
		assert.ok(text.includes(rec.code));
		assert.ok(text.includes(rec.sha), 'the content hash as printed on the PDF');
		assert.ok(text.includes('已通过'), 'the current status');
		assert.ok(!text.includes('枢纽客流消息测试项目') && !text.includes('消息团队'), 'nothing personal');
		await checkA11y(page, 'verify-valid');
		await screenshot(page, 'verify-valid-desktop');

		// A forged code, typed into the form.
		const forged = rec.code.slice(0, -1) + (rec.code.at(-1) === '0' ? '1' : '0');
		await page.getByLabel('验证码', { exact: true }).fill(forged);
		await page.getByRole('button', { name: '核验', exact: true }).click();
		await waitRoute(page, new RegExp(`/verify/${forged}$`));
		await page.getByRole('heading', { name: '核验失败' }).waitFor();
		assert.match(await page.locator('.verify-result').innerText(), /验证码无效/);
		await checkA11y(page, 'verify-invalid');
		await screenshot(page, 'verify-invalid-desktop');
		// The code as people type it: lower case, without hyphens.
		const loose = `${rec.sub.id}-${rec.code.slice(rec.code.indexOf('-') + 1).replace(/-/g, '').toLowerCase()}`;
		await page.getByLabel('验证码', { exact: true }).fill(loose);
		await page.keyboard.press('Enter');
		await page.getByRole('heading', { name: '核验通过' }).waitFor();
		assertNoProblems(page, 'verify');
	} finally {
		await closePage(page);
	}
	const phone = await newPage(browser, server, { phone: true });
	try {
		await phone.goto(`/verify/${rec.code}`);
		await phone.getByRole('heading', { name: '核验通过' }).waitFor();
		await assertNoSideScroll(phone, 'verify-phone');
		await checkA11y(phone, 'verify-phone');
		await screenshot(phone, 'verify-valid-phone');
		assertNoProblems(phone, 'verify-phone');
	} finally {
		await closePage(phone);
	}
});

test('技术验证: opened by the reviewer, the applicant uploads and submits (验证中), then reads the comment', T, async () => {
	const id = rec.tech.id;
	const instructions = '请上传系统演示视频和第三方测试报告，说明数据处理流程。';
	const due = Math.floor(Date.now() / 1000) + 2 * 86400 + 3 * 3600;
	await decide(id, 'tech-verification', { instructions, due_at: due });
	const page = await newPage(browser, server);
	try {
		await signIn(page, alice);
		await page.goto('/user/applications?q=%E6%8A%80%E6%9C%AF%E9%AA%8C%E8%AF%81');
		await settle(page);
		const row = page.locator('.my-table .el-table__body tbody tr').filter({ hasText: '技术验证测试项目' });
		await row.getByText('待提交').waitFor();
		await row.getByRole('button', { name: '技术验证' }).click();
		await waitRoute(page, new RegExp(`/user/applications/${id}#tech$`));
		const panel = page.locator('#tech');
		await panel.getByRole('heading', { name: '技术验证', exact: true }).waitFor();
		await shotOnFailure(page, 'tech-panel', async () => {
			assert.equal((await panel.locator('.tech-status').innerText()).trim(), '待提交');
			assert.ok((await panel.innerText()).includes(instructions));
			assert.match(await panel.locator('.tech-countdown').innerText(), /剩余 2 天 [23] 小时/);
		});

		// Submitting with nothing uploaded says what to do.
		await panel.getByRole('button', { name: '提交验证材料' }).click();
		await panel.getByText('请上传技术验证材料', { exact: true }).waitFor();

		await panel.getByLabel('选择技术验证材料文件').setInputFiles({ name: '测试报告.pdf', mimeType: 'application/pdf', buffer: PDF });
		await panel.locator('.att-file__name', { hasText: '测试报告.pdf' }).waitFor();
		// Shown once: the 附件材料 list below leaves the tech slot to the panel.
		assert.equal(await page.locator('section[data-slot="tech"]').count(), 1);
		await checkA11y(page, 'tech-panel-pending');
		await panel.evaluate((el) => el.scrollIntoView({ block: 'start' }));
		await screenshot(page, 'tech-panel-pending-desktop', { fullPage: false });

		await panel.getByRole('button', { name: '提交验证材料' }).click();
		const dlg = page.getByRole('dialog', { name: '提交验证材料' });
		await dlg.getByRole('button', { name: '提交' }).click();
		await panel.locator('.tech-status', { hasText: '验证中' }).waitFor();
		assert.equal(await panel.getByRole('button', { name: '提交验证材料' }).count(), 0);
		assert.equal(await panel.locator('.att-drop').count(), 0);
		await panel.getByText('测试报告.pdf').waitFor();
		const history = (await page.locator('.av-timeline .el-timeline-item').allInnerTexts()).map((s) => s.replace(/\s+/g, ' '));
		assert.match(history[0], /提交技术验证材料 ?技术验证状态：待提交 → 验证中/);
		assert.match(history[1], /开启技术验证 ?技术验证状态：未开始 → 待提交/);
		const got = (await alice.get(`${APPS}/${id}`)).json;
		assert.equal(got.tech_status, 'verifying');

		// 未通过 with a comment: the applicant reads it.
		const comment = '演示视频无法播放，请重新录制并补充测试数据。';
		await decide(id, 'tech-verification/result', { result: 'failed', comment });
		await page.reload();
		await panel.locator('.tech-status', { hasText: '未通过' }).waitFor();
		assert.ok((await panel.locator('.tech-comment').innerText()).includes(comment));
		const h = (await page.locator('.av-timeline .el-timeline-item').first().innerText()).replace(/\s+/g, ' ');
		assert.match(h, /技术验证未通过 ?技术验证状态：验证中 → 未通过/);
		assert.ok(h.includes(`评审意见：${comment}`));
		await checkA11y(page, 'tech-panel-failed');
		assertNoProblems(page, 'tech');
	} finally {
		await closePage(page);
	}

	// Another round, on a phone.
	await decide(id, 'tech-verification', { instructions, due_at: due });
	const phone = await newPage(browser, server, { phone: true });
	try {
		await signIn(phone, alice);
		await phone.goto(`/user/applications/${id}#tech`);
		const panel = phone.locator('#tech');
		await panel.locator('.tech-status', { hasText: '待提交' }).waitFor();
		await settle(phone);
		await assertNoSideScroll(phone, 'tech-phone');
		await checkA11y(phone, 'tech-panel-phone');
		await panel.evaluate((el) => el.scrollIntoView({ block: 'start' }));
		await screenshot(phone, 'tech-panel-pending-phone', { fullPage: false });
		assertNoProblems(phone, 'tech-phone');
	} finally {
		await closePage(phone);
	}
});
