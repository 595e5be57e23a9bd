// The organisers' console (管理后台) in Chromium, each side in its own
// browser: a reviewer signs in through the page, finds an application in
// 报名审核 and returns it with a reason; the applicant reads 已退回 and the
// reason in 我的赛事, edits and resubmits; the reviewer approves and moves
// it to 初赛, which the applicant's list shows. Then a technical
// verification round trip (the applicant's side through the API), the
// attachment preview (pdf.js, images), batch decisions, the filters in the
// address, exports (direct, background job, 申报书 zip), phones, and a
// reviewer of another sub-contest who sees nothing.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
	startWebServer, launchBrowser, newPage, closePage, signIn, checkA11y, screenshot, assertNoSideScroll,
	assertNoProblems, settle, nextCaptcha, loginByPassword, waitRoute, shotOnFailure,
} from './lib.mjs';
import { wrapper } from './form-fill.mjs';
import { newApplicant, newStaff, completeDoc, submitted, APPS, STAFF_PASSWORD } from '../api/app-fixtures.mjs';
import { png } from '../api/att-lib.mjs';

const GD = 'guangdong-2026';
const T = { timeout: 300000 };

let server;
let browser;
let alice;
let reviewer;
const rec = {};
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
	alice = await newApplicant(server);
	reviewer = await newStaff(server, [`reviewer:${GD}`], 'rev');
	rec.main = await submitted(alice, completeDoc({ project: { name: '枢纽客流智能调度平台' }, team: { name: '枢纽调度团队' } }));
	rec.other = await submitted(alice, completeDoc({ project: { name: '港口集装箱数据服务' }, team: { name: '港口数据团队' } }));
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

const queueRows = (p) => p.locator('.rq-table .el-table__body tbody tr');
const queueRow = (p, text) => queueRows(p).filter({ hasText: text });
const myRow = (p, text) => p.locator('.my-table .el-table__body tbody tr').filter({ hasText: text });
const cellTexts = async (row) => (await row.locator('td .cell').allTextContents()).map((s) => s.trim());

async function openQueue(p, query = '') {
	await p.goto(`/console/${GD}${query}`);
	await p.locator('.rq-table, .rq-cards, .el-empty, .el-result').first().waitFor();
	await settle(p);
}

async function openDetail(p, id) {
	await p.goto(`/console/${GD}/applications/${id}`);
	await p.locator('.rv-head, .el-result').first().waitFor();
	await settle(p);
}

async function readDownload(d) {
	const p = await d.path();
	return fs.promises.readFile(p);
}

// The dialog open now, by its title.
const dialog = (p, title) => p.getByRole('dialog', { name: title });

async function reviewerSignsIn(p) {
	const captcha = nextCaptcha(p);
	await p.goto('/login');
	await loginByPassword(p, server, reviewer.account, STAFF_PASSWORD, captcha);
	await waitRoute(p, /\/user\/applications/);
}

