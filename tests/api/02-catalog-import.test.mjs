// 02-catalog-import: `saiwu catalog import` is idempotent, an edited catalog
// reaches a running server on the same database within ~2 s with track and
// topic ids kept, and a malformed file is refused naming the file and where.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
	startServer, createStore, runSaiwu, getJson, request, sleep, CATALOG_DIR,
} from './lib.mjs';

const SUMMARY = /catalog imported from (.+): (\d+) sub-contests, (\d+) tracks, (\d+) topics changed; (\d+) retired/;

function importCatalog(store, dir) {
	return runSaiwu(['catalog', 'import', ...store.storeArgs(), '--catalog-dir', dir]);
}

function counts(out) {
	const m = SUMMARY.exec(out);
	assert.ok(m, `import summary in ${JSON.stringify(out)}`);
	return { competitions: +m[2], tracks: +m[3], topics: +m[4], retired: +m[5] };
}

function copyCatalog(store, name) {
	const dir = path.join(store.dir, name);
	// The whole tree: forms/ and data/ sit beside the sub-contest files.
	fs.cpSync(CATALOG_DIR, dir, { recursive: true });
	return dir;
}

let store;
before(() => {
	store = createStore();
});
after(() => {
	store.destroy();
});

test('importing the catalog twice changes nothing the second time', () => {
	const first = importCatalog(store, CATALOG_DIR);
	assert.equal(first.status, 0, first.stderr);
	assert.deepEqual(counts(first.stdout), { competitions: 2, tracks: 34, topics: 241, retired: 0 });
	const second = importCatalog(store, CATALOG_DIR);
	assert.equal(second.status, 0, second.stderr);
	assert.deepEqual(counts(second.stdout), { competitions: 0, tracks: 0, topics: 0, retired: 0 });
});

test('an edited topic title reaches the running server within 2 s; ids stay', async () => {
	const srv = await startServer({ store });
	try {
		const before = (await getJson(srv, '/api/v1/competitions/guangdong-2026')).json;
		const etagBefore = (await request(srv, '/api/v1/competitions/guangdong-2026')).headers.etag;
		const listBefore = (await getJson(srv, '/api/v1/competitions')).json;

		const dir = copyCatalog(store, 'edited');
		const file = path.join(dir, 'guangdong-2026.json');
		const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
		const newTitle = '数据驱动的高端产品智能设计与迭代（修订）';
		doc.tracks[0].topics[0].title = newTitle;
		fs.writeFileSync(file, JSON.stringify(doc, null, '\t'));

		const imp = importCatalog(store, dir);
		assert.equal(imp.status, 0, imp.stderr);
		assert.deepEqual(counts(imp.stdout), { competitions: 0, tracks: 0, topics: 1, retired: 0 });

		let after;
		const deadline = Date.now() + 2500;
		for (;;) {
			after = (await getJson(srv, '/api/v1/competitions/guangdong-2026')).json;
			if (after.tracks[0].topics[0].title === newTitle || Date.now() > deadline)
				break;
			await sleep(100);
		}
		assert.equal(after.tracks[0].topics[0].title, newTitle, 'the server shows the new title');
		const etagAfter = (await request(srv, '/api/v1/competitions/guangdong-2026')).headers.etag;
		assert.notEqual(etagAfter, etagBefore, 'a changed body has a new ETag');
		// A browser holding the old ETag gets the new body, not a 304.
		const cond = await request(srv, '/api/v1/competitions/guangdong-2026', { headers: { 'If-None-Match': etagBefore } });
		assert.equal(cond.status, 200);

		// Same ids for every track and topic; nothing else changed.
		assert.deepEqual(after.tracks.map((t) => t.id), before.tracks.map((t) => t.id));
		assert.deepEqual(after.tracks.flatMap((t) => t.topics.map((tp) => tp.id)),
			before.tracks.flatMap((t) => t.topics.map((tp) => tp.id)));
		after.tracks[0].topics[0].title = before.tracks[0].topics[0].title;
		assert.deepEqual(after, before);
		const tracks = (await getJson(srv, '/api/v1/competitions/guangdong-2026/tracks')).json;
		assert.equal(tracks.items[0].topics[0].title, newTitle);
		// Counts in the list are unchanged; Fujian is untouched.
		assert.deepEqual((await getJson(srv, '/api/v1/competitions')).json, listBefore);

		// Importing the original files brings the old title back, same ids.
		const back = importCatalog(store, CATALOG_DIR);
		assert.equal(back.status, 0, back.stderr);
		assert.deepEqual(counts(back.stdout), { competitions: 0, tracks: 0, topics: 1, retired: 0 });
	} finally {
		const res = await srv.stop();
		assert.deepEqual(res, { code: 0, signal: null }, srv.stderr());
	}
});

test('a JSON syntax error is refused, naming the file, line and column', () => {
	const dir = copyCatalog(store, 'broken-syntax');
	const file = path.join(dir, 'fujian-2026.json');
	fs.writeFileSync(file, '{\n  "slug": "fujian-2026",\n  "name": oops\n}\n');
	const r = importCatalog(store, dir);
	assert.notEqual(r.status, 0);
	assert.ok(r.stderr.includes(file), r.stderr);
	assert.match(r.stderr, /fujian-2026\.json:3:\d+: /);
	assert.doesNotMatch(r.stdout, SUMMARY);
});

test('a wrong value deep in a file is refused with its JSON path, and nothing is stored', () => {
	const dir = copyCatalog(store, 'broken-value');
	const file = path.join(dir, 'guangdong-2026.json');
	const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
	doc.tracks[0].topics[0].title = 'fine now';
	doc.tracks[3].topics[2].title = 42;
	fs.writeFileSync(file, JSON.stringify(doc));
	const r = importCatalog(store, dir);
	assert.notEqual(r.status, 0);
	assert.ok(r.stderr.includes(file), r.stderr);
	assert.ok(r.stderr.includes('tracks[3].topics[2].title'), r.stderr);

	// The whole import was refused: the first (valid) edit is not stored.
	const again = importCatalog(store, CATALOG_DIR);
	assert.equal(again.status, 0, again.stderr);
	assert.deepEqual(counts(again.stdout), { competitions: 0, tracks: 0, topics: 0, retired: 0 });
});

test('duplicate keys and unknown venues are refused too', () => {
	const dir = copyCatalog(store, 'broken-dup');
	const file = path.join(dir, 'guangdong-2026.json');
	const text = fs.readFileSync(file, 'utf8');
	fs.writeFileSync(file, text.replace('"slug": "guangdong-2026",', '"slug": "guangdong-2026", "slug": "other",'));
	const r = importCatalog(store, dir);
	assert.notEqual(r.status, 0);
	assert.ok(r.stderr.includes(file), r.stderr);
	assert.match(r.stderr, /duplicate/i);

	const doc = JSON.parse(text);
	doc.tracks[5].venue = 'atlantis';
	fs.writeFileSync(file, JSON.stringify(doc));
	const v = importCatalog(store, dir);
	assert.notEqual(v.status, 0);
	assert.ok(v.stderr.includes('tracks[5].venue'), v.stderr);
	assert.match(v.stderr, /atlantis/);
});
