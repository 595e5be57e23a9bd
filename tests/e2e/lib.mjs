// lib.mjs: helpers of the end-to-end tests: the real front end (web/dist)
// served by build/saiwu in test mode, driven in Debian's chromium through
// playwright-core, as a person would use it.
//
//   const server = await startWebServer();     saiwu + web/dist, fresh store
//   const browser = await launchBrowser();
//   const page = await newPage(browser, server, { phone: true });
//   await registerViaUI(page, server, user)    注册 through the page
//   await signIn(page, client)                 reuse an API client's session
//   await checkA11y(page, 'name')              axe-core: no serious/critical
//   await screenshot(page, 'name')             tests/out/screenshots/name.png
//
// The server side (accounts, documents, reviewers) comes from the API
// tests' helpers (../api/lib.mjs, auth-lib.mjs, app-fixtures.mjs).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { REPO, startServer } from '../api/lib.mjs';
import { APP_ARGS } from '../api/app-fixtures.mjs';
import { Client, GOOD_PASSWORD, advanceClock } from '../api/auth-lib.mjs';

export { REPO };
// SAIWU_WEB_DIR tests another build of the front end (vite --outDir).
export const WEB_DIR = process.env.SAIWU_WEB_DIR || path.join(REPO, 'web', 'dist');
export const SHOTS = path.join(REPO, 'tests', 'out', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 375, height: 812 };
export const PASSWORD = GOOD_PASSWORD;

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
let axeSource = null;

// A missing front end or browser fails the run loudly; nothing is skipped.
if (!fs.existsSync(path.join(WEB_DIR, 'index.html')))
	throw new Error(`the front end is not built (${WEB_DIR}/index.html is missing): run "make web"`);
if (!fs.existsSync(CHROMIUM))
	throw new Error(`chromium not found at ${CHROMIUM}: run scripts/install-deps.sh (Debian package chromium)`);

// saiwu serving web/dist, with the test hooks, 演示 windows (registration
// open around today) and room for many sign-ups from one address.
export function startWebServer(opts = {}) {
	return startServer({ ...opts, webDir: WEB_DIR, args: [...APP_ARGS, ...(opts.args || [])] });
}

export function launchBrowser() {
	return chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
			'--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
	});
}

// A page in a fresh context (its own cookies): desktop 1440×900 or, with
// phone, 375×812 as a phone renders it. page.problems collects what the
// page itself reports: uncaught errors, console errors, CSP violations.
export async function newPage(browser, server, { phone = false, timezoneId = 'Asia/Shanghai' } = {}) {
	const context = await browser.newContext({
		baseURL: server.url,
		locale: 'zh-CN',
		timezoneId,
		viewport: phone ? PHONE : DESKTOP,
		...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
	});
	context.setDefaultTimeout(10000);
	context.setDefaultNavigationTimeout(15000);
	const page = await context.newPage();
	page.problems = [];
	page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
	page.on('console', (m) => {
		if (m.type() !== 'error')
			return;
		const text = m.text();
		// A failed request logs a console error; the API's refusals are
		// expected in these tests (a wrong captcha, a 422), and the page
		// shows them itself.
		if (/Failed to load resource: the server responded with a status of (4\d\d)/.test(text))
			return;
		page.problems.push(`console: ${text}`);
	});
	return page;
}

export async function closePage(page) {
	await page.context().close();
}

// What the page reported that it should not have (see newPage).
export function assertNoProblems(page, what = '') {
	assert.deepEqual(page.problems, [], `${what}: the page reported errors`);
}

// ---- the test hooks -----------------------------------------------------

// Settles when the next GET /api/v1/captcha the page makes has been
// answered. Call it before the action that loads the captcha; pass it to
// shownCaptcha(), which reads the id from the form. The load can belong to
// the page being left (a goto while its captcha is on the way), whose body
// is gone by then: so the body is not read here. The promise is marked
// handled, because some loads are never waited for (the refresh after an
// SMS code is sent, just before the page moves on); whoever awaits it
// still gets the failure.
export function nextCaptcha(page) {
	const loaded = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/captcha' && r.request().method() === 'GET')
		.then((r) => assert.equal(r.status(), 200, 'GET /api/v1/captcha'));
	loaded.catch(() => {});
	return loaded;
}

export async function captchaAnswer(server, id) {
	const r = await fetch(`${server.url}/api/v1/test/captchas/${encodeURIComponent(id)}`);
	assert.equal(r.status, 200, `captcha answer ${id}`);
	return (await r.json()).answer;
}

