// The administration pages of the organisers' console, as a sub-contest's
// admin uses them: 工作人员 (add a reviewer by phone), 退回原因模板 (edit,
// reorder, a row's error), 赛程时间 (a date's error at its field), 名单管理
// (a CSV with a bad row: preview, 确认导入 refused; fixed: imported), and
// 操作日志 (the import is there). A reviewer sees refusals; a platform
// admin edits the SMS templates and checks a credit code by hand. Every
// page passes axe and is photographed on a desktop and a phone.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	startWebServer, launchBrowser, newPage, closePage, signIn, checkA11y, screenshot, assertNoSideScroll,
	assertNoProblems, settle, shotOnFailure,
} from './lib.mjs';
import { newApplicant, newStaff, uscc } from '../api/app-fixtures.mjs';

const GD = 'guangdong-2026';
const T = { timeout: 180000 };
let server;
let browser;
let admin;
let reviewer;
let root;
let newcomer;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'saiwu-e2e-admin-'));

before(async () => {
	server = await startWebServer();
	browser = await launchBrowser();
	admin = await newStaff(server, [`competition_admin:${GD}`], 'adm');
	reviewer = await newStaff(server, [`reviewer:${GD}`], 'rev');
	root = await newStaff(server, ['platform_admin'], 'root');
	newcomer = await newApplicant(server);
});

after(async () => {
	await browser?.close();
	await server?.stop();
	fs.rmSync(tmp, { recursive: true, force: true });
});

// The whole page, the console's layout and menu included.
const a11y = (page, name, soft) => checkA11y(page, name, { soft });

const open = async (page, p) => {
	await page.goto(p);
	await page.locator('.adm-page').waitFor();
	await settle(page);
};

const apiDone = (page, method, re) => page.waitForResponse((r) => r.request().method() === method && re.test(new URL(r.url()).pathname));

function csvFile(name, text) {
	const f = path.join(tmp, name);
	fs.writeFileSync(f, text);
	return f;
}

