// 71-awards: the ranking of a scoring stage (weighted totals, trimmed
// mean from five scores, spread, outliers, the tie-break, top 20 %), the
// award round (quotas, proposal, manual levels and special awards with
// their checks, lock, unlock, publish with the applicants' notices), the
// public results and the applicant's `award`. Scores come through the
// judges' own endpoints; every score is the same on all criteria unless a
// case needs otherwise, so a judge's total is ten times that score.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError } from './lib.mjs';
import { Client } from './auth-lib.mjs';
import { newStaff, fieldErrors } from './app-fixtures.mjs';
import {
	GD, FJ, ADMIN, startConsole, approvedApp, setStage, stopClean, latestMessage, waitForNotice,
} from './console-fixtures.mjs';

const KEYS = ['data_value', 'tech_innovation', 'governance', 'effect', 'business'];
const uniform = (s) => Object.fromEntries(KEYS.map((k) => [k, s]));
const base = `${ADMIN}/competitions/${GD}`;
const put = (c, path, body) => c.req('PUT', path, { body });

let cast, judges, p1, p2, p3, p4, p5, trackId;
const names = new Map();

async function submitScore(judge, appId, scores) {
	const add = await cast.admin.post(`${base}/judging/preliminary/assignments`,
		{ application_id: appId, judge_id: judge.userId });
	assert.equal(add.status, 201, add.text);
	const res = await judge.post(`/api/v1/judge/assignments/${add.json.assignment_id}/submit`,
		{ scores, comment: '评审意见：材料完整。' });
	assert.equal(res.status, 200, res.text);
}

before(async () => {
	cast = await startConsole();
	judges = [cast.judge];
	for (let i = 0; i < 4; i++)
		judges.push(await newStaff(cast.server, [`judge:${GD}`], `jd${i}`));
	const staff = await cast.admin.get(`${base}/staff`);
	for (const j of judges)
		j.userId = staff.json.items.find((x) => x.account === j.account).user_id;
	// P1 and P4 are bob's, P2 and P3 alice's; P5 stays unreviewed.
	p1 = await approvedApp(cast.bob, cast.rev);
	p2 = await approvedApp(cast.alice, cast.rev);
	p3 = await approvedApp(cast.alice, cast.rev);
	p4 = await approvedApp(cast.bob, cast.rev);
	p5 = await approvedApp(cast.bob, cast.rev);
	for (const p of [p1, p2, p3, p4])
		await setStage(cast.rev, p.id, 'preliminary');
	const now = Math.floor(Date.now() / 1000);
	const win = await put(cast.admin, `${base}/rubrics/preliminary`,
		{ scoring_opens: now - 60, scoring_closes: now + 86400 });
	assert.equal(win.status, 200, win.text);
	// P1: five judges, totals 90 80 70 30 85 → trimmed mean (80+70+85)/3.
	for (const [i, s] of [9, 8, 7, 3, 8.5].entries())
		await submitScore(judges[i], p1.id, uniform(s));
	// P2 and P3: two judges each, both 80 (equal aggregate and mean); P2
	// has the higher 技术路线与创新性, the first criterion that differs.
	const s2 = { ...uniform(8), tech_innovation: 10, effect: 6 };
	const s3 = { ...uniform(8), tech_innovation: 6, effect: 10 };
	for (const j of judges.slice(0, 2)) {
		await submitScore(j, p2.id, s2);
		await submitScore(j, p3.id, s3);
	}
	// P4: a judge who has not submitted: unranked.
	const add = await cast.admin.post(`${base}/judging/preliminary/assignments`,
		{ application_id: p4.id, judge_id: judges[2].userId });
	assert.equal(add.status, 201, add.text);
});

after(() => stopClean(cast?.server));