export async function smsCodeFor(server, phone) {
	const r = await fetch(`${server.url}/api/v1/test/sms/${encodeURIComponent(phone)}`);
	assert.equal(r.status, 200, `sms code of ${phone}`);
	return (await r.json()).code;
}

// A form item's input by its label.
export function field(scope, label) {
	return scope.getByLabel(label, { exact: true });
}

// The id of the captcha the form in scope shows and will send, once the
// load that captcha (a nextCaptcha() promise) stands for has arrived. Two
// loads can overlap (a refresh while the first is on its way); the page
// keeps the newer answer, so the id is read from the page, not the network.
export async function shownCaptcha(scope, captcha) {
	await captcha;
	const box = scope.locator('.captcha-input[aria-busy="false"][data-captcha-id]:visible').first();
	await box.waitFor();
	return box.getAttribute('data-captcha-id');
}

// Fills 图形验证码/验证码 with the answer of the captcha loading now.
async function solveCaptchaOn(page, server, scope, label, captchaId) {
	const answer = await captchaAnswer(server, await shownCaptcha(scope, captchaId));
	await field(scope, label).fill(answer);
}

// Sends the SMS code (captcha first) and fills it in. The page loads a new
// captcha after each send, so the caller gets that promise back.
async function fillSmsCode(page, server, scope, phone, captchaLabel, captchaId) {
	await solveCaptchaOn(page, server, scope, captchaLabel, captchaId);
	const after = nextCaptcha(page);
	const sent = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/sms-codes');
	await scope.getByRole('button', { name: '发送验证码' }).click();
	const res = await sent;
	assert.equal(res.status(), 201, `sms-codes: ${await res.text()}`);
	await field(scope, '短信验证码').fill(await smsCodeFor(server, phone));
	return after;
}

// Moves the server clock on (past the 60 s between two SMS codes for one
// number, for example).
export function moveClock(server, seconds) {
	return advanceClock(new Client(server), seconds);
}

// ---- accounts -------------------------------------------------------------

let userNo = 0;
const SALT = (process.pid * 31 + Date.now()) % 100000;

// An account name and phone number no other call of this process uses.
export function newUser(base = 'e2e') {
	const n = userNo++;
	return {
		account: `${base}_${SALT.toString(36)}${n}`.slice(0, 20),
		phone: `17${SALT % 10}${String((SALT * 7 + n * 7919) % 100000000).padStart(8, '0')}`,
		password: PASSWORD,
	};
}

// 注册 through the page: the form, the captcha and the SMS code from the
// test hooks, the agreement. Opens /register, unless the caller has just
// led the page there and passes the nextCaptcha() it started before that.
export async function registerViaUI(page, server, user, { captcha } = {}) {
	if (!captcha) {
		captcha = nextCaptcha(page);
		await page.goto('/register');
	}
	const form = page.locator('form');
	await field(form, '账号').fill(user.account);
	await field(form, '手机号').fill(user.phone);
	await field(form, '密码').fill(user.password);
	await field(form, '确认密码').fill(user.password);
	await fillSmsCode(page, server, form, user.phone, '图形验证码', captcha);
	// Element Plus hides the real checkbox under its own box: click the label.
	const agree = page.getByRole('checkbox', { name: /同意/ });
	await page.locator('label.el-checkbox').filter({ has: agree }).click();
	assert.equal(await agree.isChecked(), true, 'the agreement is ticked');
	const reg = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/register');
	await form.getByRole('button', { name: '注册', exact: true }).click();
	const res = await reg;
	assert.equal(res.status(), 201, `register: ${await res.text()}`);
}

// 密码登录 through the page (on /login, already opened by the caller).
export async function loginByPassword(page, server, login, password, captcha) {
	const form = page.locator('form');
	await field(form, '账号').fill(login);
	await field(form, '密码').fill(password);
	await solveCaptchaOn(page, server, form, '验证码', captcha);
	const done = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/login');
	await form.getByRole('button', { name: '登录', exact: true }).click();
	const res = await done;
	assert.equal(res.status(), 200, `login: ${await res.text()}`);
}

// 短信登录 through the page (on /login, already opened by the caller; both
// tabs share the captcha the page loaded: captcha is nextCaptcha() from
// before it opened).
export async function loginBySms(page, server, phone, captcha) {
	await page.getByRole('tab', { name: '短信登录' }).click();
	const form = page.locator('form');
	await field(form, '手机号').fill(phone);
	await fillSmsCode(page, server, form, phone, '验证码', captcha);
	const done = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/login');
	await form.getByRole('button', { name: '登录', exact: true }).click();
	const res = await done;
	assert.ok(res.status() === 200 || res.status() === 201, `sms login: ${await res.text()}`);
}