test('return with a reason → the applicant edits and resubmits → approve → 初赛', T, async () => {
	const rp = await newPage(browser, server);
	const ap = await newPage(browser, server);
	try {
		await shotOnFailure(rp, 'console-return', async () => {
			// The reviewer signs in on the login page and goes to the console
			// from the user centre's menu.
			await reviewerSignsIn(rp);
			await rp.getByRole('menuitem', { name: '管理后台' }).click();
			await waitRoute(rp, /\/console$/);
			await rp.getByRole('heading', { name: '管理后台' }).waitFor();
			await axe(rp, 'console-home');
			await screenshot(rp, 'console-home-desktop');
			await rp.getByRole('button', { name: /报名审核/ }).first().click();
			await waitRoute(rp, new RegExp(`/console/${GD}$`));
			await rp.locator('.rq-table').waitFor();
			await settle(rp);

			// Tabs count per status; the columns are the spec's.
			await rp.getByRole('tab', { name: '全部 (2)' }).waitFor();
			await rp.getByRole('tab', { name: '已提交 (2)' }).waitFor();
			const heads = (await rp.locator('.rq-table .el-table__header th .cell').allTextContents()).map((s) => s.trim()).filter(Boolean);
			assert.deepEqual(heads, ['团队名称', '项目名称', '牵头单位', '赛道/赛题', '报名状态', '项目阶段', '技术验证状态', '提交时间', '提示', '操作']);

			// Keyword search narrows the list and goes into the address.
			await rp.getByLabel('关键词', { exact: true }).fill('枢纽客流');
			await rp.getByRole('button', { name: '搜索' }).click();
			await rp.getByText('共 1 条').waitFor();
			assert.match(rp.url(), /q=%E6%9E%A2%E7%BA%BD/);
			const row = queueRow(rp, '枢纽客流智能调度平台');
			const cells = await cellTexts(row);
			assert.equal(cells[1], '枢纽调度团队');
			assert.equal(cells[5], '已提交');
			assert.equal(cells[6], '未审核');
			assert.equal(cells[7], '未开始');
			await axe(rp, 'console-queue');
			await screenshot(rp, 'console-queue-desktop');

			// Open it and return it: a template, then a word of our own.
			await row.getByRole('link', { name: '枢纽客流智能调度平台' }).click();
			await waitRoute(rp, new RegExp(`/applications/${rec.main.id}$`));
			await rp.getByRole('heading', { name: '枢纽客流智能调度平台' }).waitFor();
			await rp.locator('.rd-page').first().waitFor();
			await settle(rp);
			await axe(rp, 'console-detail');
			await screenshot(rp, 'console-detail-desktop');

			await rp.getByRole('button', { name: '退回', exact: true }).click();
			const dlg = dialog(rp, '退回报名');
			await dlg.waitFor();
			// Empty: refused in the dialog.
			await dlg.getByRole('button', { name: '退回' }).click();
			await dlg.getByText('请填写退回原因').waitFor();
			await dlg.locator('.el-select').filter({ has: rp.getByLabel('常用退回原因', { exact: true }) }).click();
			await rp.getByRole('option', { name: /^申报材料不完整/ }).click();
			const text = dlg.getByLabel('退回原因', { exact: true });
			// Vue fills the text on its next tick, after the click returns.
			await (await text.elementHandle()).evaluate((el) => new Promise((resolve) => {
				const check = () => (el.value ? resolve() : setTimeout(check, 50));
				check();
			}));
			const template = await text.inputValue();
			assert.match(template, /^申报材料不完整/);
			await text.fill(`${template}\n请补充项目PPT中的客流预测准确率。`);
			await axe(rp, 'console-return-dialog');
			await dlg.getByRole('button', { name: '退回' }).click();
			await dlg.waitFor({ state: 'hidden' });
			await rp.locator('.rv-tags').getByText('报名状态：已退回').waitFor();
			await rp.locator('.rv-timeline').getByText('请补充项目PPT中的客流预测准确率。').waitFor();
		});
		const reason = (await alice.get(`${APPS}/${rec.main.id}`)).json.return_reason;
		assert.match(reason, /请补充项目PPT中的客流预测准确率。$/);

		// The applicant, in their own browser, reads it and resubmits.
		await shotOnFailure(ap, 'console-resubmit', async () => {
			await signIn(ap, alice);
			await ap.goto('/user/applications');
			const row = myRow(ap, '枢纽客流智能调度平台');
			await row.locator('.el-tag', { hasText: '已退回' }).waitFor();
			assert.match(await row.innerText(), /请补充项目PPT中的客流预测准确率/);
			await row.getByRole('button', { name: '编辑' }).click();
			await waitRoute(ap, new RegExp(`/user/apply/${rec.main.id}$`));
			await ap.getByRole('navigation', { name: '填报步骤' }).getByRole('button', { name: /项目申报信息/ }).click({ timeout: 30000 });
			const summary = wrapper(ap, 'project.summary').locator('textarea');
			await summary.waitFor({ timeout: 30000 });
			await summary.fill(`${await summary.inputValue()}客流预测准确率达到 92%。`);
			const actions = ap.getByRole('region', { name: '保存与提交' });
			await actions.getByRole('button', { name: '保存', exact: true }).click();
			await actions.getByRole('status').filter({ hasText: '已保存' }).waitFor();
			await ap.getByRole('navigation', { name: '填报步骤' }).getByRole('button', { name: /附件/ }).click({ timeout: 30000 });
			await actions.getByRole('button', { name: '提交', exact: true }).click({ timeout: 30000 });
			await ap.getByRole('dialog', { name: '确认提交报名' }).getByRole('button', { name: '提交' }).click();
			await waitRoute(ap, /\/user\/applications/);
			await myRow(ap, '枢纽客流智能调度平台').locator('.el-tag', { hasText: '已提交' }).waitFor();
		});

		// The reviewer approves and moves it to 初赛.
		await shotOnFailure(rp, 'console-approve', async () => {
			await rp.reload();
			await rp.locator('.rv-tags').getByText('报名状态：已提交').waitFor();
			await rp.locator('.rv-timeline').getByText('重新提交', { exact: true }).waitFor();
			await rp.getByRole('button', { name: '通过', exact: true }).click();
			const dlg = dialog(rp, '通过审核');
			await dlg.getByLabel('审核意见（选填）', { exact: true }).fill('材料齐全，同意进入初赛。');
			await dlg.getByRole('button', { name: '通过' }).click();
			await dlg.waitFor({ state: 'hidden' });
			await rp.locator('.rv-tags').getByText('报名状态：已通过').waitFor();
			await rp.getByRole('button', { name: '推进到初赛' }).click();
			await rp.getByRole('dialog', { name: '推进项目阶段' }).getByRole('button', { name: '推进到初赛' }).click();
			await rp.locator('.rv-tags').getByText('项目阶段：初赛').waitFor();
			await rp.getByRole('button', { name: '推进到决赛' }).waitFor();
			const timeline = await rp.locator('.rv-timeline').innerText();
			assert.match(timeline, /调整项目阶段\s*未审核 → 初赛/);
			assert.match(timeline, /审核意见：材料齐全，同意进入初赛。/);
		});

		await shotOnFailure(ap, 'console-applicant-sees', async () => {
			await ap.goto('/user/applications');
			const row = myRow(ap, '枢纽客流智能调度平台');
			await row.locator('.el-tag', { hasText: '已通过' }).waitFor();
			const cells = await cellTexts(row);
			assert.equal(cells[4], '已通过');
			assert.equal(cells[5], '初赛');
		});
		assertNoProblems(rp, 'reviewer');
		assertNoProblems(ap, 'applicant');
		assertA11y();
	} finally {
		await closePage(rp);
		await closePage(ap);
	}
});

