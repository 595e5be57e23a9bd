// 72-statistics: the admins' dashboard numbers — records per track,
// region (cut to the city) and unit type, registrations and submissions
// per China day with the deadline, review and scoring progress — and who
// may read them. Deleted records are not counted.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError } from './lib.mjs';
import { Client } from './auth-lib.mjs';
import { createApp } from './app-fixtures.mjs';
import {
	GD, ADMIN, startConsole, approvedApp, submittedApp, decide, setStage, stopClean,
} from './console-fixtures.mjs';

const path = `${ADMIN}/competitions/${GD}/statistics`;
let cast, drafts;

// "2026-06-13" of a Unix time, in China time (UTC+8).
const chinaDay = (t) => new Date((t + 8 * 3600) * 1000).toISOString().slice(0, 10);

before(async () => {
	cast = await startConsole();
	// alice: two drafts (one deleted below), two submitted (one returned);
	// bob: two approved, one of them in 初赛 with a judge.
	drafts = [await createApp(cast.alice, GD, { attach: false }), await createApp(cast.alice, GD, { attach: false })];
	await submittedApp(cast.alice);
	const ret = await submittedApp(cast.alice);
	const res = await decide(cast.rev, ret.id, 'return', { reason: '请补充材料。' });
	assert.equal(res.status, 200, res.text);
	await approvedApp(cast.bob, cast.rev);
	const staged = await approvedApp(cast.bob, cast.rev);
	await setStage(cast.rev, staged.id, 'preliminary');
	const staff = await cast.admin.get(`${ADMIN}/competitions/${GD}/staff`);
	const judgeId = staff.json.items.find((x) => x.account === cast.judge.account).user_id;
	const add = await cast.admin.post(`${ADMIN}/competitions/${GD}/judging/preliminary/assignments`,
		{ application_id: staged.id, judge_id: judgeId });
	assert.equal(add.status, 201, add.text);
	const del = await cast.alice.req('DELETE', `/api/v1/applications/${drafts[1].id}`);
	assert.equal(del.status, 204, del.text);
});

after(() => stopClean(cast?.server));

test('counts per track, region, unit type and day; review and scoring progress', async () => {
	const res = await cast.admin.get(path);
	assert.equal(res.status, 200, res.text);
	const s = res.json;

	const sched = await cast.admin.get(`${ADMIN}/competitions/${GD}/schedule`);
	const closes = sched.json.registration_closes;
	assert.equal(s.deadline, closes ? Date.parse(closes) / 1000 : null);

	const total = s.by_track.reduce((n, t) => n + t.total, 0);
	assert.equal(total, 5, 'the deleted draft is not counted');
	const sum = (k) => s.by_track.reduce((n, t) => n + t[k], 0);
	assert.deepEqual([sum('draft'), sum('submitted'), sum('approved'), sum('returned')], [1, 1, 2, 1]);
	for (const t of s.by_track)
		assert.equal(t.total, t.draft + t.submitted + t.approved + t.returned, t.track_name);
	assert.ok(s.by_track.every((t) => typeof t.track_name === 'string'));

	// Complete documents are in 440305 (南山区): counted under 深圳市 440300.
	const sz = s.by_region.find((x) => x.code === '440300');
	assert.ok(sz && sz.count >= 4, JSON.stringify(s.by_region));
	assert.ok(s.by_region.every((x) => /^\d{4}00$/.test(x.code)));
	assert.ok(s.by_unit_type.length >= 1);
	assert.ok(s.by_unit_type.every((x) => x.nature && x.count > 0));

	const today = chinaDay(Math.floor(Date.now() / 1000));
	const day = s.daily.find((d) => d.date === today);
	assert.deepEqual(day, { date: today, created: 5, submitted: 4 });

	assert.equal(s.review.reduce((n, t) => n + t.unreviewed, 0), 1);
	assert.equal(s.review.reduce((n, t) => n + t.approved, 0), 2);
	assert.equal(s.review.reduce((n, t) => n + t.returned, 0), 1);
	assert.deepEqual(s.scoring.map(({ stage, applications, assignments, submitted }) =>
		({ stage, applications, assignments, submitted })),
	[{ stage: 'preliminary', applications: 1, assignments: 1, submitted: 0 }]);
	assert.equal(typeof s.scoring[0].track_id, 'number');
});

test('reviewers and admins of the sub-contest only', async () => {
	assert.equal((await cast.rev.get(path)).status, 200);
	assert.equal((await cast.root.get(path)).status, 200);
	assertError(await cast.revFj.get(path), 404, 'not_found');
	assertError(await cast.adminFj.get(path), 404, 'not_found');
	assertError(await cast.alice.get(path), 404, 'not_found');
	assertError(await cast.judge.get(path), 404, 'not_found');
	assertError(await new Client(cast.server).get(path), 401, 'login_required');
	assertError(await cast.admin.get(`${ADMIN}/competitions/nope/statistics`), 404, 'competition_not_found');
});