test('the ranking: trimmed mean, plain mean, spread, outliers, tie-break and top 20 %', async () => {
	const res = await cast.admin.get(`${base}/judging/preliminary/ranking`);
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.stage, 'preliminary');
	assert.deepEqual(res.json.criteria.map((c) => c.key), KEYS);
	const track = res.json.tracks.find((t) => t.items.length);
	trackId = track.track_id;
	for (const x of track.items)
		names.set(x.application_id, x.project_name);
	assert.ok(names.get(p2.id));
	assert.deepEqual([track.entries, track.ranked, track.top20], [4, 3, 1]);
	assert.deepEqual(track.items.map((x) => [x.application_id, x.rank, x.top20]),
		[[p2.id, 1, true], [p3.id, 2, false], [p1.id, 3, false], [p4.id, null, false]]);
	const [a2, a3, a1, a4] = track.items;
	assert.equal(a1.method, 'trimmed_mean');
	assert.equal(a1.aggregate, 78.33);
	assert.deepEqual(a1.spread, { min: 30, max: 90, range: 60, stddev: 21.54 });
	assert.deepEqual([a1.assigned, a1.submitted], [5, 5]);
	assert.deepEqual(a1.judges.map((j) => [j.total, j.outlier]),
		[[90, false], [80, false], [70, false], [30, true], [85, false]]);
	assert.equal(a2.method, 'mean');
	assert.equal(a2.aggregate, 80);
	assert.equal(a3.aggregate, 80);
	// Mean weighted points per criterion: 25×8/10, 20×10/10, 15×8/10, …
	assert.deepEqual(a2.criteria, [
		{ key: 'data_value', mean: 20 }, { key: 'tech_innovation', mean: 20 },
		{ key: 'governance', mean: 12 }, { key: 'effect', mean: 12 }, { key: 'business', mean: 16 }]);
	assert.equal(a4.aggregate, null);
	assert.equal(a4.method, null);
	assert.equal(a4.spread, null);
	assert.deepEqual(a4.judges.map((j) => [j.submitted, j.total]), [[false, null]]);

	const one = await cast.admin.get(`${base}/judging/preliminary/ranking?track=${trackId}`);
	assert.deepEqual(one.json.tracks.map((t) => t.track_id), [trackId]);
	assertError(await cast.admin.get(`${base}/judging/preliminary/ranking?track=x`), 400, 'bad_query');
	assertError(await cast.admin.get(`${base}/judging/semifinal/ranking`), 404, 'not_found');
	const fin = await cast.admin.get(`${base}/judging/final/ranking`);
	assert.equal(fin.status, 200);
	assert.ok(fin.json.tracks.every((t) => t.items.length === 0));
});

test('only the sub-contest\'s admins see rankings and awards', async () => {
	for (const path of [`${base}/judging/preliminary/ranking`, `${base}/awards`]) {
		assertError(await cast.rev.get(path), 403, 'forbidden');
		assertError(await cast.judge.get(path), 403, 'forbidden');
		assertError(await cast.adminFj.get(path), 403, 'forbidden');
		assertError(await cast.alice.get(path), 403, 'forbidden');
		assertError(await new Client(cast.server).get(path), 401, 'login_required');
		assert.equal((await cast.root.get(path)).status, 200);
	}
	assertError(await cast.admin.get(`${ADMIN}/competitions/nope/awards`), 404, 'competition_not_found');
	assertError(await put(cast.adminFj, `${base}/awards/quotas`, { tracks: [] }), 403, 'forbidden');
});