test('technical verification: open with a due time → the applicant submits → 已通过; preview of PDFs and images', T, async () => {
	const id = rec.main.id;
	assert.equal((await alice.get(`${APPS}/${id}`)).json.stage, 'preliminary', 'the first test approved the record');
	const rp = await newPage(browser, server);
	const ap = await newPage(browser, server);
	try {
		await signIn(rp, reviewer);
		await shotOnFailure(rp, 'console-tech-open', async () => {
			await openDetail(rp, id);
			await rp.getByRole('button', { name: '发起技术验证' }).click();
			const dlg = dialog(rp, '发起技术验证');
			await dlg.getByRole('button', { name: '发起验证' }).click();
			await dlg.getByText('请填写技术验证要求').waitFor();
			await dlg.getByText('请选择提交截止时间').waitFor();
			await dlg.getByLabel('技术验证要求', { exact: true }).fill('请上传系统演示材料和第三方测试报告（PDF）。');
			// Ten days on, 18:00 China time.
			const due = new Date(Date.now() + 10 * 86400000 + 8 * 3600000).toISOString().slice(0, 10);
			const input = dlg.getByLabel('提交截止时间（北京时间）', { exact: true });
			await input.click();
			await input.fill(`${due} 18:00`);
			await input.press('Enter');
			await axe(rp, 'console-tech-dialog');
			await dlg.getByRole('button', { name: '发起验证' }).click();
			await dlg.waitFor({ state: 'hidden' });
			await rp.locator('.rv-tags').getByText('技术验证：待提交').waitFor();
			await rp.getByRole('heading', { name: '技术验证', exact: true }).waitFor();
			await rp.getByText(`${due} 18:00`).waitFor();
		});
		let app = (await alice.get(`${APPS}/${id}`)).json;
		assert.equal(app.tech_status, 'pending');
		assert.equal(app.tech_verification.instructions, '请上传系统演示材料和第三方测试报告（PDF）。');

		// The applicant's side through the API: a real PDF (their own 申报书,
		// Chinese text with embedded fonts) and an image, then submit.
		const pdfRes = await alice.get(`${APPS}/${id}/pdf`, { timeout: 60000 });
		assert.equal(pdfRes.status, 200);
		const pdfBody = pdfRes.body;
		for (const [name, body] of [['测试报告.pdf', pdfBody], ['系统截图.png', png(320, 200, [0x1d, 0x4f, 0x91])]]) {
			const up = await alice.req('PUT', `${APPS}/${id}/attachments/tech?name=${encodeURIComponent(name)}`,
				{ body, headers: { 'Content-Type': 'application/octet-stream' } });
			assert.equal(up.status, 201, up.text);
		}
		const sub = await alice.post(`${APPS}/${id}/tech-verification/submit`, {});
		assert.equal(sub.status, 200, sub.text);

		await shotOnFailure(rp, 'console-tech-result', async () => {
			await rp.reload();
			await rp.locator('.rv-tags').getByText('技术验证：验证中').waitFor();
			const files = rp.getByRole('region', { name: '技术验证材料' });
			await files.getByText('测试报告.pdf').waitFor();

			// The PDF, drawn by pdf.js.
			await files.getByRole('button', { name: '预览 测试报告.pdf' }).click();
			const pv = dialog(rp, '预览：测试报告.pdf');
			await pv.locator('.pv-count').waitFor({ timeout: 20000 });
			const pages = await pv.locator('canvas.pv-canvas').count();
			assert.ok(pages >= 1, 'the PDF has pages');
			// The first page was drawn: some of its pixels are not white.
			await rp.waitForFunction(() => {
				const c = document.querySelector('canvas.pv-canvas');
				if (!c || !c.width)
					return false;
				const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
				for (let i = 0; i < d.length; i += 4 * 97)
					if (d[i] < 200)
						return true;
				return false;
			}, null, { timeout: 20000 });
			await screenshot(rp, 'console-preview-pdf', { fullPage: false });
			await pv.getByRole('button', { name: '关闭', exact: true }).click();

			// The image, through a blob: URL.
			await files.getByRole('button', { name: '预览 系统截图.png' }).click();
			const img = dialog(rp, '预览：系统截图.png').getByRole('img', { name: '系统截图.png' });
			await img.waitFor();
			assert.match(await img.getAttribute('src'), /^blob:/);
			await rp.waitForFunction(() => document.querySelector('.fp-image img')?.naturalWidth === 320);
			await dialog(rp, '预览：系统截图.png').getByRole('button', { name: '关闭', exact: true }).click();

			await rp.getByRole('button', { name: '记录验证结果' }).click();
			const dlg = dialog(rp, '记录技术验证结果');
			// 未通过 needs a comment.
			await dlg.locator('label.el-radio').filter({ hasText: '未通过' }).click();
			await dlg.getByRole('button', { name: '保存结果' }).click();
			await dlg.getByText('未通过时须填写验证意见').waitFor();
			await dlg.locator('label.el-radio').filter({ hasText: '已通过' }).click();
			await dlg.getByLabel('验证意见（选填）', { exact: true }).fill('演示与测试报告一致。');
			await dlg.getByRole('button', { name: '保存结果' }).click();
			await dlg.waitFor({ state: 'hidden' });
			await rp.locator('.rv-tags').getByText('技术验证：已通过').waitFor();
		});
		app = (await alice.get(`${APPS}/${id}`)).json;
		assert.equal(app.tech_status, 'passed');
		assert.equal(app.tech_verification.comment, '演示与测试报告一致。');

		await signIn(ap, alice);
		await ap.goto('/user/applications');
		const row = myRow(ap, '枢纽客流智能调度平台');
		await row.waitFor();
		assert.equal((await cellTexts(row))[6], '已通过');
		assertNoProblems(rp, 'reviewer');
		assertA11y();
	} finally {
		await closePage(rp);
		await closePage(ap);
	}
});

