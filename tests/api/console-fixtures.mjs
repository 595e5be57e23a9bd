// console-fixtures.mjs: what the 5x console tests share — a server in
// test and 演示 mode with the people of the organisers' console (a
// reviewer and an admin of each sub-contest, a platform admin, judges),
// records brought to a state (submitted, approved, at a stage), short
// calls of the console API, and the development SMS outbox read back.
// Built-ins only.

import assert from 'node:assert/strict';
import { runSaiwu } from './lib.mjs';
import {
	startAppServer, newApplicant, newStaff, completeDoc, submitted,
} from './app-fixtures.mjs';

export const GD = 'guangdong-2026';
export const FJ = 'fujian-2026';
export const REVIEW = '/api/v1/review';
export const ADMIN = '/api/v1/admin';

// A server and its cast. Staff are signed in one at a time (the server
// hashes one password at a time).
export async function startConsole(opts = {}) {
	const server = await startAppServer(opts);
	const cast = { server };
	cast.alice = await newApplicant(server);
	cast.bob = await newApplicant(server);
	cast.rev = await newStaff(server, [`reviewer:${GD}`], 'rev');
	cast.revFj = await newStaff(server, [`reviewer:${FJ}`], 'revfj');
	cast.admin = await newStaff(server, [`competition_admin:${GD}`], 'adm');
	cast.adminFj = await newStaff(server, [`competition_admin:${FJ}`], 'admfj');
	cast.root = await newStaff(server, ['platform_admin'], 'root');
	cast.judge = await newStaff(server, [`judge:${GD}`], 'judge');
	return cast;
}

// The permission matrix of the issue: who may not, besides the staff.
// Stops the server and asserts it exited cleanly (under the sanitizer
// build a leak or an error report makes the exit status non-zero).
export async function stopClean(server) {
	if (!server)
		return;
	const r = await server.stop();
	assert.deepEqual({ code: r.code, signal: r.signal }, { code: 0, signal: null },
		`the server stopped uncleanly:\n${server.stderr().slice(-3000)}`);
}

export function outsiders(cast) {
	return [
		['a reviewer of another sub-contest', cast.revFj],
		['an applicant', cast.alice],
		['a judge of this sub-contest', cast.judge],
	];
}

export const queue = (c, slug = GD, qs = '') =>
	c.get(`${REVIEW}/competitions/${slug}/applications${qs ? `?${qs}` : ''}`);

export const decide = (c, id, what, body = {}) =>
	c.post(`${REVIEW}/applications/${id}/${what}`, body);

export const batch = (c, body, slug = GD) =>
	c.post(`${REVIEW}/competitions/${slug}/batch`, body);

export async function approve(c, id) {
	const res = await decide(c, id, 'approve');
	assert.equal(res.status, 200, `approve ${id}: ${res.text}`);
	return res.json;
}

export async function setStage(c, id, stage) {
	const res = await decide(c, id, 'stage', { stage });
	assert.equal(res.status, 200, `stage ${id} → ${stage}: ${res.text}`);
	return res.json;
}

// A submitted record of the applicant; overrides go into its document.
export function submittedApp(c, overrides = {}, competition = GD) {
	return submitted(c, completeDoc(overrides), competition);
}

// A submitted and approved record.
export async function approvedApp(c, reviewer, overrides = {}, competition = GD) {
	const s = await submittedApp(c, overrides, competition);
	await approve(reviewer, s.id);
	return s;
}

// The development outbox (`saiwu sms outbox`), newest first, as
// {when, phone, purpose, text}.
export function outbox(server, limit = 200) {
	const r = runSaiwu(['sms', 'outbox', '--limit', String(limit), ...server.store.storeArgs()]);
	assert.equal(r.status, 0, r.stderr);
	if (/the outbox is empty/.test(r.stdout))
		return [];
	return r.stdout.trim().split('\n').map((line) => {
		const m = /^(\S+ \S+) {2}(\S+) {2}(\S+) +(.*)$/.exec(line);
		assert.ok(m, `outbox line: ${line}`);
		return { when: m[1], phone: m[2], purpose: m[3], text: m[4] };
	});
}

export const masked = (phone) => `${phone.slice(0, 3)}****${phone.slice(7)}`;

// Waits (up to 10 s) for the notice sender to put a message for the
// phone into the outbox whose text matches re; returns it.
export async function waitForNotice(server, phone, re) {
	const deadline = Date.now() + 10000;
	for (;;) {
		const hit = outbox(server).find((m) => m.purpose === 'notice' && m.phone === masked(phone) && re.test(m.text));
		if (hit)
			return hit;
		if (Date.now() > deadline)
			assert.fail(`no SMS notice to ${masked(phone)} matching ${re}; outbox: ${JSON.stringify(outbox(server).slice(0, 5))}`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

// The newest in-app message of a user.
export async function latestMessage(c) {
	const res = await c.get('/api/v1/messages?per_page=1');
	assert.equal(res.status, 200, res.text);
	return res.json.items[0];
}