test('quotas, the proposal from the ranking and manual changes with their checks', async () => {
	let res = await cast.admin.get(`${base}/awards`);
	assert.equal(res.status, 200, res.text);
	assert.deepEqual([res.json.state, res.json.stage, res.json.locked_at, res.json.published_at],
		['open', 'final', null, null]);
	res = await cast.admin.post(`${base}/awards/propose`, { stage: 'preliminary' });
	assert.equal(res.status, 200, res.text);
	let t = res.json.tracks.find((x) => x.track_id === trackId);
	assert.equal(res.json.stage, 'preliminary');
	assert.deepEqual(t.quota, { first: 1, second: 2, third: 5 }, 'the default quota');
	assert.deepEqual(t.suggested, { first: 1, second: 0, third: 0 }, '3 ranked: one place');
	assert.deepEqual([t.ranked, t.top20], [3, 1]);
	assert.deepEqual(t.items.map((x) => [x.application_id, x.level]),
		[[p2.id, 'first'], [p3.id, 'second'], [p1.id, 'second'], [p4.id, null]]);

	// Quotas: checked, then the proposal follows them.
	res = await put(cast.admin, `${base}/awards/quotas`,
		{ tracks: [{ track_id: trackId, first: 51, second: -1, third: 1.5 }, { track_id: 999999, first: 1, second: 1, third: 1 }] });
	assertError(res, 422, 'invalid');
	assert.deepEqual(fieldErrors(res).map((f) => f.field).sort(),
		['tracks[0].first', 'tracks[0].second', 'tracks[0].third', 'tracks[1].track_id']);
	res = await put(cast.admin, `${base}/awards/quotas`, { tracks: [{ track_id: trackId, first: 1, second: 1, third: 1 }] });
	assert.equal(res.status, 200, res.text);
	res = await cast.admin.post(`${base}/awards/propose`, { stage: 'preliminary' });
	t = res.json.tracks.find((x) => x.track_id === trackId);
	assert.deepEqual(t.quota, { first: 1, second: 1, third: 1 });
	assert.deepEqual(t.items.map((x) => [x.application_id, x.level, x.level_label]),
		[[p2.id, 'first', '一等奖'], [p3.id, 'second', '二等奖'], [p1.id, 'third', '三等奖'], [p4.id, null, null]]);

	// Specials only inside the top 20 % (P2 alone).
	res = await put(cast.admin, `${base}/awards/${p1.id}`, { specials: ['innovation'] });
	assertError(res, 422, 'invalid');
	assert.deepEqual(fieldErrors(res).map((f) => [f.field, f.code]), [['specials', 'not_top20']]);
	res = await put(cast.admin, `${base}/awards/${p2.id}`, { specials: ['practice', 'most_valuable'] });
	assert.equal(res.status, 200, res.text);
	t = res.json.tracks.find((x) => x.track_id === trackId);
	assert.deepEqual(t.items[0].specials, ['most_valuable', 'practice']);
	// Quotas are per level.
	res = await put(cast.admin, `${base}/awards/${p1.id}`, { level: 'first' });
	assertError(res, 409, 'quota_full');
	assert.match(res.json.error.message, /本赛道一等奖名额已满（1 名）/);
	assertError(await put(cast.admin, `${base}/awards/${p4.id}`, { level: 'third' }), 409, 'quota_full');
	// Bad input and records outside the round.
	res = await put(cast.admin, `${base}/awards/${p4.id}`, { level: 'gold', specials: ['best', 'practice', 'practice'] });
	assertError(res, 422, 'invalid');
	assert.deepEqual(fieldErrors(res).map((f) => f.field).sort(), ['level', 'specials[0]', 'specials[2]']);
	assertError(await put(cast.admin, `${base}/awards/${p4.id}`, { rank: 1 }), 422, 'invalid');
	assertError(await put(cast.admin, `${base}/awards/${p5.id}`, { level: 'third' }), 409, 'not_in_stage');
	assertError(await put(cast.admin, `${base}/awards/99999999`, { level: 'third' }), 404, 'not_found');
	assertError(await put(cast.adminFj, `${ADMIN}/competitions/${FJ}/awards/${p1.id}`, { level: 'third' }), 404, 'not_found');
	assertError(await cast.admin.post(`${base}/awards/propose`, { stage: 'semifinal' }), 422, 'invalid');

	// A new proposal keeps specials that are still in the top 20 %.
	res = await cast.admin.post(`${base}/awards/propose`, {});
	t = res.json.tracks.find((x) => x.track_id === trackId);
	assert.deepEqual(t.items[0].specials, ['most_valuable', 'practice']);
	// P1 ranked without a prize: its owner is told the results are out.
	res = await put(cast.admin, `${base}/awards/${p1.id}`, { level: null });
	assert.equal(res.status, 200, res.text);
	t = res.json.tracks.find((x) => x.track_id === trackId);
	assert.deepEqual(t.items.map((x) => x.level), ['first', 'second', null, null]);
});