test('a sub-contest admin: staff, reasons, schedule, lists and the audit log', T, async () => {
	const page = await newPage(browser, server);
	const soft = [];
	try {
		await signIn(page, admin);

		// ---- 工作人员: an unregistered phone is an error at the field; a registered one is added.
		await shotOnFailure(page, 'console-admin-staff', async () => {
			await open(page, `/console/${GD}/staff`);
			await page.getByRole('heading', { name: '工作人员', level: 1 }).waitFor();
			await page.getByText('2026年“数据要素×”大赛广东分赛').first().waitFor();
			// Only a platform admin may name a sub-contest admin: not offered.
			await page.locator('.el-select').filter({ has: page.getByRole('combobox', { name: '角色' }) }).click();
			assert.deepEqual((await page.getByRole('option').allTextContents()).map((s) => s.trim()), ['审核员', '评审专家']);
			await page.getByRole('option', { name: '审核员' }).click();
			await page.getByRole('textbox', { name: '手机号' }).fill('13900000001');
			let res = apiDone(page, 'POST', /\/staff$/);
			await page.getByRole('button', { name: '添加', exact: true }).click();
			assert.equal((await res).status(), 422);
			await page.locator('.st-who .el-form-item__error').getByText('该手机号尚未注册').waitFor();

			await page.getByRole('textbox', { name: '手机号' }).fill(newcomer.phone);
			res = apiDone(page, 'POST', /\/staff$/);
			await page.getByRole('button', { name: '添加', exact: true }).click();
			assert.equal((await res).status(), 201);
			const row = page.locator('.el-table__row').filter({ hasText: newcomer.account });
			await row.waitFor();
			assert.match(await row.textContent(), /审核员/);
			assert.match(await row.textContent(), new RegExp(`${newcomer.phone.slice(0, 3)}\\*{4}${newcomer.phone.slice(7)}`));
			await a11y(page, 'console-admin-staff', soft);
			await screenshot(page, 'console-admin-staff-desktop');
		});
		const staff = await admin.get(`/api/v1/admin/competitions/${GD}/staff`);
		assert.ok(staff.json.items.some((s) => s.account === newcomer.account && s.roles.includes('reviewer')), staff.text);

		// ---- 退回原因模板: edit the first, move the second up, save; a duplicate is an error at its row.
		await shotOnFailure(page, 'console-admin-reasons', async () => {
			await open(page, `/console/${GD}/return-reasons`);
			const first = page.getByLabel('退回原因模板第 1 条', { exact: true });
			const before = (await admin.get(`/api/v1/review/competitions/${GD}/return-reasons`)).json.reasons;
			await first.fill('申报材料不完整，请补充项目PPT后重新提交。');
			await page.getByRole('button', { name: '上移第 2 条' }).click();
			// The focus follows the moved row (keyboard users keep their place).
			assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), '下移第 1 条');
			let res = apiDone(page, 'PUT', /return-reasons$/);
			await page.getByRole('button', { name: '保存', exact: true }).click();
			assert.equal((await res).status(), 200);
			await page.getByText('已自定义').waitFor();
			const saved = (await admin.get(`/api/v1/review/competitions/${GD}/return-reasons`)).json;
			assert.deepEqual(saved.reasons.slice(0, 2), [before[1], '申报材料不完整，请补充项目PPT后重新提交。']);
			assert.equal(saved.custom, true);

			await page.getByLabel('退回原因模板第 3 条', { exact: true }).fill(before[1]);
			res = apiDone(page, 'PUT', /return-reasons$/);
			await page.getByRole('button', { name: '保存', exact: true }).click();
			assert.equal((await res).status(), 422);
			const err = page.locator('.rr-row').nth(2).locator('.rr-error');
			await err.waitFor();
			assert.ok((await err.textContent()).length > 0);
			assert.equal(await page.getByLabel('退回原因模板第 3 条', { exact: true }).getAttribute('aria-invalid'), 'true');
			await a11y(page, 'console-admin-reasons', soft);
			await screenshot(page, 'console-admin-reasons-desktop');
			await page.getByRole('button', { name: '撤销修改' }).click();
		});

		// ---- 赛程时间: a resubmission deadline before the opening is refused at its field.
		await shotOnFailure(page, 'console-admin-schedule', async () => {
			await open(page, `/console/${GD}/schedule`);
			const resub = page.getByLabel('退回修改截止时间（北京时间）', { exact: true });
			await resub.fill('2020-01-01 00:00:00');
			await resub.press('Enter');
			let res = apiDone(page, 'PUT', /schedule$/);
			await page.getByRole('button', { name: '保存', exact: true }).click();
			assert.equal((await res).status(), 422);
			await page.locator('.el-form-item.is-error').filter({ hasText: '退回修改截止时间' }).locator('.el-form-item__error').waitFor();
			await a11y(page, 'console-admin-schedule', soft);
			await screenshot(page, 'console-admin-schedule-desktop');
			await resub.fill('2026-08-01 18:00:00');
			await resub.press('Enter');
			res = apiDone(page, 'PUT', /schedule$/);
			await page.getByRole('button', { name: '保存', exact: true }).click();
			assert.equal((await res).status(), 200);
			const s = (await admin.get(`/api/v1/admin/competitions/${GD}/schedule`)).json;
			assert.equal(s.resubmit_closes, '2026-08-01T18:00:00+08:00');
		});

		// ---- 名单管理: a bad row blocks the import; the fixed file goes in.
		const good1 = uscc('MA5G00001');
		const good2 = uscc('MA5G00002');
		await shotOnFailure(page, 'console-admin-lists', async () => {
			await open(page, `/console/${GD}/unit-lists`);
			const input = page.locator('input[type=file][data-kind=exclusion]');
			let res = apiDone(page, 'POST', /unit-lists\/exclusion$/);
			await input.setInputFiles(csvFile('bad.csv', `统一社会信用代码,单位名称,备注\n${good1},深圳市测试组织单位,主办方\nbadcode,错误单位\n${good2},深圳市测试关联单位,\n`));
			let r = await res;
			assert.match(r.url(), /dry_run=1/);
			assert.equal(r.status(), 200);
			const preview = page.locator('.ui-preview');
			await preview.getByText('第 3 行').waitFor();
			assert.match(await preview.locator('.ui-error-list').textContent(), /badcode/);
			assert.equal(await preview.getByRole('button', { name: '确认导入' }).isDisabled(), true);
			await preview.getByText('文件中有 1 处错误').waitFor();
			await a11y(page, 'console-admin-lists-preview', soft);
			await screenshot(page, 'console-admin-lists-preview-desktop');
			// Nothing was stored.
			const audit0 = await admin.get(`/api/v1/admin/audit?competition=${GD}&action=unit_list_import`);
			assert.equal(audit0.json.total, 0);

			res = apiDone(page, 'POST', /unit-lists\/exclusion$/);
			await input.setInputFiles(csvFile('fixed.csv', `统一社会信用代码,单位名称,备注\n${good1},深圳市测试组织单位,主办方\n${good2},深圳市测试关联单位,\n`));
			r = await res;
			assert.match(r.url(), /dry_run=1/);
			await preview.getByText('共 2 行有效数据').waitFor();
			const confirm = preview.getByRole('button', { name: '确认导入' });
			assert.equal(await confirm.isDisabled(), false);
			res = apiDone(page, 'POST', /unit-lists\/exclusion$/);
			await confirm.click();
			r = await res;
			assert.doesNotMatch(r.url(), /dry_run/);
			assert.equal(r.status(), 200);
			await page.getByText('已导入 2 条（fixed.csv）').waitFor();
			await settle(page);

			// The list now holds them: search, and the CSV export.
			const list = page.locator('.ut');
			await list.getByText('（共 2 条）').waitFor();
			for (const code of [good1, good2])
				await list.locator('.el-table__row').filter({ hasText: code }).waitFor();
			await page.getByLabel('在组织单位名单中搜索').fill('关联');
			res = apiDone(page, 'GET', /unit-lists\/exclusion$/);
			await list.getByRole('button', { name: '搜索' }).click();
			r = await res;
			assert.match(r.url(), /q=%E5%85%B3%E8%81%94/);
			await list.getByText('（共 1 条）').waitFor();
			assert.equal(await list.locator('.el-table__row').count(), 1);
			assert.match(await list.locator('.el-table__row').textContent(), new RegExp(good2));
			const download = page.waitForEvent('download');
			await list.getByRole('link', { name: /导出 CSV/ }).click();
			const csv = fs.readFileSync(await (await download).path(), 'utf8');
			assert.match(csv, /^\uFEFF?统一社会信用代码,单位名称,备注\r\n/);
			assert.match(csv, new RegExp(`${good1},深圳市测试组织单位,主办方`));
			assert.match(csv, new RegExp(good2));
			await a11y(page, 'console-admin-lists', soft);
			await screenshot(page, 'console-admin-lists-desktop');
		});

		// ---- 操作日志: the import and the other changes, with before/after.
		await shotOnFailure(page, 'console-admin-audit', async () => {
			await open(page, `/console/${GD}/audit`);
			const imp = page.locator('.el-table__row').filter({ hasText: '导入名单' });
			await imp.waitFor();
			assert.match(await imp.textContent(), /组织单位名单/);
			assert.match(await imp.textContent(), /导入行数：2/);
			assert.match(await imp.textContent(), new RegExp(admin.account));
			assert.match(await imp.textContent(), /127\.0\.0\.1/);
			const sched = page.locator('.el-table__row').filter({ hasText: '修改赛程时间' });
			assert.match(await sched.textContent(), /退回修改截止时间：原值—→，新值2026-08-01 18:00:00/);
			// Filter by action.
			await page.locator('.el-select').filter({ has: page.getByRole('combobox', { name: '操作', exact: true }) }).click();
			await page.getByRole('option', { name: '添加工作人员' }).click();
			const res = apiDone(page, 'GET', /\/admin\/audit$/);
			await page.getByRole('button', { name: '查询' }).click();
			const r = await res;
			assert.match(r.url(), /action=staff_add/);
			assert.match(r.url(), new RegExp(`competition=${GD}`));
			await page.getByText('共 1 条记录').waitFor();
			assert.match(await page.locator('.el-table__row').first().textContent(), new RegExp(newcomer.account));
			await page.getByRole('button', { name: '重置' }).click();
			await settle(page);
			await a11y(page, 'console-admin-audit', soft);
			await screenshot(page, 'console-admin-audit-desktop');
		});
		assert.deepEqual(soft, [], 'accessibility');
		assertNoProblems(page, 'admin pages');
	} finally {
		await closePage(page);
	}
});

