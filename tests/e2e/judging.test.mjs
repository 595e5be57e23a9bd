// Judging and awards in Chromium, each person in their own browser: a
// sub-contest admin sets the 初赛 scoring window (评分标准) and assigns
// both judges to both projects (评审分配, 自动分配); each judge signs in on
// the login page, scores and submits both projects (我的评审任务 → 评分表);
// the admin reads the ranking (评审排名), generates the awards from it,
// adds a special award, locks and publishes (奖项管理); the applicant sees
// the award in 我的赛事 and 查看; the public 获奖名单 lists it (before
// publication it says 评审结果尚未公布); 数据统计 shows the scoring
// progress. The set-up (accounts, approved applications in 初赛, judge
// profiles) goes through the API and the test hooks. Every page passes axe.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startWebServer, launchBrowser, newPage, closePage, signIn, checkA11y, screenshot, assertNoSideScroll,
	assertNoProblems, settle, nextCaptcha, loginByPassword, waitRoute, shotOnFailure,
} from './lib.mjs';
import { newApplicant, newStaff, uscc, STAFF_PASSWORD, APPS } from '../api/app-fixtures.mjs';
import { approvedApp, setStage } from '../api/console-fixtures.mjs';

const GD = 'guangdong-2026';
const ADMIN = `/api/v1/admin/competitions/${GD}`;
const T = { timeout: 420000 };

// The default rubric (docs/API.md): five criteria, 0–10 each.
const KEYS = ['data_value', 'tech_innovation', 'governance', 'effect', 'business'];
const A = '城市交通数据融合调度平台';
const B = '农产品冷链数据服务平台';
// Every criterion gets the same score, so a judge's total is score × 10.
// A: 90 and 80 → 85.00; B: 70 and 85 → 77.50. A ranks first, and is the
// track's top 20 % (ceil(0.2 × 2) = 1).
const SCORES = {
	j1: { [A]: 9, [B]: 7 },
	j2: { [A]: 8, [B]: 8.5 },
};

let server;
let browser;
let admin;
let alice;
const judges = {};
const rec = {};
let a11y = [];
const axe = (p, name) => checkA11y(p, name, { soft: a11y });

// "2026-06-13 09:00:00" in Beijing time, as the date pickers take it.
const wall = (ms) => new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 19).replace('T', ' ');

const apiDone = (page, method, re) => page.waitForResponse((r) => r.request().method() === method && re.test(new URL(r.url()).pathname));

async function expectOk(res, what) {
	const r = await res;
	assert.ok(r.status() >= 200 && r.status() < 300, `${what}: HTTP ${r.status()} ${await r.text()}`);
	return r.json().catch(() => null);
}

// ElMessageBox confirmations by their title.
async function confirmBox(page, title, button) {
	const box = page.getByRole('dialog', { name: title });
	await box.waitFor();
	await box.getByRole('button', { name: button, exact: true }).click();
	await box.waitFor({ state: 'hidden' });
}