test('lock, unlock and publish: states, notices, results and the applicant\'s award', async () => {
	assertError(await cast.admin.post(`${base}/awards/publish`), 409, 'not_locked');
	assertError(await cast.admin.post(`${base}/awards/unlock`), 409, 'not_locked');
	let res = await cast.admin.post(`${base}/awards/lock`);
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.state, 'locked');
	assert.equal(typeof res.json.locked_at, 'number');
	assertError(await cast.admin.post(`${base}/awards/lock`), 409, 'awards_locked');
	assertError(await put(cast.admin, `${base}/awards/${p3.id}`, { level: null }), 409, 'awards_locked');
	assertError(await put(cast.admin, `${base}/awards/quotas`, { tracks: [] }), 409, 'awards_locked');
	assertError(await cast.admin.post(`${base}/awards/propose`, {}), 409, 'awards_locked');
	res = await cast.admin.post(`${base}/awards/unlock`);
	assert.deepEqual([res.status, res.json.state, res.json.locked_at], [200, 'open', null]);
	assert.equal((await cast.admin.post(`${base}/awards/lock`)).status, 200);

	// Nothing is public before publishing.
	const anon = new Client(cast.server);
	assertError(await anon.get(`/api/v1/competitions/${GD}/results`), 404, 'results_not_published');
	assertError(await anon.get('/api/v1/competitions/nope/results'), 404, 'competition_not_found');
	assert.equal((await cast.alice.get(`/api/v1/applications/${p2.id}`)).json.award, null);
	assert.deepEqual((await cast.alice.get('/api/v1/applications')).json.items.map((x) => x.award), [null, null],
		'nor in the list');

	res = await cast.admin.post(`${base}/awards/publish`);
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.state, 'published');
	const publishedAt = res.json.published_at;
	assert.equal(typeof publishedAt, 'number');
	for (const step of ['lock', 'unlock', 'publish'])
		assertError(await cast.admin.post(`${base}/awards/${step}`), 409, 'awards_published');
	assertError(await put(cast.admin, `${base}/awards/${p3.id}`, { level: null }), 409, 'awards_published');

	// The public list: levels in rank order, then the specials.
	res = await anon.get(`/api/v1/competitions/${GD}/results`);
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.competition, GD);
	assert.equal(res.json.published_at, publishedAt);
	assert.ok(res.json.competition_name);
	const t = res.json.tracks.find((x) => x.track_id === trackId);
	assert.ok(t.track_name);
	assert.deepEqual(t.awards.map((a) => [a.level, a.level_label, a.project_name]),
		[['first', '一等奖', names.get(p2.id)], ['second', '二等奖', names.get(p3.id)]]);
	assert.ok(t.awards[0].team_name && t.awards[0].lead_unit_name);
	assert.deepEqual(t.specials.map((s) => [s.code, s.label, s.project_name]),
		[['most_valuable', '最具价值奖', names.get(p2.id)], ['practice', '应用实践奖', names.get(p2.id)]]);
	assert.ok(!res.text.includes(cast.alice.phone), 'no contact data in the public list');

	// The applicant's record and list carry the award; others' have none.
	res = await cast.alice.get(`/api/v1/applications/${p2.id}`);
	assert.deepEqual(res.json.award, {
		level: 'first', level_label: '一等奖', published_at: publishedAt,
		specials: [{ code: 'most_valuable', label: '最具价值奖' }, { code: 'practice', label: '应用实践奖' }],
	});
	res = await cast.alice.get('/api/v1/applications');
	assert.deepEqual(res.json.items.find((x) => x.id === p2.id).award, (await cast.alice.get(`/api/v1/applications/${p2.id}`)).json.award,
		'the list says what the record says');
	assert.equal(res.json.items.find((x) => x.id === p3.id).award.level, 'second');
	res = await cast.bob.get('/api/v1/applications');
	assert.equal(res.json.items.find((x) => x.id === p1.id).award, null);

	// Notices: a 获奖通知 in the site and by SMS; the ranked P1's owner is told the results are out.
	const msgs = (await cast.alice.get('/api/v1/messages?per_page=10')).json.items;
	const m2 = msgs.find((m) => m.application_id === p2.id && m.event === 'award');
	assert.equal(m2.title, '获奖通知');
	assert.match(m2.body, /一等奖、最具价值奖、应用实践奖/);
	await waitForNotice(cast.server, cast.alice.phone, /获得一等奖、最具价值奖、应用实践奖/);
	const mb = await latestMessage(cast.bob);
	assert.deepEqual([mb.title, mb.application_id], ['评审结果已公布', p1.id]);

	// Every step is in the audit log.
	res = await cast.admin.get(`/api/v1/admin/audit?object_type=competition&per_page=100`);
	assert.equal(res.status, 200, res.text);
	const actions = new Set(res.json.items.map((x) => x.action));
	for (const a of ['award_quotas_set', 'awards_propose', 'awards_lock', 'awards_unlock', 'awards_publish'])
		assert.ok(actions.has(a), `audit has ${a}`);
	res = await cast.admin.get(`/api/v1/admin/audit?action=award_set&per_page=100`);
	assert.ok(res.json.items.some((x) => x.object_id === p2.id));
});

test('the award notice is an SMS template the platform admin can edit', async () => {
	const res = await cast.root.get(`${ADMIN}/sms-templates`);
	assert.equal(res.status, 200, res.text);
	const t = res.json.templates.find((x) => x.event === 'award');
	assert.equal(t.label, '获奖通知');
	assert.match(t.default_text, /\{project\}.*\{award\}/);
	assert.deepEqual(t.placeholders, ['{project}', '{award}']);
});
