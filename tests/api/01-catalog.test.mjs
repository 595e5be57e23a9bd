// 01-catalog: the public catalog API (competitions list, one competition, its
// tracks) against catalog/*.json, the source of truth, and against titles
// quoted literally from the published spec texts; conditional GET, caching.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
	startServer, request, getJson, assertError, assertSecurityHeaders, CATALOG_DIR,
} from './lib.mjs';

const source = {
	'guangdong-2026': JSON.parse(fs.readFileSync(path.join(CATALOG_DIR, 'guangdong-2026.json'), 'utf8')),
	'fujian-2026': JSON.parse(fs.readFileSync(path.join(CATALOG_DIR, 'fujian-2026.json'), 'utf8')),
};

let srv;
before(async () => {
	srv = await startServer();
});
after(async () => {
	const res = await srv.stop();
	assert.deepEqual(res, { code: 0, signal: null }, srv.stderr());
});

test('the list shows Guangdong first, then Fujian, with their counts', async () => {
	const res = await getJson(srv, '/api/v1/competitions');
	assertSecurityHeaders(res, 'competitions list');
	assert.match(res.headers['content-type'], /^application\/json; charset=utf-8/);
	const items = res.json.items;
	assert.deepEqual(items.map((c) => c.slug), ['guangdong-2026', 'fujian-2026']);
	const [gd, fj] = items;
	assert.equal(gd.name, '2026年“数据要素×”大赛广东分赛');
	assert.equal(gd.short_name, '广东分赛');
	assert.equal(gd.year, 2026);
	assert.equal(gd.theme, '数据赋能 乘数而上');
	assert.equal(gd.track_count, 17);
	assert.equal(gd.topic_count, 121);
	assert.equal(gd.registration.opens, '2026-06-13T00:00:00+08:00');
	assert.equal(gd.registration.closes, '2026-07-15T23:59:59+08:00');
	assert.equal(fj.short_name, '福建分赛');
	assert.equal(fj.track_count, 17);
	assert.equal(fj.topic_count, 120);
	assert.equal(fj.registration.opens, null, 'Fujian opens is not published yet (UI: 待公布)');
	for (const c of items)
		assert.ok(Number.isInteger(c.id) && c.id > 0, `id of ${c.slug}`);
	assert.notEqual(gd.id, fj.id);
	// The list is a summary: the tracks come with the detail.
	assert.equal(gd.tracks, undefined);
});

test('Guangdong: theme, schedule, registration, venues', async () => {
	const { json: gd } = await getJson(srv, '/api/v1/competitions/guangdong-2026');
	assert.equal(gd.slug, 'guangdong-2026');
	assert.equal(gd.theme, '数据赋能 乘数而上');
	assert.deepEqual(gd.schedule.map((s) => [s.title, s.start, s.end]), [
		['报名启动', '2026-06-13', '2026-06-13'],
		['报名截止', '2026-07-15', '2026-07-15'],
		['初赛评审', '2026-07-17', '2026-07-23'],
		['决赛', '2026-08-15', '2026-08-22'],
		['颁奖与国赛推送', null, '2026-08-31'],
		['全国总决赛', '2026-09-01', '2026-09-30'],
	]);
	for (const s of gd.schedule)
		assert.ok(s.text && s.key, `schedule item ${s.title} has key and text`);
	assert.match(gd.schedule[5].text, /9月/);
	assert.equal(gd.registration.opens, '2026-06-13T00:00:00+08:00');
	assert.deepEqual(gd.venues.map((v) => v.key).sort(), ['futian', 'longhua', 'nanshan', 'qianhai']);
	assert.ok(gd.background.includes('深圳市全域承办'));
});

