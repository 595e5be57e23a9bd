// 08-migrate: `saiwu migrate` on a fresh database applies every migration and
// says how many; a second run applies none; `serve` and `migrate` agree on
// the schema, in either order.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
	createStore, runSaiwu, startServer, request, STORE,
} from './lib.mjs';

const SUMMARY = /^migrations applied: (\d+); schema version: (\d+)$/m;

function migrate(store) {
	const r = runSaiwu(['migrate', ...store.storeArgs()]);
	assert.equal(r.status, 0, r.stderr);
	const m = SUMMARY.exec(r.stdout);
	assert.ok(m, `summary line in ${JSON.stringify(r.stdout)}`);
	return { applied: Number(m[1]), version: Number(m[2]), stderr: r.stderr };
}

test('a fresh database gets every migration once', () => {
	const store = createStore();
	try {
		fs.mkdirSync(store.dataDir, { recursive: true });
		const first = migrate(store);
		assert.ok(first.applied >= 1, `applied ${first.applied}`);
		assert.ok(first.version >= first.applied, 'the version is the newest migration');
		const second = migrate(store);
		assert.deepEqual({ applied: second.applied, version: second.version }, { applied: 0, version: first.version });
		if (STORE === 'sqlite')
			assert.ok(fs.existsSync(`${store.dataDir}/saiwu.db`), 'the SQLite file is in data_dir');
	} finally {
		store.destroy();
	}
});

test('serve migrates a fresh database itself; migrate afterwards has nothing to do', async () => {
	const store = createStore();
	try {
		const srv = await startServer({ store });
		assert.equal((await request(srv, '/healthz')).status, 200);
		assert.equal((await request(srv, '/api/v1/competitions')).json.items.length, 2);
		assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.stderr());
		assert.equal(migrate(store).applied, 0);
		// And a server on an up-to-date database starts and serves the same.
		const again = await startServer({ store });
		assert.equal((await request(again, '/api/v1/competitions')).json.items.length, 2);
		assert.doesNotMatch(again.stderr(), /applied migration/);
		assert.deepEqual(await again.stop(), { code: 0, signal: null }, again.stderr());
	} finally {
		store.destroy();
	}
});

test('migrate refuses an unexpected argument and a database it cannot open', () => {
	const store = createStore();
	try {
		const extra = runSaiwu(['migrate', ...store.storeArgs(), 'now']);
		assert.equal(extra.status, 2);
		const bad = runSaiwu(['migrate', '--database-url', `${store.dir}/no/such/dir/x.db`]);
		assert.notEqual(bad.status, 0);
		assert.match(bad.stderr, /^saiwu: /m);
		assert.doesNotMatch(bad.stdout, SUMMARY);
	} finally {
		store.destroy();
	}
});
