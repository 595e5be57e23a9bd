// 37-app-list: 我的赛事, the applicant's list. It filters by status and by a
// keyword in the project or team name, pages, shows the most recently
// saved first, and carries the labels and the actions each status allows.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError } from './lib.mjs';
import { advanceClock } from './auth-lib.mjs';
import {
	APPS, startAppServer, newApplicant, newStaff, completeDoc, createApp, saveDoc, submitApp,
	patchSection,
} from './app-fixtures.mjs';

let server;
let alice;
let reviewer;
// Alice's records, made once: name → record.
const recs = {};

const list = async (query = '') => {
	const res = await alice.get(`${APPS}${query}`);
	assert.equal(res.status, 200, `GET ${APPS}${query}: ${res.text}`);
	return res.json;
};

// Moves the server clock so each save has its own second.
const tick = () => advanceClock(alice, 2);

before(async () => {
	server = await startAppServer();
	alice = await newApplicant(server);
	reviewer = await newStaff(server, ['reviewer:guangdong-2026'], 'rev');
	const make = async (key, project, team, status) => {
		const a = await createApp(alice);
		const s = await saveDoc(alice, a.id, a.version,
			completeDoc({ project: { name: project }, team: { name: team } }));
		if (status !== 'draft') {
			const sub = await submitApp(alice, a.id, { version: s.version });
			assert.equal(sub.status, 200, sub.text);
		}
		if (status === 'returned' || status === 'approved') {
			const r = await reviewer.post(`/api/v1/review/applications/${a.id}/${status === 'returned' ? 'return' : 'approve'}`,
				status === 'returned' ? { reason: '请补充应用案例' } : {});
			assert.equal(r.status, 200, r.text);
		}
		recs[key] = { id: a.id, project, team, status };
		await tick();
	};
	await make('d1', '港口集装箱智能调度数据平台', '蓝湾港航团队', 'draft');
	await make('s1', '城市停车数据运营服务', '智慧停车团队', 'submitted');
	await make('d2', '农产品冷链物流数据产品', '冷链数据团队', 'draft');
	await make('r1', '公交客流预测大模型', '鹏程公交数据团队', 'returned');
	await make('a1', '网约车合规监管数据服务', '出行合规团队', 'approved');
	await make('d3', '100%_通配符测试项目', '特殊字符团队', 'draft');
	// An empty draft has no names yet.
	const e = await createApp(alice);
	recs.e1 = { id: e.id, project: '', team: '', status: 'draft' };
});

after(() => server?.stop());

test('the list carries names, sub-contest, track, topic, labels and version', async () => {
	const all = await list('?per_page=100');
	assert.equal(all.total, 7);
	assert.equal(all.page, 1);
	assert.equal(all.per_page, 100);
	const s1 = all.items.find((i) => i.id === recs.s1.id);
	assert.equal(s1.project_name, recs.s1.project);
	assert.equal(s1.team_name, recs.s1.team);
	assert.deepEqual(s1.competition, { slug: 'guangdong-2026', name: '2026年“数据要素×”大赛广东分赛' });
	assert.deepEqual(s1.track, { key: 'transportation', name: '交通运输' });
	assert.equal(s1.topic.no, 2);
	assert.equal(typeof s1.topic.title, 'string');
	assert.equal(s1.stage_label, '未审核');
	assert.equal(s1.tech_status_label, '未开始');
	assert.equal(typeof s1.saved_at, 'number');
	assert.equal(typeof s1.submitted_at, 'number');
	assert.equal(typeof s1.version, 'number');
	assert.equal(s1.doc, undefined, 'the list does not carry the document');
	const e1 = all.items.find((i) => i.id === recs.e1.id);
	assert.equal(e1.project_name, '');
	assert.equal(e1.track, null);
	assert.equal(e1.topic, null);
	assert.equal(e1.submitted_at, null);
});

test('filter by status', async () => {
	const expect = {
		draft: ['d1', 'd2', 'd3', 'e1'], submitted: ['s1'], returned: ['r1'], approved: ['a1'],
	};
	for (const [status, keys] of Object.entries(expect)) {
		const r = await list(`?status=${status}`);
		assert.equal(r.total, keys.length, status);
		assert.deepEqual(r.items.map((i) => i.id).sort((a, b) => a - b), keys.map((k) => recs[k].id).sort((a, b) => a - b), status);
		for (const i of r.items)
			assert.equal(i.status, status);
	}
	assert.equal((await list('?status=')).total, 7, 'an empty status is no filter');
	assertError(await alice.get(`${APPS}?status=deleted`), 400, 'bad_status');
});

