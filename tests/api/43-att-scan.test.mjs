// 43-att-scan: virus scanning of uploads, with a signature database made
// here: one ClamAV body signature (.ndb) matching a marker string anywhere
// in a file. scan=libclamav loads it into the server; scan=clamd streams
// each upload to a clamd of our own (its socket and database in a
// temporary directory). An infected file is refused (422 infected, naming
// the signature) and leaves no row and no blob; a clean one passes; a
// scanner that cannot be reached refuses (503), never passes.
//
// Needs clamd (Debian package clamav-daemon) and libclamav; a missing
// clamd fails the clamd tests, it does not skip them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { assertError, eventually, startServer, tmpDir } from './lib.mjs';
import { APP_ARGS, createApp, newApplicant, startAppServer } from './app-fixtures.mjs';
import { blobState, docxEntries, listAtt, pdf, upload, uploadOk, zip } from './att-lib.mjs';

const MARKER = 'SAIWU-ATTACHMENT-TEST-SIGNATURE-2026-7f3a9c';
const SIG = 'Saiwu.Test.Marker-1';

let work;
let dbDir;

before(() => {
	work = tmpDir('saiwu-scan-');
	dbDir = path.join(work, 'db');
	fs.mkdirSync(dbDir);
	// name:target:offset:hex — target 0 is any file, offset * anywhere.
	fs.writeFileSync(path.join(dbDir, 'saiwu-test.ndb'), `${SIG}:0:*:${Buffer.from(MARKER).toString('hex')}\n`);
});

after(() => {
	if (work)
		fs.rmSync(work, { recursive: true, force: true });
});

const infectedPdf = () => pdf(`report ${MARKER} end`);
// The marker deflated inside a .docx: found only by a scanner that opens zips.
const infectedDocx = () => {
	const e = docxEntries(`正文 ${MARKER} 结束`);
	e[2].method = 8;
	return zip(e);
};

// Upload checks shared by both scanners.
async function scanChecks(server) {
	const c = await newApplicant(server);
	const id = (await createApp(c, 'guangdong-2026', { attach: false })).id;
	const before = await blobState(server);
	for (const [name, body] of [['报告.pdf', infectedPdf()], ['合同.docx', infectedDocx()]]) {
		assert.ok(!body.includes(MARKER) || name.endsWith('.pdf'), 'the docx hides the marker in deflate');
		const res = await upload(c, id, 'qualification', name, body);
		assertError(res, 422, 'infected', name);
		assert.ok(res.json.error.message.includes(SIG), `${name}: ${res.json.error.message}`);
		assert.match(res.json.error.message, /病毒扫描/);
	}
	await eventually(async () => assert.deepEqual(await blobState(server), { tmp: [], blobs: before.blobs }));
	assert.deepEqual((await listAtt(c, id)).files, [], 'no row for an infected file');
	const clean = await uploadOk(c, id, 'qualification', '干净.pdf', pdf('clean'));
	assert.equal(clean.kind, 'pdf');
	assert.deepEqual((await listAtt(c, id)).files.map((f) => f.id), [clean.id]);
	return { c, id };
}

test('scan=libclamav with a signature made at test time: infected → 422 naming it, clean → 201', async () => {
	const server = await startAppServer({ args: ['--scan', 'libclamav', '--clamav-db-dir', dbDir] });
	try {
		await scanChecks(server);
		assert.match(server.stderr(), /libclamav: 1 signatures loaded/);
	} finally {
		await server.stop();
	}
});

test('scan=libclamav will not start on a database without signatures', async () => {
	const empty = path.join(work, 'empty-db');
	fs.mkdirSync(empty);
	await assert.rejects(startServer({ args: [...APP_ARGS, '--scan', 'libclamav', '--clamav-db-dir', empty] }),
		(e) => /clamav/i.test(e.message) && /saiwu exited/.test(e.message));
});

// Starts clamd in the foreground on a socket of our own; resolves once it
// answers PING.
async function startClamd() {
	const found = spawnSync('sh', ['-c', 'command -v clamd || ls /usr/sbin/clamd'], { encoding: 'utf8' });
	const bin = found.stdout.trim().split('\n')[0];
	assert.ok(found.status === 0 && bin, 'clamd is not installed (Debian package clamav-daemon)');
	const dir = path.join(work, 'clamd');
	fs.mkdirSync(dir, { recursive: true });
	const sock = path.join(dir, 'clamd.sock');
	const conf = path.join(dir, 'clamd.conf');
	fs.writeFileSync(conf, [
		`LocalSocket ${sock}`, `DatabaseDirectory ${dbDir}`, 'Foreground yes',
		`LogFile ${path.join(dir, 'clamd.log')}`, `TemporaryDirectory ${dir}`, 'StreamMaxLength 100M', '',
	].join('\n'));
	const proc = spawn(bin, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
	let err = '';
	proc.stderr.setEncoding('utf8');
	proc.stderr.on('data', (d) => { err += d; });
	const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
	const ping = () => new Promise((resolve) => {
		const s = net.connect(sock);
		let got = '';
		s.on('connect', () => s.write('zPING\0'));
		s.on('data', (d) => { got += d; });
		s.on('error', () => resolve(''));
		s.on('close', () => resolve(got));
	});
	try {
		await eventually(async () => {
			assert.equal(proc.exitCode, null, `clamd exited: ${err}`);
			assert.match(await ping(), /PONG/);
		}, 30000);
	} catch (e) {
		proc.kill('SIGKILL');
		throw e;
	}
	return {
		sock,
		async stop() {
			if (proc.exitCode === null && proc.signalCode === null)
				proc.kill('SIGTERM');
			await exited;
		},
	};
}

test('scan=clamd with the same signature: infected → 422, clean → 201; clamd gone → 503, nothing kept', async () => {
	const clamd = await startClamd();
	let server;
	try {
		server = await startAppServer({ args: ['--scan', 'clamd', '--clamd-socket', clamd.sock] });
		const { c, id } = await scanChecks(server);
		// Failure is never a pass: with clamd stopped, uploads are refused.
		await clamd.stop();
		const st = await blobState(server);
		const res = await upload(c, id, 'qualification', '扫描不了.pdf', pdf('unscanned'));
		assertError(res, 503, 'scan_failed', 'clamd down');
		await eventually(async () => assert.deepEqual(await blobState(server), st));
		assert.equal((await listAtt(c, id)).files.length, 1);
	} finally {
		await server?.stop();
		await clamd.stop();
	}
});