test('the admin pages on a phone', T, async () => {
	const page = await newPage(browser, server, { phone: true });
	try {
		await signIn(page, admin);
		for (const [p, name] of [['staff', 'staff'], ['return-reasons', 'reasons'], ['schedule', 'schedule'], ['unit-lists', 'lists'], ['audit', 'audit']]) {
			await open(page, `/console/${GD}/${p}`);
			await assertNoSideScroll(page, `console-admin-${name} phone`);
			await a11y(page, `console-admin-${name}-phone`);
			await screenshot(page, `console-admin-${name}-phone`);
		}
		assertNoProblems(page, 'admin pages on a phone');
	} finally {
		await closePage(page);
	}
});

test('a reviewer sees the refusal, not a blank page', T, async () => {
	const page = await newPage(browser, server);
	try {
		await signIn(page, reviewer);
		for (const p of ['staff', 'schedule', 'unit-lists', 'audit']) {
			await open(page, `/console/${GD}/${p}`);
			await page.getByRole('alert').getByText('没有权限访问此页面').waitFor();
			await page.getByText('需要该分赛的管理员权限').waitFor();
		}
		await a11y(page, 'console-admin-refused');
		await screenshot(page, 'console-admin-refused-desktop');
		await open(page, '/console/sms-templates');
		await page.getByText('需要平台管理员权限').waitFor();
		// The templates are the reviewer's to read, not to change.
		await open(page, `/console/${GD}/return-reasons`);
		await page.getByText('修改模板需要该分赛的管理员权限').waitFor();
		assert.equal(await page.getByRole('button', { name: '保存' }).count(), 0);
		assert.ok(await page.locator('.rr-text').count() > 0);
		// Another sub-contest: the server does not even say it exists for them.
		await open(page, '/console/fujian-2026/return-reasons');
		await page.getByRole('alert').getByText('赛事不存在或没有访问权限').waitFor();
		assertNoProblems(page, 'reviewer');
	} finally {
		await closePage(page);
	}
});