test('Guangdong: 17 tracks at the four venues, 121 topics, all as in the catalog file', async () => {
	const { json: gd } = await getJson(srv, '/api/v1/competitions/guangdong-2026');
	const file = source['guangdong-2026'];
	assert.equal(gd.tracks.length, 17);
	assert.equal(gd.tracks.reduce((n, t) => n + t.topics.length, 0), 121);
	const venues = new Set(['nanshan', 'futian', 'longhua', 'qianhai']);
	gd.tracks.forEach((t, i) => {
		const want = file.tracks[i];
		assert.equal(t.no, i + 1, 'tracks are in order');
		assert.ok(venues.has(t.venue), `track ${t.name} venue ${t.venue}`);
		for (const k of ['no', 'key', 'name', 'title', 'heading', 'venue'])
			assert.equal(t[k], want[k], `track ${i + 1} ${k}`);
		assert.ok(Number.isInteger(t.id));
		assert.equal(t.topics.length, want.topics.length, `topics of ${t.name}`);
		t.topics.forEach((tp, j) => {
			assert.ok(Number.isInteger(tp.id));
			assert.equal(tp.no, want.topics[j].no);
			assert.equal(tp.title, want.topics[j].title, `${t.name} topic ${j + 1} title`);
			assert.equal(tp.description, want.topics[j].description, `${t.name} topic ${j + 1} description`);
		});
	});
	const byName = Object.fromEntries(gd.tracks.map((t) => [t.name, t]));
	assert.equal(byName['工业制造'].venue, 'nanshan');
	assert.equal(byName['金融服务'].venue, 'futian');
	assert.equal(byName['交通运输'].venue, 'longhua');
	assert.equal(byName['数据基础设施'].venue, 'qianhai');
	assert.equal(byName['医疗健康'].topics.length, 4);
	assert.equal(byName['工业制造'].topics[0].title, '数据驱动的高端产品智能设计与迭代');
	// Ids are unique across the whole catalog.
	const ids = gd.tracks.flatMap((t) => t.topics.map((tp) => tp.id));
	assert.equal(new Set(ids).size, ids.length);
});

test('Guangdong: awards, organizers and the 7 contacts', async () => {
	const { json: gd } = await getJson(srv, '/api/v1/competitions/guangdong-2026');
	assert.deepEqual(gd.awards.per_track, { first: 1, second: 2, third: 5 });
	assert.deepEqual(gd.awards.special, ['最具价值奖', '应用实践奖', '发展潜力奖', '科技创新奖']);
	assert.equal(gd.awards.special_pool_percent, 20);
	assert.deepEqual(gd.organizers.guide, ['国家数据局']);
	assert.deepEqual(gd.organizers.host, ['广东省政务服务和数据管理局']);
	assert.deepEqual(gd.organizers.undertaker, ['深圳市政务服务和数据管理局']);
	assert.equal(gd.contacts.length, 7);
	for (const c of gd.contacts) {
		assert.ok(c.name, 'contact name');
		assert.match(c.phone, /^1\d{10}$/, `phone of ${c.name}`);
	}
	// Every one of the 17 tracks has someone to ask.
	assert.deepEqual([...new Set(gd.contacts.flatMap((c) => c.tracks))].sort((a, b) => a - b),
		Array.from({ length: 17 }, (_, i) => i + 1));
	assert.deepEqual(gd.contacts.filter((c) => c.platform_support).map((c) => c.name), ['李斌']);
	// Everything else of the document is served as it is in the file.
	const file = source['guangdong-2026'];
	for (const k of ['name', 'short_name', 'year', 'theme', 'background', 'goals', 'schedule', 'registration',
		'venues', 'conditions', 'how_to_register', 'awards', 'rights', 'organizers', 'contacts'])
		assert.deepEqual(gd[k], file[k], `field ${k}`);
});

