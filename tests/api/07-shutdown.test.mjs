// 07-shutdown: SIGTERM (and SIGINT) while requests are in flight — requests
// already begun are answered in full, idle keep-alive connections do not hold
// the exit up, and the process exits 0.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import {
	startServer, request, raw, rawRequest, sleep,
} from './lib.mjs';

const CSP = '/api/v1/csp-reports';

function reportBody(i) {
	return JSON.stringify({ 'csp-report': { 'document-uri': `http://127.0.0.1/page-${i}`, 'violated-directive': 'img-src' } });
}

test('SIGTERM lets requests in flight finish with full responses, then exits 0', async () => {
	const srv = await startServer();
	// Three uploads that have sent their headers and half their body.
	const slow = [0, 1, 2].map((i) => {
		const body = reportBody(i);
		const cut = Math.floor(body.length / 2);
		return raw(srv, [
			rawRequest('POST', CSP, { 'Content-Type': 'application/json', 'Content-Length': body.length }, body.slice(0, cut)),
			body.slice(cut),
		], { pauseMs: 700, timeout: 10000 });
	});
	// A keep-alive connection that is idle when the signal comes.
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	await new Promise((resolve, reject) => {
		http.get({ port: srv.port, path: '/healthz', agent }, (res) => {
			res.resume();
			res.on('end', resolve);
		}).on('error', reject);
	});
	await sleep(250);
	const t0 = Date.now();
	const stopped = srv.stop();
	const answers = await Promise.all(slow);
	for (const a of answers) {
		assert.equal(a.status, 204, a.raw.toString());
		assertShutdownHeaders(a);
	}
	const res = await stopped;
	const took = Date.now() - t0;
	agent.destroy();
	assert.deepEqual(res, { code: 0, signal: null }, srv.stderr());
	assert.ok(took < 5000, `stopped in ${took} ms, not after the 15 s grace`);
	const log = srv.stderr();
	assert.match(log, /signal 15: finishing requests in flight/);
	assert.match(log, /info stopped/);
	for (let i = 0; i < 3; i++)
		assert.ok(log.includes(`document=http://127.0.0.1/page-${i}`), `report ${i} was handled`);
	// After the exit nobody answers on the port.
	await assert.rejects(request(srv, '/healthz', { timeout: 2000 }), /ECONNREFUSED|ECONNRESET|socket hang up/);
});

function assertShutdownHeaders(res) {
	assert.match(res.headers['x-request-id'] || '', /^[0-9a-f]{16}$/);
	assert.ok(res.headers['content-security-policy']);
}

// Access lines of handled requests, and of those whose answer was dropped.
function accessLines(log, pathname) {
	const lines = log.split('\n').filter((l) => l.includes(` access GET ${pathname} `));
	return { done: lines.filter((l) => !l.endsWith(' aborted')), aborted: lines.filter((l) => l.endsWith(' aborted')) };
}

test('a burst of requests cut by SIGTERM: each one handled is answered in full', async () => {
	const srv = await startServer();
	const p = '/api/v1/competitions/guangdong-2026';
	const expected = (await request(srv, p)).body;
	assert.ok(expected.length > 50000, 'a large body, sent in several writes');
	const burst = [];
	for (let i = 0; i < 24; i++)
		burst.push(request(srv, p).then((r) => r, (e) => e));
	await sleep(20);
	const stopped = srv.stop();
	for (let i = 0; i < 8; i++)
		burst.push(request(srv, p).then((r) => r, (e) => e));
	const results = await Promise.all(burst);
	const res = await stopped;
	assert.deepEqual(res, { code: 0, signal: null }, srv.stderr());
	let complete = 0;
	for (const r of results) {
		if (r instanceof Error) {
			// Refused or reset before any response started: never half a body.
			assert.match(r.message, /ECONNREFUSED|ECONNRESET|socket hang up/, r.message);
			continue;
		}
		assert.equal(r.status, 200);
		assert.equal(Number(r.headers['content-length']), r.body.length, 'the whole body');
		assert.ok(r.body.equals(expected));
		complete++;
	}
	// What the server did, the client got: no request ran with its answer lost.
	const { done, aborted } = accessLines(srv.stderr(), p);
	assert.deepEqual(aborted, []);
	assert.equal(done.length, complete + 1);
});

test('a request sent just as SIGTERM arrives is answered or refused, never run and dropped', async () => {
	// The signal goes out in the same tick as the request: the race between
	// the server reading the request and the server stopping, 12 times over.
	for (let k = 0; k < 12; k++) {
		const srv = await startServer();
		const got = await new Promise((resolve) => {
			const sock = net.connect(srv.port, '127.0.0.1');
			const chunks = [];
			sock.on('data', (c) => chunks.push(c));
			sock.on('error', (e) => resolve({ error: e.code }));
			sock.on('close', () => resolve({ text: Buffer.concat(chunks).toString('latin1') }));
			sock.on('connect', () => {
				sock.write(rawRequest('GET', '/healthz'));
				srv.proc.kill('SIGTERM');
			});
		});
		assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.stderr());
		const { done, aborted } = accessLines(srv.stderr(), '/healthz');
		assert.deepEqual(aborted, [], `round ${k}: a request was run but its answer dropped`);
		if (done.length) {
			assert.ok(got.text && got.text.startsWith('HTTP/1.1 200 OK'), `round ${k}: handled but not answered: ${JSON.stringify(got)}`);
			assert.ok(got.text.endsWith('"database":"ok","driver":"' + (srv.databaseUrl ? 'postgresql' : 'sqlite') + '"}'), `round ${k}: the whole body`);
		} else {
			assert.ok(!got.text, `round ${k}: an answer without an access line`);
		}
	}
});

test('SIGINT stops the server cleanly too', async () => {
	const srv = await startServer();
	assert.equal((await request(srv, '/healthz')).status, 200);
	srv.proc.kill('SIGINT');
	const { code, signal } = await srv.exited;
	assert.equal(signal, null);
	assert.equal(code, 0);
	assert.match(srv.stderr(), /signal 2: finishing requests in flight/);
	await srv.stop();
});