test('a platform admin: SMS templates, the dishonesty list and a credit code checked by hand', T, async () => {
	const page = await newPage(browser, server);
	const soft = [];
	try {
		await signIn(page, root);
		await shotOnFailure(page, 'console-admin-sms', async () => {
			await open(page, '/console/sms-templates');
			const ret = page.getByLabel('退回修改短信模板', { exact: true });
			await ret.fill('您的项目《{project}》被退回：{reason}，截止{due}。');
			let res = apiDone(page, 'PUT', /sms-templates$/);
			await page.getByRole('button', { name: '保存', exact: true }).click();
			assert.equal((await res).status(), 422);
			await page.locator('#sm-err-return').getByText('{due}').waitFor();
			assert.equal(await ret.getAttribute('aria-invalid'), 'true');
			await a11y(page, 'console-admin-sms', soft);
			await screenshot(page, 'console-admin-sms-desktop');
			await ret.fill('您的项目《》被退回，原因：。请登录平台修改。');
			// Placeholders go in where the cursor is.
			await ret.evaluate((el) => el.setSelectionRange(5, 5));
			await page.locator('.sm-item').filter({ has: page.getByRole('heading', { name: '退回修改' }) })
				.getByRole('button', { name: /^插入占位符 \{project\}/ }).click();
			assert.equal(await ret.inputValue(), '您的项目《{project}》被退回，原因：。请登录平台修改。');
			res = apiDone(page, 'PUT', /sms-templates$/);
			await page.getByRole('button', { name: '保存', exact: true }).click();
			assert.equal((await res).status(), 200);
			const t = (await root.get('/api/v1/admin/sms-templates')).json.templates.find((x) => x.event === 'return');
			assert.equal(t.text, '您的项目《{project}》被退回，原因：。请登录平台修改。');
			assert.equal(t.custom, true);
		});

		await shotOnFailure(page, 'console-admin-lists-root', async () => {
			await open(page, `/console/${GD}/unit-lists`);
			await page.getByRole('tab', { name: '失信名单' }).click();
			const input = page.locator('input[type=file][data-kind=dishonest]');
			let res = apiDone(page, 'POST', /unit-lists\/dishonest$/);
			await input.setInputFiles(csvFile('dishonest.csv', `${uscc('MA5G00003')},某失信公司,失信被执行人\n`));
			assert.equal((await res).status(), 200);
			res = apiDone(page, 'POST', /unit-lists\/dishonest$/);
			await page.getByRole('button', { name: '确认导入' }).click();
			assert.equal((await res).status(), 200);
			await page.getByText('已导入 1 条（dishonest.csv）').waitFor();
			await page.locator('.ut .el-table__row').filter({ hasText: '某失信公司' }).waitFor();

			// A code whose check character is off, in lower case with a space.
			const good = uscc('MA5G00004');
			const off = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
			await page.getByLabel('统一社会信用代码', { exact: true }).fill(`${off.slice(0, 8)} ${off.slice(8).toLowerCase()}`);
			await page.getByLabel('备注', { exact: true }).fill('已核对营业执照原件');
			res = apiDone(page, 'POST', /uscc-verified$/);
			await page.getByRole('button', { name: '登记核验' }).click();
			assert.equal((await res).status(), 200);
			await page.getByText(`已登记人工核验：${off}`).waitFor();
			// A malformed code is an error at the field.
			await page.getByLabel('统一社会信用代码', { exact: true }).fill('123');
			res = apiDone(page, 'POST', /uscc-verified$/);
			await page.getByRole('button', { name: '登记核验' }).click();
			assert.equal((await res).status(), 422);
			await page.locator('.uv-uscc .el-form-item__error').waitFor();
			await a11y(page, 'console-admin-lists-root', soft);
			await screenshot(page, 'console-admin-lists-root-desktop');
		});
		assert.deepEqual(soft, [], 'accessibility');
		assertNoProblems(page, 'platform admin');
	} finally {
		await closePage(page);
	}
	const phone = await newPage(browser, server, { phone: true });
	try {
		await signIn(phone, root);
		await open(phone, '/console/sms-templates');
		await assertNoSideScroll(phone, 'console-admin-sms phone');
		await a11y(phone, 'console-admin-sms-phone');
		await screenshot(phone, 'console-admin-sms-phone');
	} finally {
		await closePage(phone);
	}
});
