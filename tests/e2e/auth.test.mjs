// 注册, 退出登录, 密码登录, 短信登录 through the pages, with the captcha and
// SMS answers from the test hooks; 立即报名 signed out goes through 登录
// (or 注册) and continues to the application.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startWebServer, launchBrowser, newPage, closePage, checkA11y, screenshot, assertNoSideScroll, assertNoProblems,
	settle, newUser, registerViaUI, moveClock, loginByPassword, loginBySms, nextCaptcha, field, captchaAnswer, shownCaptcha,
	waitRoute,
} from './lib.mjs';

let server;
let browser;
let page;
const user = newUser('reg');
const T = { timeout: 120000 };

before(async () => {
	server = await startWebServer();
	browser = await launchBrowser();
	// One browser session through the first tests, as one person.
	page = await newPage(browser, server);
});

after(async () => {
	if (page)
		await closePage(page);
	await browser?.close();
	await server?.stop();
});

// What the server thinks of this browser's session.
async function session(p = page) {
	return p.evaluate(async () => (await fetch('/api/v1/session')).json());
}

async function logout(p = page) {
	await p.getByRole('button', { name: /打开账号菜单/ }).click();
	await p.getByRole('menuitem', { name: '退出登录' }).click();
	await waitRoute(p, (u) => new URL(u).pathname === '/');
	assert.equal((await session(p)).authenticated, false);
}

test('注册 through the page signs the new user in and opens 我的赛事', T, async () => {
	await registerViaUI(page, server, user);
	await waitRoute(page, /\/user\/applications/);
	await page.getByRole('heading', { name: '我的赛事' }).waitFor();
	const s = await session();
	assert.equal(s.authenticated, true);
	assert.equal(s.user.account, user.account);
	await page.getByRole('button', { name: new RegExp(`账号 ${user.account}`) }).waitFor();
	assertNoProblems(page, 'register');
});

test('退出登录 from the account menu, then the user centre asks to sign in', T, async () => {
	await logout();
	await page.goto('/user/applications');
	await waitRoute(page, /\/login\?redirect=/);
	assert.equal(new URL(page.url()).searchParams.get('redirect'), '/user/applications');
});

test('密码登录 with the account name, after a wrong password is refused', T, async () => {
	let captcha = nextCaptcha(page);
	await page.goto('/login');
	await page.getByRole('tab', { name: '密码登录' }).waitFor();
	await checkA11y(page, 'login');
	await screenshot(page, 'login-desktop');

	// A wrong password: the server's message on the page, nothing else.
	const form = page.locator('form');
	await field(form, '账号').fill(user.account);
	await field(form, '密码').fill('Wrong-pass-2026');
	await field(form, '验证码').fill(await captchaAnswer(server, await shownCaptcha(form, captcha)));
	captcha = nextCaptcha(page);
	await form.getByRole('button', { name: '登录', exact: true }).click();
	await page.getByText('账号或密码错误').first().waitFor();
	assert.equal((await session()).authenticated, false);

	await loginByPassword(page, server, user.account, user.password, captcha);
	await waitRoute(page, /\/user\/applications/);
	assert.equal((await session()).user.account, user.account);
	await logout();
});

test('短信登录 with the phone number', T, async () => {
	// The sign-up sent this number a code less than 60 s ago.
	await moveClock(server, 61);
	const captcha = nextCaptcha(page);
	await page.goto('/login');
	await loginBySms(page, server, user.phone, captcha);
	await waitRoute(page, /\/user\/applications/);
	assert.equal((await session()).user.account, user.account);
	await logout();
});

test('立即报名 signed out: 登录, then on to the application', T, async () => {
	await page.goto('/competitions/guangdong-2026');
	await settle(page);
	const captcha = nextCaptcha(page);
	await page.locator('main').getByRole('button', { name: '立即报名' }).first().click();
	await waitRoute(page, /\/login\?redirect=/);
	const redirect = new URL(page.url()).searchParams.get('redirect');
	assert.match(redirect, /^\/user\/apply/);
	await page.getByText('登录后将继续进入报名流程').waitFor();
	await loginByPassword(page, server, user.phone, user.password, captcha);
	await waitRoute(page, (u) => `${new URL(u).pathname}${new URL(u).search}` === redirect);
	await logout();
});

test('立即报名 without an account: 立即注册 keeps the way to the application', T, async () => {
	const p = await newPage(browser, server);
	try {
		await p.goto('/');
		await settle(p);
		const loginCaptcha = nextCaptcha(p);
		await p.locator('header').getByRole('link', { name: '立即报名' }).click();
		await waitRoute(p, /\/login\?redirect=/);
		await loginCaptcha;
		const redirect = new URL(p.url()).searchParams.get('redirect');
		const captcha = nextCaptcha(p);
		await p.getByRole('link', { name: '立即注册' }).click();
		await waitRoute(p, /\/register\?redirect=/);
		await checkA11y(p, 'register');
		await screenshot(p, 'register-desktop');
		await registerViaUI(p, server, newUser('go'), { captcha });
		await waitRoute(p, (u) => `${new URL(u).pathname}${new URL(u).search}` === redirect);
		assertNoProblems(p, 'register from 立即报名');
	} finally {
		await closePage(p);
	}
});

test('the sign-in pages on a phone', T, async () => {
	const p = await newPage(browser, server, { phone: true });
	try {
		for (const path of ['/login', '/register', '/password/reset']) {
			await p.goto(path);
			await p.locator('form').first().waitFor();
			await settle(p);
			await assertNoSideScroll(p, path);
			await checkA11y(p, `${path}-phone`);
		}
		await p.goto('/login');
		await settle(p);
		await screenshot(p, 'login-phone', { fullPage: false });
	} finally {
		await closePage(p);
	}
});