// shotOnFailure with the step's time in the TAP output (a slow step shows).
async function step(page, name, fn) {
	const t0 = Date.now();
	try {
		return await shotOnFailure(page, name, fn);
	} finally {
		console.log(`# ${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	}
}

async function openAdmin(page, path) {
	await page.goto(path);
	await page.locator('.adm-page').waitFor();
	await settle(page);
}

before(async () => {
	server = await startWebServer();
	browser = await launchBrowser();
	admin = await newStaff(server, [`competition_admin:${GD}`], 'adm');
	judges.j1 = await newStaff(server, [`judge:${GD}`], 'jdga');
	judges.j2 = await newStaff(server, [`judge:${GD}`], 'jdgb');
	alice = await newApplicant(server);
	// Two approved projects in 初赛 (the admin reviews too).
	for (const [key, name, team] of [['a', A, '交通数据团队'], ['b', B, '冷链数据团队']]) {
		const r = await approvedApp(alice, admin, { project: { name }, team: { name: team } });
		await setStage(admin, r.id, 'preliminary');
		rec[key] = r;
	}
	// Judge profiles: their own units, neither of them an applicant's.
	const list = await admin.get(`${ADMIN}/judges`);
	assert.equal(list.status, 200, `judges: ${list.text}`);
	const profiles = { j1: ['王立新', '华南数据研究院', 'JDGE00001'], j2: ['李海燕', '岭南信息技术研究中心', 'JDGE00002'] };
	for (const [k, [name, unit, body]] of Object.entries(profiles)) {
		const row = list.json.items.find((j) => j.account === judges[k].account);
		assert.ok(row, `${judges[k].account} is listed as a judge`);
		judges[k].userId = row.user_id;
		judges[k].name = name;
		const put = await admin.req('PUT', `${ADMIN}/judges/${row.user_id}`, {
			body: { name, unit_name: unit, unit_uscc: uscc(body), tracks: [], conflicts: [] },
		});
		assert.equal(put.status, 200, `judge profile ${name}: ${put.text}`);
	}
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

test('scoring window → assignment → two judges score → ranking → awards → publish → the applicant and the public see the award', T, async () => {
	const adm = await newPage(browser, server);
	const pub = await newPage(browser, server, { phone: true });
	try {
		await signIn(adm, admin);

		// ---- Before publication the public page says so, in words.
		await step(pub, 'judging-unpublished', async () => {
			await pub.goto(`/results/${GD}`);
			await pub.getByRole('heading', { name: '评审结果尚未公布' }).waitFor();
			await settle(pub);
			await axe(pub, 'results-unpublished');
			await screenshot(pub, 'judging-results-unpublished-phone', { fullPage: false });
		});

		// ---- 评分标准: the 初赛 window opens an hour ago, closes in three days.
		await step(adm, 'judging-rubric', async () => {
			await openAdmin(adm, `/console/${GD}/rubrics`);
			await adm.getByRole('heading', { name: '评分标准' }).waitFor();
			await adm.getByText('权重合计').waitFor();
			const opens = adm.getByLabel('评分开始时间', { exact: true });
			await opens.fill(wall(Date.now() - 3600 * 1000));
			await opens.press('Enter');
			const closes = adm.getByLabel('评分截止时间', { exact: true });
			await closes.fill(wall(Date.now() + 3 * 86400 * 1000));
			await closes.press('Enter');
			const saved = apiDone(adm, 'PUT', /\/rubrics\/preliminary$/);
			await adm.getByRole('button', { name: '保存', exact: true }).click();
			const r = await expectOk(saved, 'save the rubric');
			assert.ok(r.scoring_opens && r.scoring_closes, 'the window is set');
			assert.equal(r.locked, false);
			await axe(adm, 'judging-rubric');
			await screenshot(adm, 'judging-rubric-desktop');
		});

		// ---- 评审分配: two judges per project, automatically.
		await step(adm, 'judging-assign', async () => {
			await openAdmin(adm, `/console/${GD}/assignments`);
			await adm.getByRole('heading', { name: '评审分配' }).waitFor();
			const n = adm.getByLabel('每个项目评审专家数', { exact: true });
			await n.fill('2');
			await n.press('Tab');
			const done = apiDone(adm, 'POST', /\/judging\/preliminary\/assign$/);
			await adm.getByRole('button', { name: '自动分配' }).click();
			await confirmBox(adm, '自动分配', '开始分配');
			const r = await expectOk(done, 'assign');
			assert.equal(r.created, 4, JSON.stringify(r));
			assert.deepEqual(r.short, []);
			await adm.getByText('自动分配完成：新增 4 个分配。').waitFor();
			await settle(adm);
			for (const name of [A, B]) {
				const judgesOf = adm.getByRole('list', { name: `${name}的评审专家` });
				await judgesOf.getByText(judges.j1.name).waitFor();
				await judgesOf.getByText(judges.j2.name).waitFor();
			}
			await axe(adm, 'judging-assignments');
			await screenshot(adm, 'judging-assignments-desktop');
		});

		// ---- Each judge signs in, opens 我的评审任务 and scores both projects.
		for (const k of ['j1', 'j2']) {
			const jp = await newPage(browser, server);
			try {
				await step(jp, `judging-score-${k}`, async () => {
					const captcha = nextCaptcha(jp);
					await jp.goto('/login');
					await loginByPassword(jp, server, judges[k].account, STAFF_PASSWORD, captcha);
					await waitRoute(jp, /\/user\/applications|\/console/);
					await jp.goto('/console/judging');
					await jp.getByRole('heading', { name: '我的评审任务' }).waitFor();
					await settle(jp);
					await jp.getByText('已提交 0 / 2 个项目').waitFor();
					if (k === 'j1') {
						await axe(jp, 'judging-list');
						await screenshot(jp, 'judging-list-desktop');
					}
					for (const name of [A, B]) {
						await jp.getByRole('button', { name: `评分：${name}` }).click();
						await waitRoute(jp, /\/console\/judging\/\d+$/);
						await jp.getByRole('heading', { name, level: 1 }).waitFor();
						await jp.getByRole('heading', { name: '评分表' }).waitFor();
						await settle(jp);
						const score = String(SCORES[k][name]);
						for (const key of KEYS) {
							const input = jp.locator(`input#ss-${key}, #ss-${key} input`).first();
							await input.fill(score);
							await input.press('Tab');
						}
						await jp.getByLabel('评语', { exact: true }).fill(`${name}：数据基础扎实，应用成效清楚；建议补充推广计划。`);
						assert.match(await jp.locator('.ss-total-value').innerText(), new RegExp(`^${SCORES[k][name] * 10}(\\.0+)?$`));
						if (k === 'j1' && name === A) {
							await axe(jp, 'judging-project');
							await screenshot(jp, 'judging-project-desktop');
						}
						const submitted = apiDone(jp, 'POST', /\/judge\/assignments\/\d+\/submit$/);
						await jp.getByRole('button', { name: '提交评分' }).click();
						await confirmBox(jp, '提交评分', '确定提交');
						const s = await expectOk(submitted, `${k} submits ${name}`);
						assert.equal(s.total, SCORES[k][name] * 10);
						await jp.getByText(/评分已于 .* 提交，不能再修改。/).waitFor();
						await jp.goto('/console/judging');
						await jp.getByRole('heading', { name: '我的评审任务' }).waitFor();
						await settle(jp);
					}
					await jp.getByText('已提交 2 / 2 个项目').waitFor();
				});
				assertNoProblems(jp, k);
			} finally {
				await closePage(jp);
			}
		}

		// A judge reads only their own sheets: the other judge's are not theirs.
		const mine = (await judges.j1.get('/api/v1/judge/assignments')).json.items;
		assert.deepEqual(mine.map((x) => x.total).sort(), [70, 90]);

		// ---- 评审排名: A 85.00 (first), B 77.50.
		await step(adm, 'judging-ranking', async () => {
			await openAdmin(adm, `/console/${GD}/ranking`);
			await adm.getByRole('heading', { name: '评审排名' }).waitFor();
			const rows = adm.locator('.rk-table .el-table__body tbody tr').filter({ hasText: /城市交通|农产品冷链/ });
			await rows.first().waitFor();
			const texts = await rows.allInnerTexts();
			assert.equal(texts.length, 2, texts.join('\n---\n'));
			assert.match(texts[0], new RegExp(`^\\s*1\\s[\\s\\S]*${A}[\\s\\S]*85(\\.00)?`));
			assert.match(texts[0], /前 20%/);
			assert.match(texts[1], new RegExp(`^\\s*2\\s[\\s\\S]*${B}[\\s\\S]*77\\.5`));
			await axe(adm, 'judging-ranking');
			await screenshot(adm, 'judging-ranking-desktop');
		});

		// ---- 奖项管理: generate from the ranking, a special award for A, lock, publish.
		await step(adm, 'judging-awards', async () => {
			await openAdmin(adm, `/console/${GD}/awards`);
			await adm.getByRole('heading', { name: '奖项管理' }).waitFor();
			await adm.locator('.el-select').filter({ has: adm.getByLabel('依据排名', { exact: true }) }).click();
			await adm.getByRole('option', { name: '初赛' }).click();
			const proposed = apiDone(adm, 'POST', /\/awards\/propose$/);
			await adm.getByRole('button', { name: '按排名生成' }).click();
			await confirmBox(adm, '按排名生成', '生成');
			const p = await expectOk(proposed, 'propose');
			const items = p.tracks.flatMap((t) => t.items);
			assert.equal(items.find((x) => x.application_id === rec.a.id)?.level, 'first');
			assert.equal(items.find((x) => x.application_id === rec.b.id)?.level, 'second');
			await settle(adm);

			const special = adm.getByLabel(`${A}特色奖项`, { exact: true });
			await adm.locator('.el-select').filter({ has: special }).click();
			const put = apiDone(adm, 'PUT', new RegExp(`/awards/${rec.a.id}$`));
			await adm.getByRole('option', { name: '最具价值奖' }).click();
			await expectOk(put, 'special award');
			await adm.keyboard.press('Escape');
			await settle(adm);
			await axe(adm, 'judging-awards-open');
			await screenshot(adm, 'judging-awards-desktop');

			const locked = apiDone(adm, 'POST', /\/awards\/lock$/);
			await adm.getByRole('button', { name: '锁定', exact: true }).click();
			await confirmBox(adm, '锁定获奖名单', '锁定');
			assert.equal((await expectOk(locked, 'lock')).state, 'locked');
			const published = apiDone(adm, 'POST', /\/awards\/publish$/);
			await adm.getByRole('button', { name: '发布', exact: true }).click();
			await confirmBox(adm, '发布获奖名单', '确定发布');
			assert.equal((await expectOk(published, 'publish')).state, 'published');
			await adm.getByRole('status').getByText(/已于 .* 发布/).waitFor();
			await axe(adm, 'judging-awards-published');
			await screenshot(adm, 'judging-awards-published-desktop');
		});

		// ---- 数据统计: both projects, every sheet submitted.
		await step(adm, 'judging-statistics', async () => {
			await openAdmin(adm, `/console/${GD}/statistics`);
			await adm.getByRole('heading', { name: '数据统计' }).waitFor();
			await adm.locator('.st-grid canvas').first().waitFor();
			const cards = adm.getByRole('list', { name: '报名概况' });
			assert.match(await cards.innerText(), /报名总数\s*2\s/);
			assert.match(await cards.innerText(), /已通过\s*2/);
			await adm.getByText('共分配评审任务 4 份，已提交评分 4 份（100%）。').waitFor();
			await adm.getByRole('img', { name: /^每日报名与提交：/ }).waitFor();
			const section = adm.getByRole('region', { name: '评分进度' });
			await section.getByRole('button', { name: '查看数据表' }).click();
			const table = section.getByRole('table');
			assert.match(await table.innerText(), /初赛\s+2\s+4\s+4\s+100%/);
			await axe(adm, 'statistics');
			await screenshot(adm, 'judging-statistics-desktop');
		});
		assertNoProblems(adm, 'admin');
		// On a phone the charts fit the width, one under another.
		const admPhone = await newPage(browser, server, { phone: true });
		try {
			await step(admPhone, 'judging-statistics-phone', async () => {
				await signIn(admPhone, admin);
				await openAdmin(admPhone, `/console/${GD}/statistics`);
				await admPhone.locator('.st-grid canvas').first().waitFor();
				await assertNoSideScroll(admPhone, 'statistics');
				await axe(admPhone, 'statistics-phone');
				await screenshot(admPhone, 'judging-statistics-phone');
			});
			assertNoProblems(admPhone, 'admin on a phone');
		} finally {
			await closePage(admPhone);
		}

		// ---- The applicant: 获奖情况 in 我的赛事 and in 查看, and a message.
		const ap = await newPage(browser, server);
		try {
			await step(ap, 'judging-applicant', async () => {
				await signIn(ap, alice);
				await ap.goto('/user/applications');
				await ap.locator('.my-table').waitFor();
				await settle(ap);
				const row = (name) => ap.locator('.my-table .el-table__body tbody tr').filter({ hasText: name });
				await row(A).getByText('一等奖、最具价值奖').waitFor();
				await row(B).getByText('二等奖').waitFor();
				const heads = (await ap.locator('.my-table .el-table__header th .cell').allTextContents()).map((s) => s.trim());
				assert.ok(heads.includes('获奖情况'), heads.join(','));
				await axe(ap, 'my-applications-award');
				await screenshot(ap, 'judging-my-applications-desktop');
				await row(A).getByRole('button', { name: '查看' }).click();
				await waitRoute(ap, new RegExp(`/user/applications/${rec.a.id}$`));
				await ap.getByText('获奖情况：一等奖、最具价值奖').waitFor();
				await settle(ap);
				await axe(ap, 'application-view-award');
				await screenshot(ap, 'judging-application-view-desktop', { fullPage: false });
			});
			assertNoProblems(ap, 'applicant');
		} finally {
			await closePage(ap);
		}
		const msgs = (await alice.get('/api/v1/messages')).json.items;
		assert.ok(msgs.some((m) => m.title === '获奖通知' && m.body.includes(A)), JSON.stringify(msgs.map((m) => m.title)));
		const view = (await alice.get(`${APPS}/${rec.a.id}`)).json.award;
		assert.equal(view.level, 'first');

		// ---- The public: the competition page links to 获奖名单, which lists the winners.
		await step(pub, 'judging-results', async () => {
			await pub.goto(`/competitions/${GD}`);
			await pub.locator('.hero').waitFor();
			await pub.getByRole('link', { name: '查看获奖名单' }).first().waitFor();
			await settle(pub);
			await axe(pub, 'competition-results-link');
			await pub.getByRole('link', { name: '查看获奖名单' }).first().click();
			await waitRoute(pub, new RegExp(`/results/${GD}$`));
			await pub.getByRole('heading', { name: '获奖名单', level: 1 }).waitFor();
			await settle(pub);
			const track = pub.locator('.results-track').filter({ hasText: A });
			const first = track.locator('.results-group.is-first');
			assert.match(await first.innerText(), new RegExp(`一等奖[\\s\\S]*${A}[\\s\\S]*交通数据团队`));
			assert.match(await track.locator('.results-group.is-second').innerText(), new RegExp(B));
			const special = track.locator('.results-special').filter({ hasText: '最具价值奖' });
			assert.match(await special.innerText(), new RegExp(A));
			await axe(pub, 'results-published');
			await assertNoSideScroll(pub, 'results');
			await screenshot(pub, 'judging-results-phone');
		});
		assertNoProblems(pub, 'public');
	} finally {
		await closePage(adm);
		await closePage(pub);
	}
	assert.deepEqual(a11y, [], 'serious or critical accessibility violations');
	a11y = [];
});
