// The public pages: home, each sub-contest's page with its sections, the
// topics that open, an unknown sub-contest; desktop and phone, axe.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startWebServer, launchBrowser, newPage, closePage, checkA11y, screenshot, assertNoSideScroll, assertNoProblems,
	settle,
	waitRoute,
} from './lib.mjs';

let server;
let browser;
let catalog;
const T = { timeout: 120000 };

before(async () => {
	server = await startWebServer();
	browser = await launchBrowser();
	catalog = await (await fetch(`${server.url}/api/v1/competitions`)).json();
	assert.ok(catalog.items.length >= 2, 'the catalog has the sub-contests');
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

for (const phone of [false, true]) {
	const kind = phone ? 'phone' : 'desktop';

	test(`home (${kind}): every sub-contest with its link, 立即报名, 登录`, T, async () => {
		const page = await newPage(browser, server, { phone });
		try {
			await page.goto('/');
			await page.getByRole('heading', { level: 1 }).first().waitFor();
			await settle(page);
			for (const c of catalog.items)
				await page.getByRole('heading', { name: c.name }).waitFor();
			if (!phone) {
				await page.getByRole('link', { name: '登录', exact: true }).waitFor();
				assert.ok(await page.getByRole('link', { name: '立即报名' }).count() >= 1);
			}
			await checkA11y(page, `home-${kind}`);
			if (phone)
				await assertNoSideScroll(page, 'home');
			await screenshot(page, `home-${kind}`, { fullPage: !phone });
			assertNoProblems(page, 'home');
		} finally {
			await closePage(page);
		}
	});

	test(`competition page (${kind}): the sections of the spec, tracks and topics`, T, async () => {
		const comp = await (await fetch(`${server.url}/api/v1/competitions/guangdong-2026`)).json();
		const page = await newPage(browser, server, { phone });
		try {
			await page.goto('/');
			await settle(page);
			// From the home page, the sub-contest's own page.
			const card = page.locator('article').filter({ has: page.getByRole('heading', { name: comp.name }) });
			await card.getByRole('link', { name: '查看详情' }).or(card.getByRole('button', { name: '查看详情' })).first().click();
			await waitRoute(page, /\/competitions\/guangdong-2026$/);
			await page.getByRole('heading', { name: comp.name, level: 1 }).waitFor();
			await settle(page);
			for (const h of ['赛事背景', '赛道信息', '赛程安排', '参赛条件', '赛事权益', '赛事组织', '联系方式'])
				await page.getByRole('heading', { name: h, level: 2 }).waitFor();
			for (const t of comp.tracks)
				await page.getByRole('heading', { name: t.heading }).waitFor();
			assert.equal(await page.getByText(comp.tracks[0].topics[0].description).isVisible(), false, 'topics start closed');

			const topic = comp.tracks[0].topics[0];
			await page.getByRole('button', { name: new RegExp(topic.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).first().click();
			await page.getByText(topic.description).waitFor({ state: 'visible' });

			await checkA11y(page, `competition-${kind}`);
			if (phone)
				await assertNoSideScroll(page, 'competition page');
			await screenshot(page, `competition-${kind}`, { fullPage: !phone });
			assertNoProblems(page, 'competition page');
		} finally {
			await closePage(page);
		}
	});
}

test('fujian: what is not published yet says 待公布', T, async () => {
	const page = await newPage(browser, server);
	try {
		await page.goto('/competitions/fujian-2026');
		await page.getByRole('heading', { name: '2026年“数据要素×”大赛福建分赛', level: 1 }).waitFor();
		await settle(page);
		assert.ok(await page.getByText('待公布').count() >= 1);
		await checkA11y(page, 'competition-fujian');
	} finally {
		await closePage(page);
	}
});

test('an unknown sub-contest and an unknown page', T, async () => {
	const page = await newPage(browser, server);
	try {
		await page.goto('/competitions/no-such-contest');
		await page.getByText('赛事不存在').first().waitFor();
		await page.goto('/no/such/page');
		await page.getByRole('heading', { level: 1, name: '页面不存在' }).waitFor();
		await checkA11y(page, 'not-found');
		await page.getByRole('link', { name: '返回首页' }).click();
		await waitRoute(page, (u) => new URL(u).pathname === '/');
	} finally {
		await closePage(page);
	}
});