test('batch decisions report each record; filters live in the address; phones', T, async () => {
	const extra = await submitted(alice, completeDoc({ project: { name: '港口批量测试项目' }, team: { name: '批量团队' } }));
	const rp = await newPage(browser, server);
	try {
		await signIn(rp, reviewer);
		await shotOnFailure(rp, 'console-batch', async () => {
			await openQueue(rp, '?status=submitted');
			assert.equal(await rp.getByRole('tab', { name: /^已提交/ }).getAttribute('aria-selected'), 'true');
			await rp.getByText('共 2 条').waitFor();
			// Both submitted records, and the approved one from another tab.
			for (const name of ['港口集装箱数据服务', '港口批量测试项目'])
				await queueRow(rp, name).locator('.el-checkbox').click();
			await rp.getByText('已选 2 条').waitFor();
			await rp.getByRole('button', { name: '批量通过' }).click();
			await dialog(rp, '批量通过').getByRole('button', { name: '通过' }).click();
			const res = dialog(rp, '批量通过结果');
			await res.getByText('成功 2 条，失败 0 条').waitFor();
			await res.getByRole('button', { name: '知道了' }).click();

			// A batch stage step on all approved: the one at 初赛 refuses.
			await rp.getByRole('tab', { name: /^已通过/ }).click();
			await waitRoute(rp, /status=approved/);
			await rp.getByText('共 3 条').waitFor();
			await rp.locator('.rq-table .el-table__header .el-checkbox').click();
			await rp.getByRole('button', { name: '批量推进阶段' }).click();
			const sd = dialog(rp, '批量推进阶段');
			await sd.getByRole('button', { name: '推进' }).click();
			const sr = dialog(rp, '批量推进阶段结果');
			await sr.getByText('成功 2 条，失败 1 条').waitFor();
			await sr.getByText(/项目阶段须依次推进/).waitFor();
			await axe(rp, 'console-batch-result');
			await sr.getByRole('button', { name: '知道了' }).click();

			// A filter by stage goes into the address; a reload keeps it.
			await rp.locator('.el-select').filter({ has: rp.getByLabel('项目阶段', { exact: true }) }).click();
			await rp.getByRole('option', { name: '初赛' }).click();
			await waitRoute(rp, /stage=preliminary/);
			await rp.getByText('共 3 条').waitFor();
			await rp.reload();
			await rp.getByText('共 3 条').waitFor();
			assert.equal(await rp.getByRole('tab', { name: /^已通过/ }).getAttribute('aria-selected'), 'true');
			// Back from a record returns to the same list.
			await queueRow(rp, '港口批量测试项目').getByRole('link').click();
			await waitRoute(rp, new RegExp(`/applications/${extra.id}$`));
			await rp.goBack();
			await waitRoute(rp, /stage=preliminary/);
			await rp.getByText('共 3 条').waitFor();
		});
		for (const x of [rec.other, extra]) {
			const a = (await alice.get(`${APPS}/${x.id}`)).json;
			assert.deepEqual([a.status, a.stage], ['approved', 'preliminary']);
		}

		// 导出 with the list's filters: at once, as a background job, and
		// the selected rows' 申报书 as one zip.
		await shotOnFailure(rp, 'console-export', async () => {
			await rp.getByRole('button', { name: /^导出/ }).click();
			const xd = dialog(rp, '导出报名数据');
			await xd.getByText('报名状态：已通过；项目阶段：初赛（共 3 条）').waitFor();
			let dl = rp.waitForEvent('download');
			await xd.getByRole('button', { name: '直接下载' }).click();
			let file = await dl;
			assert.match(file.suggestedFilename(), /\.xlsx$/);
			assert.equal((await readDownload(file)).subarray(0, 2).toString('latin1'), 'PK');

			await xd.getByRole('button', { name: '后台导出' }).click();
			const link = xd.getByRole('link', { name: /^下载 .+\.xlsx$/ });
			await link.waitFor({ timeout: 30000 });
			await xd.getByText('已处理 3 / 3 条').waitFor();
			await axe(rp, 'console-export-dialog');
			await screenshot(rp, 'console-export-desktop', { fullPage: false });
			dl = rp.waitForEvent('download');
			await link.click();
			file = await dl;
			assert.equal((await readDownload(file)).subarray(0, 2).toString('latin1'), 'PK');
			await rp.keyboard.press('Escape');
			await xd.waitFor({ state: 'hidden' });

			for (const name of ['港口集装箱数据服务', '港口批量测试项目'])
				await queueRow(rp, name).locator('.el-checkbox').click();
			await rp.getByRole('button', { name: '批量下载申报书' }).click();
			await xd.getByText('所选的 2 份报名').waitFor();
			const zip = xd.getByRole('link', { name: /^下载 申报书-.+\.zip$/ });
			await zip.waitFor({ timeout: 60000 });
			dl = rp.waitForEvent('download');
			await zip.click();
			file = await dl;
			const body = await readDownload(file);
			assert.equal(body.subarray(0, 2).toString('latin1'), 'PK');
			for (const x of [rec.other, extra])
				assert.ok(body.includes(Buffer.from(`${x.id}-`)), `the zip holds the 申报书 of ${x.id}`);
		});
		assertNoProblems(rp, 'batch');

		// Phones: cards, the menu in a drawer, no sideways scrolling.
		const phone = await newPage(browser, server, { phone: true });
		try {
			await signIn(phone, reviewer);
			await openQueue(phone);
			await phone.locator('.rq-cards').waitFor();
			await assertNoSideScroll(phone, 'console-queue-phone');
			await axe(phone, 'console-queue-phone');
			await screenshot(phone, 'console-queue-phone');
			await phone.getByRole('button', { name: '打开菜单' }).click();
			await phone.getByRole('dialog').getByRole('menuitem', { name: '报名审核' }).waitFor();
			await screenshot(phone, 'console-menu-phone', { fullPage: false });
			await phone.keyboard.press('Escape');
			await openDetail(phone, rec.main.id);
			// The whole record is a long page: at twice the pixels its
			// screenshot takes a while on a busy machine.
			phone.setDefaultTimeout(60000);
			await assertNoSideScroll(phone, 'console-detail-phone');
			await axe(phone, 'console-detail-phone');
			await screenshot(phone, 'console-detail-phone');
			assertNoProblems(phone, 'phone');
		} finally {
			await closePage(phone);
		}
		assertA11y();
	} finally {
		await closePage(rp);
	}
});