test('Fujian: no schedule or registration dates yet, 17 tracks and 120 topics as in the file', async () => {
	const { json: fj } = await getJson(srv, '/api/v1/competitions/fujian-2026');
	const file = source['fujian-2026'];
	assert.deepEqual(fj.schedule, []);
	assert.equal(fj.registration.opens, null);
	assert.equal(fj.registration.closes, null);
	assert.equal(fj.tracks.length, 17);
	assert.equal(fj.tracks.reduce((n, t) => n + t.topics.length, 0), 120);
	fj.tracks.forEach((t, i) => {
		const want = file.tracks[i];
		for (const k of ['no', 'key', 'name', 'title', 'heading', 'venue'])
			assert.equal(t[k], want[k], `track ${i + 1} ${k}`);
		assert.deepEqual(t.topics.map((tp) => [tp.no, tp.title, tp.description]),
			want.topics.map((tp) => [tp.no, tp.title, tp.description]), `topics of ${t.name}`);
	});
	const health = fj.tracks.find((t) => t.name === '医疗健康');
	assert.equal(health.topics.length, 3);
	// The same track key in two sub-contests is two different tracks.
	const { json: gd } = await getJson(srv, '/api/v1/competitions/guangdong-2026');
	assert.notEqual(gd.tracks[0].id, fj.tracks[0].id);
});

// Quoted from the published texts (/work/shared/spec in the team's notes):
// guangdong-2026-guide.txt 第一部分 五(一) and 第三部分, fujian-2026-tracks.txt.
const SPEC_GD_VENUES = `
1. 数据要素×工业制造：深圳南山
2. 数据要素×现代农业：深圳南山
3. 数据要素×商贸流通：深圳前海
4. 数据要素×交通运输：深圳龙华
5. 数据要素×金融服务：深圳福田
6. 数据要素×科技创新：深圳南山
7. 数据要素×医疗健康：深圳南山
8. 数据要素×医疗保障：深圳南山
9. 数据要素×应急管理：深圳福田
10. 数据要素×气象服务：深圳前海
11. 数据要素×城市治理：深圳南山
12. 数据要素×绿色低碳：深圳福田
13. 数据要素×人力资源：深圳南山
14. 数据要素×体育发展：深圳南山
15. 数据要素×文物保护利用：深圳龙华
16. 数据要素×中医药：深圳南山
17. 数据要素×数据基础设施：深圳前海`;
const SPEC_HEALTH_GD = [
	'整合汇聚“三医”数据信息，构建“三医”协同发展和治理决策应用场景',
	'数据流通治理赋能重点人群疾病诊疗和健康管理',
	'医疗数据合规协同与“数据不出院”',
	'全流程智能医疗质量管理与风险预警',
];
const SPEC_HEALTH_FJ = [
	'整合汇聚“三医”数据信息，构建“三医”协同发展和治理决策应用场景',
	'数据流通治理赋能重点人群疾病诊疗和健康管理',
	'全流程智能医疗质量管理与风险预警',
];

test('titles and venues are those of the published spec texts', async () => {
	const { json: gd } = await getJson(srv, '/api/v1/competitions/guangdong-2026');
	const { json: fj } = await getJson(srv, '/api/v1/competitions/fujian-2026');
	const venueKey = { 深圳南山: 'nanshan', 深圳福田: 'futian', 深圳龙华: 'longhua', 深圳前海: 'qianhai' };
	const lines = SPEC_GD_VENUES.trim().split('\n');
	assert.equal(lines.length, 17);
	for (const line of lines) {
		const [, no, title, venue] = /^(\d+)\. (数据要素×.+)：(.+)$/.exec(line);
		const t = gd.tracks[Number(no) - 1];
		assert.equal(t.title, title, `track ${no}`);
		assert.equal(t.venue, venueKey[venue], `venue of ${title}`);
		assert.equal(gd.venues.find((v) => v.key === t.venue).short, venue);
	}
	for (const c of [gd, fj]) {
		const im = c.tracks[0];
		assert.equal(im.heading, '赛道一：工业制造赛道');
		assert.equal(im.topics[0].title, '数据驱动的高端产品智能设计与迭代');
		const di = c.tracks[16];
		assert.equal(di.heading, '赛道十七：数据基础设施赛道');
		assert.equal(di.topics[0].title, '数据基础设施原生应用场景赋能');
		assert.equal(di.topics[6].title, '绿色算电融合技术及运营模式探索');
		assert.equal(c.tracks[14].topics[0].title, '文物安全防护');
	}
	const gdHealth = gd.tracks.find((t) => t.name === '医疗健康');
	const fjHealth = fj.tracks.find((t) => t.name === '医疗健康');
	assert.equal(gdHealth.heading, '赛道七：医疗健康赛道');
	assert.deepEqual(gdHealth.topics.map((t) => t.title), SPEC_HEALTH_GD);
	assert.deepEqual(fjHealth.topics.map((t) => t.title), SPEC_HEALTH_FJ);
	assert.deepEqual(fjHealth.topics.map((t) => t.no), [1, 2, 3]);
});