// Gives the page's context the session of an API client (a user made
// through the API), as if they had signed in in this browser.
export async function signIn(page, client) {
	const cookies = [...client.jar].map(([name, value]) => ({ name, value, url: client.server.url }));
	await page.context().addCookies(cookies);
}

// The reverse: an API client holding the browser's session (to make
// records for the user the page registered).
export async function clientOf(page, server) {
	const c = new Client(server);
	for (const k of await page.context().cookies(server.url))
		c.jar.set(k.name, k.value);
	const s = await c.session();
	assert.equal(s.authenticated, true, 'the browser is signed in');
	return c;
}

// ---- checks -----------------------------------------------------------------

// axe-core on the page as it is now; fails on serious or critical
// violations and prints each with its elements. With soft (an array) the
// failures are pushed there instead, so that a long flow goes on and
// reports them all at its end. The site's CSP forbids inline scripts
// (page.addScriptTag), so axe is evaluated through the debugging protocol,
// which the CSP does not govern.
export async function checkA11y(page, name, { exclude = [], soft = null } = {}) {
	// The pointer left where the last click was would show hover colours.
	await page.mouse.move(0, 0);
	await animationsDone(page);
	if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
		axeSource ??= fs.readFileSync(AXE, 'utf8');
		await page.evaluate(axeSource);
	}
	const result = await page.evaluate(async (ex) => {
		const ctx = ex.length ? { exclude: ex.map((s) => [s]) } : document;
		const r = await window.axe.run(ctx, { resultTypes: ['violations'] });
		return r.violations.map((v) => ({
			id: v.id,
			impact: v.impact,
			help: v.help,
			nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary.split('\n').slice(1, 3).join(' ')}`),
		}));
	}, exclude);
	const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	if (result.length)
		for (const v of result)
			console.log(`# axe ${name}: ${v.impact} ${v.id}: ${v.help}\n#   ${v.nodes.join('\n#   ')}`);
	const msgs = bad.map((v) => `${name}: ${v.id} (${v.impact}): ${v.help}`);
	if (soft)
		soft.push(...msgs);
	else
		assert.deepEqual(msgs, [], `${name}: serious or critical accessibility violations`);
	return result;
}

// Nothing wider than the window (a phone must not scroll sideways).
export async function assertNoSideScroll(page, name) {
	const { sw, vw, culprits } = await page.evaluate(() => {
		const w = document.documentElement.clientWidth;
		const wide = [];
		for (const el of document.querySelectorAll('body *')) {
			const r = el.getBoundingClientRect();
			if (r.right > w + 1 && r.width > 0 && getComputedStyle(el).position !== 'fixed') {
				wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} right=${Math.round(r.right)}`);
				if (wide.length >= 5)
					break;
			}
		}
		return { sw: document.documentElement.scrollWidth, vw: window.innerWidth, culprits: wide };
	});
	assert.ok(sw <= vw, `${name}: the page is ${sw}px wide in a ${vw}px window: ${culprits.join(', ')}`);
}

export async function screenshot(page, name, { fullPage = true } = {}) {
	fs.mkdirSync(SHOTS, { recursive: true });
	const file = path.join(SHOTS, `${name}.png`);
	await page.screenshot({ path: file, fullPage });
	return file;
}

// Waits for running CSS transitions and animations (not endless ones such
// as spinners): colours checked halfway through a fade are wrong.
export async function animationsDone(page) {
	await page.evaluate(() => Promise.race([
		Promise.all(document.getAnimations()
			.filter((a) => a.effect?.getTiming().iterations !== Infinity)
			.map((a) => a.finished.catch(() => {}))),
		new Promise((r) => setTimeout(r, 3000)),
	]));
}

// Waits until Element Plus's loading masks and the page's own requests
// are done.
export async function settle(page) {
	await page.waitForLoadState('networkidle');
	await page.locator('.el-loading-mask').first().waitFor({ state: 'detached', timeout: 10000 }).catch(() => {});
}

// Runs fn; when it fails, saves what the page showed at that moment as
// tests/out/screenshots/FAILED-<name>.png before passing the error on.
export async function shotOnFailure(page, name, fn) {
	try {
		return await fn();
	} catch (e) {
		await screenshot(page, `FAILED-${name}`, { fullPage: false }).catch((e2) => console.log(`# no screenshot of the failure: ${e2.message}`));
		throw e;
	}
}

// Waits for the router to show a path (a same-document navigation: there
// is no load event to wait for).
export function waitRoute(page, matcher, opts = {}) {
	return page.waitForURL(matcher, { waitUntil: 'commit', ...opts });
}