test('a reviewer of another sub-contest sees neither the queue nor a record', T, async () => {
	const other = await newStaff(server, ['reviewer:fujian-2026'], 'revfj');
	const p = await newPage(browser, server);
	try {
		await signIn(p, other);
		await p.goto('/console');
		await p.getByRole('heading', { name: '福建分赛' }).waitFor();
		assert.equal(await p.getByRole('heading', { name: '广东分赛' }).count(), 0);
		await openQueue(p);
		await p.getByText('无法查看该分赛的报名').waitFor();
		await p.getByText('赛事不存在或没有访问权限').waitFor();
		assert.equal(await p.locator('.rq-table').count(), 0);
		await openDetail(p, rec.main.id);
		await p.getByText('报名记录不存在或无权查看').waitFor();
		assert.equal(await p.getByText('枢纽客流智能调度平台').count(), 0);
		await checkA11y(p, 'console-forbidden');

		// An applicant does not get into the console at all.
		const ap = await newPage(browser, server);
		try {
			await signIn(ap, alice);
			await ap.goto(`/console/${GD}`);
			await waitRoute(ap, /\/user\/applications/);
			assert.equal(await ap.getByRole('menuitem', { name: '管理后台' }).count(), 0);
		} finally {
			await closePage(ap);
		}
	} finally {
		await closePage(p);
	}
});