test('keyword on project or team name', async () => {
	const q = async (kw, extra = '') => (await list(`?q=${encodeURIComponent(kw)}${extra}`)).items.map((i) => i.id);
	assert.deepEqual(await q('客流预测'), [recs.r1.id], 'part of a project name');
	assert.deepEqual(await q('冷链数据团队'), [recs.d2.id], 'a team name');
	assert.deepEqual(await q('鹏程'), [recs.r1.id], 'part of a team name');
	assert.deepEqual((await q('数据')).sort((a, b) => a - b),
		['d1', 's1', 'd2', 'r1', 'a1'].map((k) => recs[k].id).sort((a, b) => a - b));
	assert.deepEqual(await q('数据', '&status=draft'), [recs.d2.id, recs.d1.id], 'keyword and status together');
	assert.deepEqual(await q('没有这个项目'), []);
	// LIKE's wildcards are the characters themselves.
	assert.deepEqual(await q('100%_'), [recs.d3.id]);
	assert.deepEqual(await q('%'), [recs.d3.id]);
	assert.deepEqual(await q('_'), [recs.d3.id]);
	assertError(await alice.get(`${APPS}?q=${encodeURIComponent('a'.repeat(201))}`), 400, 'bad_query');
	assert.equal((await list(`?q=${encodeURIComponent('a'.repeat(200))}`)).total, 0);
	// The keyword follows a rename.
	const d1 = (await alice.get(`${APPS}/${recs.d1.id}`)).json;
	const p = await patchSection(alice, d1.id, d1.version, 'team', { name: '改名后的港航团队' });
	assert.equal(p.status, 200, p.text);
	assert.deepEqual(await q('改名后的港航'), [recs.d1.id]);
	assert.deepEqual(await q('蓝湾港航团队'), []);
});

test('pagination', async () => {
	const all = (await list('?per_page=100')).items.map((i) => i.id);
	assert.equal(all.length, 7);
	const seen = [];
	for (let page = 1; page <= 4; page++) {
		const r = await list(`?page=${page}&per_page=2`);
		assert.equal(r.total, 7);
		assert.equal(r.page, page);
		assert.equal(r.per_page, 2);
		assert.equal(r.items.length, page < 4 ? 2 : 1, `page ${page}`);
		seen.push(...r.items.map((i) => i.id));
	}
	assert.deepEqual(seen, all, 'the pages are the list, in order, without repeats');
	const past = await list('?page=5&per_page=2');
	assert.deepEqual(past.items, []);
	assert.equal(past.total, 7);
	const def = await list();
	assert.equal(def.per_page, 20);
	assert.equal(def.page, 1);
	for (const bad of ['?page=0', '?page=-1', '?page=x', '?per_page=0', '?per_page=101', '?page=1.5'])
		assertError(await alice.get(`${APPS}${bad}`), 400, 'bad_page', bad);
});

test('newest saved first', async () => {
	const before = (await list('?per_page=100')).items;
	for (let i = 1; i < before.length; i++)
		assert.ok(before[i - 1].saved_at >= before[i].saved_at, JSON.stringify(before.map((x) => [x.id, x.saved_at])));
	// Saving an old draft moves it to the top.
	await tick();
	const d2 = (await alice.get(`${APPS}/${recs.d2.id}`)).json;
	const p = await patchSection(alice, d2.id, d2.version, 'intro', { background: '重新保存' });
	assert.equal(p.status, 200, p.text);
	const after = (await list('?per_page=100')).items;
	assert.equal(after[0].id, recs.d2.id);
	assert.equal(after[0].saved_at, p.json.saved_at);
	assert.deepEqual(after.slice(1).map((i) => i.id), before.filter((i) => i.id !== recs.d2.id).map((i) => i.id));
	assert.ok(after[0].saved_at > after[1].saved_at);
});

test('actions and labels per status', async () => {
	const expect = {
		draft: ['草稿', { view: true, edit: true, submit: true, delete: true }],
		submitted: ['已提交', { view: true, edit: false, submit: false, delete: false }],
		returned: ['已退回', { view: true, edit: true, submit: true, delete: false }],
		approved: ['已通过', { view: true, edit: false, submit: false, delete: false }],
	};
	const items = (await list('?per_page=100')).items;
	for (const i of items) {
		const [label, actions] = expect[i.status];
		assert.equal(i.status_label, label, `${i.id} ${i.status}`);
		assert.deepEqual(i.actions, actions, `${i.id} ${i.status}`);
		// The record says the same as its row in the list.
		const one = (await alice.get(`${APPS}/${i.id}`)).json;
		assert.deepEqual(one.actions, actions, `GET ${i.id}`);
		assert.equal(one.status_label, label);
	}
	const r1 = items.find((i) => i.id === recs.r1.id);
	assert.equal(r1.return_reason, '请补充应用案例');
	assert.equal(items.find((i) => i.id === recs.s1.id).return_reason, null);
	// Someone else's list is empty.
	const other = await newApplicant(server);
	const theirs = await other.get(APPS);
	assert.deepEqual(theirs.json, { items: [], total: 0, page: 1, per_page: 20 });
});