test('/tracks returns {"items": [...]} with ids, the same tracks as the detail', async () => {
	for (const slug of ['guangdong-2026', 'fujian-2026']) {
		const res = await getJson(srv, `/api/v1/competitions/${slug}/tracks`);
		assert.deepEqual(Object.keys(res.json), ['items']);
		assert.equal(res.json.items.length, 17);
		const { json: detail } = await getJson(srv, `/api/v1/competitions/${slug}`);
		assert.deepEqual(res.json.items, detail.tracks);
		for (const t of res.json.items) {
			assert.ok(Number.isInteger(t.id));
			for (const tp of t.topics)
				assert.ok(Number.isInteger(tp.id));
		}
		assert.equal(res.headers['cache-control'], 'public, max-age=60, must-revalidate');
	}
});

test('an unknown sub-contest is a 404 in the error shape', async () => {
	for (const p of ['/api/v1/competitions/hainan-2026', '/api/v1/competitions/GUANGDONG-2026',
		'/api/v1/competitions/hainan-2026/tracks', '/api/v1/competitions/%E5%B9%BF%E4%B8%9C'])
		assertError(await request(srv, p), 404, 'competition_not_found', p);
});

test('ETag and If-None-Match give 304 with an empty body; caching is public', async () => {
	for (const p of ['/api/v1/competitions', '/api/v1/competitions/guangdong-2026',
		'/api/v1/competitions/fujian-2026/tracks']) {
		const first = await getJson(srv, p);
		const etag = first.headers.etag;
		assert.match(etag, /^"[0-9a-f]{32}"$/, `${p} ETag`);
		assert.equal(first.headers['cache-control'], 'public, max-age=60, must-revalidate');
		const again = await request(srv, p, { headers: { 'If-None-Match': etag } });
		assert.equal(again.status, 304, p);
		assert.equal(again.body.length, 0, `${p} 304 body is empty`);
		assert.equal(again.headers.etag, etag);
		assert.equal(again.headers['cache-control'], 'public, max-age=60, must-revalidate');
		assertSecurityHeaders(again, `${p} 304`);
		// A list of tags, and a weak comparison, still match.
		const listed = await request(srv, p, { headers: { 'If-None-Match': `"nope", W/${etag}` } });
		assert.equal(listed.status, 304);
		const stale = await request(srv, p, { headers: { 'If-None-Match': '"0123456789abcdef0123456789abcdef"' } });
		assert.equal(stale.status, 200);
		assert.deepEqual(stale.json, first.json);
	}
	const list = await getJson(srv, '/api/v1/competitions');
	const gd = await getJson(srv, '/api/v1/competitions/guangdong-2026');
	assert.notEqual(list.headers.etag, gd.headers.etag, 'each resource has its own ETag');
});

test('HEAD gives the headers of GET without a body', async () => {
	const get = await getJson(srv, '/api/v1/competitions/guangdong-2026');
	const head = await request(srv, '/api/v1/competitions/guangdong-2026', { method: 'HEAD' });
	assert.equal(head.status, 200);
	assert.equal(head.body.length, 0);
	assert.equal(head.headers.etag, get.headers.etag);
	assert.equal(head.headers['content-length'], String(get.body.length));
	assertSecurityHeaders(head, 'HEAD');
});

test('every response gets its own request id', async () => {
	const ids = new Set();
	for (let i = 0; i < 5; i++)
		ids.add((await request(srv, '/api/v1/competitions')).headers['x-request-id']);
	assert.equal(ids.size, 5);
	assert.ok(srv.alive());
});