test('a platform admin: the switcher, the admin pages in the menu, 显示完整信息; a decision that came too late', T, async () => {
	const root = await newStaff(server, ['platform_admin'], 'root');
	const judge = await newStaff(server, [`judge:${GD}`], 'judge');
	const late = await submitted(alice, completeDoc({ project: { name: '迟到决定测试项目' }, team: { name: '迟到团队' } }));
	// The same project name again: both are flagged 疑似重复.
	const twin = await submitted(alice, completeDoc({ project: { name: '迟到决定测试项目' }, team: { name: '另一个团队' } }));
	const p = await newPage(browser, server);
	try {
		await signIn(p, root);
		await shotOnFailure(p, 'console-root', async () => {
			await openQueue(p, `?q=${encodeURIComponent('迟到决定')}`);
			await p.getByText('共 2 条').waitFor();
			assert.equal(await queueRows(p).filter({ hasText: '疑似重复' }).count(), 2);
			await openDetail(p, late.id);
			const flags = p.getByRole('region', { name: '核查提示' });
			await flags.getByText('疑似重复报名').waitFor();
			await flags.getByRole('link', { name: `报名编号 ${twin.id}` }).waitFor();
			const menu = p.getByRole('complementary', { name: '管理后台菜单' });
			for (const item of ['报名审核', '退回原因模板', '工作人员', '赛程时间', '名单管理', '操作日志', '短信模板'])
				await menu.getByRole('menuitem', { name: item }).waitFor();
			await menu.getByLabel('当前分赛', { exact: true }).waitFor();

			// Masked until asked; asking is confirmed and logged.
			const masked = await p.locator('.rd').innerText();
			assert.match(masked, /1\d\d\*{4}\d{4}/, 'mobile numbers are masked');
			await p.getByRole('button', { name: '显示完整信息' }).click();
			await p.getByRole('dialog', { name: '显示完整信息' }).getByRole('button', { name: '显示' }).click();
			await p.getByText('正在显示完整的个人信息，本次查看已记入操作日志。').waitFor();
			const full = await p.locator('.rd').innerText();
			assert.doesNotMatch(full, /1\d\d\*{4}\d{4}/, 'mobile numbers in full');
			await checkA11y(p, 'console-detail-unmasked');
			await p.getByRole('button', { name: '隐藏完整信息' }).click();
			await p.getByText('身份证号、手机号和单位联系方式已脱敏显示').waitFor();

			// Someone else approves while the page is open: 退回 is refused
			// with the server's reason, and the page shows the new state.
			const r = await reviewer.post(`/api/v1/review/applications/${late.id}/approve`, {});
			assert.equal(r.status, 200, r.text);
			await p.getByRole('button', { name: '退回', exact: true }).click();
			const dlg = dialog(p, '退回报名');
			await dlg.getByLabel('退回原因', { exact: true }).fill('请补充材料。');
			await dlg.getByRole('button', { name: '退回' }).click();
			const alert = p.getByRole('dialog', { name: '无法执行该操作' });
			await alert.getByText(/只有已提交的报名可以审核/).waitFor();
			await alert.getByRole('button', { name: '知道了' }).click();
			await p.locator('.rv-tags').getByText('报名状态：已通过').waitFor();
			await dlg.waitFor({ state: 'hidden' });
			assert.equal(await p.locator('.rv-actions').getByRole('button', { name: '退回', exact: true }).count(), 0);
			await p.locator('.rv-actions').getByRole('button', { name: '推进到初赛' }).waitFor();
		});
		const audit = await root.get('/api/v1/admin/audit?action=view_personal_data');
		assert.equal(audit.status, 200, audit.text);
		assert.ok(JSON.stringify(audit.json).includes('view_personal_data'), 'the view is in the audit log');
		assertNoProblems(p, 'root');

		// A judge has no reviewer rights: the console leads to 我的评审任务
		// (empty until an admin assigns projects).
		const jp = await newPage(browser, server);
		try {
			await signIn(jp, judge);
			await jp.goto('/console');
			await jp.getByText('您是本分赛的评审专家').first().waitFor();
			assert.equal(await jp.getByRole('button', { name: /报名审核/ }).count(), 0);
			await checkA11y(jp, 'console-judge');
			await jp.getByRole('menuitem', { name: '我的评审任务' }).first().click();
			await jp.getByText('暂时没有分配给您的评审项目').waitFor();
			await checkA11y(jp, 'console-judge-tasks');
		} finally {
			await closePage(jp);
		}
	} finally {
		await closePage(p);
	}
});
