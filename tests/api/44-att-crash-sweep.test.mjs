// 44-att-crash-sweep.test.mjs: the temp file of an upload cut short by a
// kill -9 is removed when the server starts again — at once, however new
// it is — while the temp file of an upload still streaming into another
// saiwu process on the same data directory is left alone (each writer
// holds a lock on its file; the kernel drops it with the process).
// tests/crash/crashtest.mjs checks the same under load, 200 times over.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createStore, eventually, startServer } from './lib.mjs';
import { APP_ARGS, createApp, newApplicant, newStaff } from './app-fixtures.mjs';
import { attUrl, blobState, download, listAtt, openRaw, padTo, pdf, sha256, sql, uploadOk, within } from './att-lib.mjs';

const MB = 1 << 20;

// Sends the first half of body as an upload into the qualification slot
// and waits until the server has its temp file. Returns the open request.
async function halfUpload(srv, c, id, body, name) {
	const r = await openRaw(c, 'PUT', attUrl(id, 'qualification', name), { contentLength: body.length });
	for (let i = 0; i < body.length / 2; i += 256 * 1024)
		assert.ok(await r.write(body.subarray(i, Math.min(i + 256 * 1024, body.length / 2))), 'the server is reading');
	await eventually(async () => {
		const st = await blobState(srv);
		assert.ok(st.tmp.length >= 1, 'the upload has its temp file');
	}, 5000);
	return r;
}

test('a killed upload\'s temp file goes at the next start; a live one of another process stays', async () => {
	const store = createStore();
	const servers = [];
	const start = async () => {
		const s = await startServer({ store, args: APP_ARGS });
		servers.push(s);
		return s;
	};
	try {
		const a = await start();
		const c = await newApplicant(a);
		const { id } = await createApp(c, 'guangdong-2026', { attach: false });

		// A live upload on A; B starts on the same data directory meanwhile.
		const live = padTo(pdf('live upload'), 4 * MB);
		const up = await halfUpload(a, c, id, live, '在传.pdf');
		const [tmpName] = (await blobState(a)).tmp;
		assert.match(tmpName, /^blob-[A-Za-z0-9_-]+\.tmp$/);
		const b = await start();
		assert.ok((await blobState(b)).tmp.includes(tmpName), 'B\'s start-up sweep keeps A\'s live temp file');
		assert.doesNotMatch(b.stderr(), /removed \d+ upload temp file/, 'B removed nothing');
		for (let i = live.length / 2; i < live.length; i += 256 * 1024)
			await up.write(live.subarray(i, Math.min(i + 256 * 1024, live.length)));
		const done = await within(up.response, 20000, null);
		up.destroy();
		assert.ok(done, 'A answers the finished upload');
		assert.equal(done.status, 201, done.text);
		assert.equal(done.json.sha256, sha256(live));

		// An upload cut short by kill -9: its file stays while no saiwu
		// starts (B does not sweep while it runs) …
		const cut = await halfUpload(a, c, id, padTo(pdf('killed upload'), 4 * MB), '断电.pdf');
		const left = (await blobState(a)).tmp;
		assert.equal(left.length, 1, JSON.stringify(left));
		a.proc.kill('SIGKILL');
		await a.exited;
		cut.destroy();
		assert.deepEqual((await blobState(b)).tmp, left, 'the killed process\'s temp file is still there');
		// … and the next start removes it at once, a second after the kill.
		const a2 = await start();
		assert.deepEqual((await blobState(a2)).tmp, [], 'no temp file after the restart');
		assert.match(a2.stderr(), /removed 1 upload temp file left by a stopped process/);
		// What was acknowledged is there, through the restarted server too.
		c.server = a2;
		const files = (await listAtt(c, id)).files.filter((f) => !f.deleted_at);
		assert.deepEqual(files.map((f) => f.sha256), [sha256(live)]);
	} finally {
		for (const s of servers)
			if (s.alive())
				await s.stop();
		store.destroy();
	}
});

// An upload records its storage key before the file is stored and forgets
// it with the row's commit. A kill -9 in between leaves the key; the next
// start removes the file unless a row (of attachments or export_jobs)
// names it. Made here by hand in the stopped server's store: one of each
// case the sweep tells apart.
test('a stored file whose row never committed goes at the next start; one named by a row stays', async () => {
	const store = createStore();
	let a = await startServer({ store, args: APP_ARGS });
	try {
		const c = await newApplicant(a);
		const { id } = await createApp(c, 'guangdong-2026', { attach: false });
		const body = pdf('kept');
		const up = await uploadOk(c, id, 'qualification', '资质.pdf', body);
		const kept = sql(a, `SELECT storage_key FROM attachments WHERE id = ${Number(up.id)}`);
		// A background export stores its file the same way.
		const rev = await newStaff(a, ['reviewer:guangdong-2026'], 'swrev');
		const jobs = '/api/v1/review/competitions/guangdong-2026/exports';
		const started = await rev.post(jobs, { format: 'xlsx' });
		assert.equal(started.status, 202, started.text);
		let job;
		await eventually(async () => {
			job = (await rev.get(`${jobs}/${started.json.id}`)).json;
			assert.equal(job.status, 'done', JSON.stringify(job));
		}, 20000);
		const exported = sql(a, `SELECT storage_key FROM export_jobs WHERE id = ${Number(started.json.id)}`);
		assert.equal(sql(a, 'SELECT COUNT(*) FROM blob_intents'), '0', 'an acknowledged upload and a finished export forgot their keys');
		await a.stop();

		// Keys of the stored form: two characters, a slash, the rest.
		const key = (ch) => `${ch}${ch}/${crypto.randomBytes(48).toString('base64url').slice(0, kept.length - 3)}`;
		const orphan = key('q'), early = key('r'), stale = key('s');
		const files = path.join(a.dataDir, 'files');
		fs.mkdirSync(path.join(files, orphan.slice(0, 2)), { recursive: true });
		fs.writeFileSync(path.join(files, orphan), 'stored, row never committed');
		const now = Math.floor(Date.now() / 1000);
		sql(a, `INSERT INTO blob_intents (storage_key, created_at) VALUES ('${kept}', ${now}), ('${orphan}', ${now}), ` +
			`('${early}', ${now}), ('${stale}', ${now - 3600}), ('${exported}', ${now})`);

		a = await startServer({ store, args: APP_ARGS });
		assert.ok(!fs.existsSync(path.join(files, orphan)), 'the file no row names is gone');
		assert.match(a.stderr(), /removed 1 stored file of uploads or exports cut short/);
		assert.deepEqual(sql(a, 'SELECT storage_key FROM blob_intents ORDER BY storage_key').split('\n'), [early],
			'only the key of a file not there yet is kept (an upload of another process may be about to store it)');
		c.server = a;
		const res = await download(c, id, up.id);
		assert.equal(res.status, 200);
		assert.ok(res.body.equals(body), 'the file its row names is kept');
		rev.server = a;
		const file = await rev.get(`${jobs}/${started.json.id}/file`);
		assert.equal(file.status, 200, 'the export its job names is kept');
		assert.ok(fs.existsSync(path.join(files, exported)));
	} finally {
		if (a.alive())
			await a.stop();
		store.destroy();
	}
});
