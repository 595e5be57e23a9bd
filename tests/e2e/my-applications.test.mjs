// 我的赛事 and 查看: the records of one applicant (made through the API),
// as the list and the detail page show them; filters, search, pages, the
// row actions, a returned record's reason, phones.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startWebServer, launchBrowser, newPage, closePage, signIn, checkA11y, screenshot, assertNoSideScroll,
	assertNoProblems, settle,
	waitRoute,
} from './lib.mjs';
import {
	newApplicant, newStaff, createApp, saveDoc, submitted, completeDoc, APPS,
} from '../api/app-fixtures.mjs';

let server;
let browser;
let c;
const rec = {};
const T = { timeout: 120000 };

const shanghai = new Intl.DateTimeFormat('en-GB', {
	timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});
function chinaTime(sec) {
	const p = Object.fromEntries(shanghai.formatToParts(new Date(sec * 1000)).map((x) => [x.type, x.value]));
	return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

async function draft(name, team, doc = {}) {
	const a = await createApp(c, 'guangdong-2026', { attach: false });
	return saveDoc(c, a.id, a.version, { project: { name }, team: { name: team }, ...doc });
}

before(async () => {
	server = await startWebServer();
	browser = await launchBrowser();
	c = await newApplicant(server);
	const reviewer = await newStaff(server, ['reviewer:guangdong-2026']);
	rec.returned = await submitted(c, completeDoc({ project: { name: '退回测试项目' }, team: { name: '退回测试团队' } }));
	rec.reason = '请补充项目PPT中的应用成效数据，并上传盖章后的参赛单位授权书扫描件。';
	let r = await reviewer.post(`/api/v1/review/applications/${rec.returned.id}/return`, { reason: rec.reason });
	assert.equal(r.status, 200, r.text);
	rec.approved = await submitted(c, completeDoc({ project: { name: '已通过的枢纽项目' }, team: { name: '通过团队' } }));
	r = await reviewer.post(`/api/v1/review/applications/${rec.approved.id}/approve`, {});
	assert.equal(r.status, 200, r.text);
	rec.submitted = await submitted(c, completeDoc({ project: { name: '已提交的调度项目' }, team: { name: '提交团队' } }));
	// A complete draft (submittable from the list) and an incomplete one.
	const a = await createApp(c, 'guangdong-2026');
	rec.complete = await saveDoc(c, a.id, a.version, completeDoc({ project: { name: '待提交的完整项目' }, team: { name: '完整团队' } }));
	rec.incomplete = await draft('缺项草稿项目', '缺项团队', { basic: { track: 'transportation', topic: 2 } });
	rec.drafts = [];
	for (let i = 1; i <= 8; i++)
		rec.drafts.push(await draft(`草稿项目${String(i).padStart(2, '0')}`, `草稿团队${i}`));
	// 13 records: 10 on page 1, 3 on page 2.
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

const rowsOf = (page) => page.locator('.my-table .el-table__body tbody tr');
const rowOf = (page, text) => rowsOf(page).filter({ hasText: text });

async function openList(page, query = '') {
	await page.goto(`/user/applications${query}`);
	await page.locator('.my-table, .my-cards, .el-empty').first().waitFor();
	await settle(page);
}

test('the list shows the records with the spec’s columns and the server’s labels', T, async () => {
	// Another time zone on the computer: times are still China time.
	const page = await newPage(browser, server, { timezoneId: 'America/New_York' });
	try {
		await signIn(page, c);
		await openList(page);
		assert.equal(await page.getByRole('heading', { name: '我的赛事' }).count(), 1);
		const heads = (await page.locator('.my-table .el-table__header th .cell').allTextContents()).map((s) => s.trim());
		assert.deepEqual(heads, ['团队名称', '项目名称', '所属赛事', '赛道/赛题', '报名状态', '项目阶段', '技术验证状态', '退回原因', '保存时间', '提交时间', '操作']);
		await page.getByText('共 13 条').waitFor();
		assert.equal(await rowsOf(page).count(), 10);

		// All on one page (the returned record, the oldest change, is last).
		await openList(page, '?per_page=20');
		assert.equal(await rowsOf(page).count(), 13);

		const returned = rowOf(page, '退回测试项目');
		const cells = (await returned.locator('td .cell').allTextContents()).map((s) => s.trim());
		assert.equal(cells[0], '退回测试团队');
		assert.equal(cells[2], '广东分赛');
		assert.equal(await returned.locator('td').nth(2).locator('[title]').getAttribute('title'), '2026年“数据要素×”大赛广东分赛');
		assert.match(cells[3], /^交通运输 \/ .+/);
		assert.equal(cells[4], '已退回');
		assert.equal(cells[5], '未审核');
		assert.equal(cells[6], '未开始');
		assert.equal(cells[7], rec.reason);
		const fresh = (await c.get(`${APPS}/${rec.returned.id}`)).json;
		assert.equal(cells[8], chinaTime(fresh.saved_at));
		assert.equal(cells[9], chinaTime(fresh.submitted_at));
		assert.ok(await returned.locator('.el-tag--danger').count(), '已退回 is red');

		// Actions exactly as the server allows them.
		const buttons = async (text) => (await rowOf(page, text).getByRole('button').allTextContents()).map((s) => s.trim());
		assert.deepEqual(await buttons('退回测试项目'), ['查看', '编辑', '提交']);
		assert.deepEqual(await buttons('已通过的枢纽项目'), ['查看']);
		assert.deepEqual(await buttons('已提交的调度项目'), ['查看']);
		assert.deepEqual(await buttons('草稿项目08'), ['查看', '编辑', '提交', '删除']);
		assert.ok(await rowOf(page, '已通过的枢纽项目').locator('.el-tag--success').count());
		assert.ok(await rowOf(page, '已提交的调度项目').locator('.el-tag--primary').count());
		assert.ok(await rowOf(page, '草稿项目08').locator('.el-tag--info').count());

		await checkA11y(page, 'my-applications');
		await screenshot(page, 'my-applications-desktop');
		assertNoProblems(page, 'my-applications');
	} finally {
		await closePage(page);
	}
});

test('filter by 报名状态, search by keyword, reset, and pages', T, async () => {
	const page = await newPage(browser, server);
	try {
		await signIn(page, c);
		await openList(page);

		await page.locator('.el-select').filter({ has: page.getByLabel('报名状态') }).click();
		await page.getByRole('option', { name: '已退回' }).click();
		await page.getByRole('button', { name: '搜索' }).click();
		await page.getByText('共 1 条').waitFor();
		assert.equal(await rowsOf(page).count(), 1);
		await rowOf(page, rec.reason).waitFor();
		assert.match(page.url(), /status=returned/);

		// The address keeps the filter: a reload shows the same.
		await page.reload();
		await page.getByText('共 1 条').waitFor();
		assert.equal(await rowsOf(page).count(), 1);

		// 我的赛事 of the account menu shows everything again.
		await page.getByRole('button', { name: /打开账号菜单/ }).click();
		await page.locator('.el-dropdown-menu').getByRole('menuitem', { name: '我的赛事' }).click();
		await page.getByText('共 13 条').waitFor();
		assert.equal(new URL(page.url()).search, '');

		await page.getByLabel('关键词').fill('退回');
		await page.getByRole('button', { name: '搜索' }).click();
		await page.getByText('共 1 条').waitFor();
		await page.getByRole('button', { name: '重置' }).click();
		await page.getByText('共 13 条').waitFor();
		assert.equal(await page.getByLabel('关键词').inputValue(), '');

		await page.getByLabel('关键词').fill('枢纽');
		await page.getByRole('button', { name: '搜索' }).click();
		await page.getByText('共 1 条').waitFor();
		await rowOf(page, '已通过的枢纽项目').waitFor();

		// By team name, Enter submits.
		await page.getByLabel('关键词').fill('草稿团队');
		await page.getByLabel('关键词').press('Enter');
		await page.getByText('共 8 条').waitFor();

		await page.getByLabel('关键词').fill('没有这个项目');
		await page.getByRole('button', { name: '搜索' }).click();
		await page.getByText('没有符合条件的报名记录').waitFor();

		await page.getByRole('button', { name: '重置' }).first().click();
		await page.getByText('共 13 条').waitFor();
		await page.locator('.my-pager').getByText('2', { exact: true }).click();
		await waitRoute(page, /page=2/);
		await settle(page);
		assert.equal(await rowsOf(page).count(), 3);
		// The oldest changes come last: the returned record was made first.
		await rowOf(page, '退回测试项目').waitFor();
	} finally {
		await closePage(page);
	}
});

test('查看 shows the whole application, the return reason and the history', T, async () => {
	const page = await newPage(browser, server);
	try {
		await signIn(page, c);
		await openList(page, '?status=returned');
		await rowOf(page, '退回测试项目').getByRole('button', { name: '查看' }).click();
		await waitRoute(page, new RegExp(`/user/applications/${rec.returned.id}$`));
		await page.getByRole('heading', { name: '退回测试项目', level: 1 }).waitFor();
		await settle(page);

		const alert = page.locator('.av-reason');
		assert.match(await alert.innerText(), /退回原因/);
		assert.match(await alert.innerText(), new RegExp(rec.reason));

		// The document: section titles, values with their labels.
		for (const h of ['01 基础信息', '02 项目申报信息', '基础信息', '（一）项目基本信息', '团队成员', '（三）参赛单位基本信息', '参赛项目介绍'])
			await page.getByRole('heading', { name: h, exact: true }).waitFor();
		const item = (label) => page.locator('.rd-item').filter({ has: page.locator(`dt:text-is("${label}")`) }).locator('dd').first();
		assert.equal(await item('项目名称').innerText(), '退回测试项目');
		assert.equal(await item('所在地区').innerText(), '广东省 / 深圳市 / 南山区');
		assert.match(await item('赛道').innerText(), /交通运输/);
		assert.match(await item('2. 项目适用行业').innerText(), /^541 城市公共交通运输/);
		const members = page.getByRole('region', { name: '团队成员列表' });
		assert.equal(await members.locator('tbody tr').count(), 3);
		assert.equal(await page.locator('.rd-rowtitle', { hasText: '参赛单位 2' }).count(), 1);

		// Attachments, read-only: the files, no upload.
		const files = page.locator('section[aria-labelledby="av-files"]');
		await files.getByText('qualification.pdf').waitFor();
		assert.equal(await files.getByRole('button', { name: /上传/ }).count(), 0);

		// 状态记录: newest first, with the reason.
		const history = (await page.locator('.av-timeline .el-timeline-item').allInnerTexts()).map((s) => s.replace(/\s+/g, ' '));
		assert.equal(history.length, 3);
		assert.match(history[0], /退回/);
		assert.match(history[0], new RegExp(rec.reason));
		assert.match(history[1], /提交/);
		assert.match(history[2], /创建/);

		assert.equal(await page.getByRole('button', { name: '编辑' }).count(), 1);
		await checkA11y(page, 'application-view');
		await screenshot(page, 'application-view-desktop');

		await page.getByRole('button', { name: '返回我的赛事' }).click();
		await waitRoute(page, /\/user\/applications(\?|$)/);
		assertNoProblems(page, 'application-view');
	} finally {
		await closePage(page);
	}
});

test('submit from the list: an incomplete draft offers the editor, a complete one is submitted', T, async () => {
	const page = await newPage(browser, server);
	try {
		await signIn(page, c);
		await openList(page, '?q=%E7%BC%BA%E9%A1%B9');
		await rowOf(page, '缺项草稿项目').getByRole('button', { name: '提交' }).click();
		const confirm = page.getByRole('dialog', { name: '提交报名' });
		await confirm.getByRole('button', { name: '提交' }).click();
		const refused = page.getByRole('dialog', { name: '无法提交' });
		await refused.waitFor();
		assert.match(await refused.innerText(), /共 \d+ 处需要修改/);
		await refused.getByRole('button', { name: '去修改' }).click();
		await waitRoute(page, new RegExp(`/user/apply/${rec.incomplete.id}$`));

		await openList(page, '?q=%E5%BE%85%E6%8F%90%E4%BA%A4');
		const row = rowOf(page, '待提交的完整项目');
		await row.getByRole('button', { name: '提交' }).click();
		await page.getByRole('dialog', { name: '提交报名' }).getByRole('button', { name: '提交' }).click();
		await page.getByText('提交成功，请等待审核').waitFor();
		await row.locator('.el-tag', { hasText: '已提交' }).waitFor();
		assert.deepEqual((await row.getByRole('button').allTextContents()).map((s) => s.trim()), ['查看']);
		const now = (await c.get(`${APPS}/${rec.complete.id}`)).json;
		assert.equal(now.status, 'submitted');
		assert.equal((await row.locator('td').nth(9).textContent()).trim(), chinaTime(now.submitted_at));
	} finally {
		await closePage(page);
	}
});

test('delete a draft after confirming; cancel keeps it', T, async () => {
	const page = await newPage(browser, server);
	try {
		await signIn(page, c);
		await openList(page, '?q=%E8%8D%89%E7%A8%BF%E9%A1%B9%E7%9B%AE01');
		const row = rowOf(page, '草稿项目01');
		await row.getByRole('button', { name: '删除' }).click();
		await page.getByRole('dialog', { name: '删除草稿' }).getByRole('button', { name: '取消' }).click();
		assert.equal((await c.get(`${APPS}/${rec.drafts[0].id}`)).status, 200);
		await row.getByRole('button', { name: '删除' }).click();
		await page.getByRole('dialog', { name: '删除草稿' }).getByRole('button', { name: '删除' }).click();
		await page.getByText('草稿已删除').waitFor();
		await page.getByText('没有符合条件的报名记录').waitFor();
		assert.equal((await c.get(`${APPS}/${rec.drafts[0].id}`)).status, 404);
	} finally {
		await closePage(page);
	}
});

test('a new user sees the empty state and 立即报名 leads to the application', T, async () => {
	const fresh = await newApplicant(server);
	const page = await newPage(browser, server);
	try {
		await signIn(page, fresh);
		await openList(page);
		await page.getByText('您还没有报名记录').waitFor();
		await checkA11y(page, 'my-applications-empty');
		await page.locator('.el-empty').getByRole('button', { name: '立即报名' }).click();
		await waitRoute(page, /\/user\/apply(\?|$)/);
		// 参赛报名 lists the sub-contests to choose from.
		await page.getByRole('button', { name: /^立即报名：/ }).first().waitFor();
		await settle(page);
		await checkA11y(page, 'apply-start');
	} finally {
		await closePage(page);
	}
});

test('phones get cards, no sideways scrolling, and 查看 fits', T, async () => {
	const page = await newPage(browser, server, { phone: true });
	try {
		await signIn(page, c);
		await openList(page, '?per_page=20');
		const cards = page.locator('.my-card');
		assert.equal(await cards.count(), (await c.get(`${APPS}?per_page=20`)).json.total);
		assert.equal(await page.locator('.my-table').count(), 0);
		const returned = cards.filter({ hasText: '退回测试项目' });
		assert.match(await returned.innerText(), new RegExp(rec.reason));
		await assertNoSideScroll(page, 'my-applications (phone)');
		await checkA11y(page, 'my-applications-phone');
		await screenshot(page, 'my-applications-phone', { fullPage: false });

		await returned.getByRole('button', { name: '查看' }).click();
		await waitRoute(page, new RegExp(`/user/applications/${rec.returned.id}$`));
		await page.getByRole('heading', { name: '状态记录' }).waitFor();
		await settle(page);
		await assertNoSideScroll(page, 'application-view (phone)');
		await checkA11y(page, 'application-view-phone');
		await screenshot(page, 'application-view-phone', { fullPage: false });
		assertNoProblems(page, 'phone');
	} finally {
		await closePage(page);
	}
});

test('another user’s record is not found', T, async () => {
	const other = await newApplicant(server);
	const page = await newPage(browser, server);
	try {
		await signIn(page, other);
		await page.goto(`/user/applications/${rec.returned.id}`);
		await page.getByText('报名记录不存在', { exact: true }).waitFor();
		await page.getByRole('button', { name: '返回我的赛事' }).click();
		await waitRoute(page, /\/user\/applications$/);
	} finally {
		await closePage(page);
	}
});
