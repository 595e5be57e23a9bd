// 05-static: the built front end — index.html for the SPA's routes, hashed
// assets cached for a year, precompressed .gz when the client accepts gzip,
// ETag revalidation, 404s, path traversal attempts sent raw over node:net
// (never leaking a file beside the web dir), and the built-in page when
// there is no front end.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {
	startServer, request, raw, rawRequest, assertError, assertSecurityHeaders, tmpDir,
} from './lib.mjs';

const SECRET = 'TOP-SECRET-4f1c2a9e';
const INDEX = '<!doctype html><html><head><title>赛务</title></head><body><div id="app"></div></body></html>\n';
const JS = `console.log(${JSON.stringify('hello '.repeat(200))});\n`;

let root;
let web;
let srv;
before(async () => {
	// root/secret, root/web/{index.html,assets/…}, and a secret in the
	// assets' parent to tempt every traversal.
	root = tmpDir('saiwu-static-');
	web = path.join(root, 'web');
	fs.mkdirSync(path.join(web, 'assets'), { recursive: true });
	fs.writeFileSync(path.join(root, 'secret'), SECRET);
	fs.writeFileSync(path.join(web, 'index.html'), INDEX);
	fs.writeFileSync(path.join(web, 'robots.txt'), 'User-agent: *\n');
	fs.writeFileSync(path.join(web, 'assets', 'app.abc123.js'), JS);
	fs.writeFileSync(path.join(web, 'assets', 'app.abc123.js.gz'), zlib.gzipSync(JS));
	fs.writeFileSync(path.join(web, 'assets', 'app.abc123.css'), 'body{margin:0}\n');
	srv = await startServer({ webDir: web });
});
after(async () => {
	assert.ok(srv.alive(), 'the server survived every request of this file');
	const res = await srv.stop();
	assert.deepEqual(res, { code: 0, signal: null }, srv.stderr());
	fs.rmSync(root, { recursive: true, force: true });
});

test('/ and the SPA routes serve index.html, revalidated every time', async () => {
	for (const p of ['/', '/index.html', '/some/spa/route', '/competitions/guangdong-2026', '/my?tab=2']) {
		const res = await request(srv, p);
		assert.equal(res.status, 200, p);
		assert.equal(res.text, INDEX, p);
		assert.equal(res.headers['content-type'], 'text/html; charset=utf-8', p);
		assert.equal(res.headers['cache-control'], 'no-cache', p);
		assert.ok(res.headers.etag, `${p} ETag`);
		assertSecurityHeaders(res, p);
	}
});

test('hashed assets are immutable for a year', async () => {
	const res = await request(srv, '/assets/app.abc123.js');
	assert.equal(res.status, 200);
	assert.equal(res.text, JS);
	assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
	assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
	assert.equal(res.headers['content-encoding'], undefined);
	assert.equal(res.headers.vary, 'Accept-Encoding');
	assertSecurityHeaders(res, 'asset');
	const css = await request(srv, '/assets/app.abc123.css');
	assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
	// Files outside assets/ are cached briefly.
	const robots = await request(srv, '/robots.txt');
	assert.equal(robots.status, 200);
	assert.equal(robots.headers['cache-control'], 'public, max-age=300');
	assert.equal(robots.headers['content-type'], 'text/plain; charset=utf-8');
});

test('with Accept-Encoding: gzip the precompressed file is sent', async () => {
	const gz = fs.readFileSync(path.join(web, 'assets', 'app.abc123.js.gz'));
	const res = await request(srv, '/assets/app.abc123.js', { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
	assert.equal(res.status, 200);
	assert.equal(res.headers['content-encoding'], 'gzip');
	assert.equal(res.headers.vary, 'Accept-Encoding');
	assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
	assert.ok(res.body.equals(gz), 'the .gz bytes as they are on disk');
	assert.equal(zlib.gunzipSync(res.body).toString(), JS);
	const plain = await request(srv, '/assets/app.abc123.js');
	assert.notEqual(res.headers.etag, plain.headers.etag, 'the two encodings have different ETags');
	// No .gz beside the file: sent as it is.
	const css = await request(srv, '/assets/app.abc123.css', { headers: { 'Accept-Encoding': 'gzip' } });
	assert.equal(css.headers['content-encoding'], undefined);
	assert.equal(css.text, 'body{margin:0}\n');
});

test('ETag and If-None-Match give 304 with an empty body', async () => {
	for (const [p, headers] of [['/assets/app.abc123.js', {}], ['/assets/app.abc123.js', { 'Accept-Encoding': 'gzip' }], ['/', {}]]) {
		const first = await request(srv, p, { headers });
		const etag = first.headers.etag;
		assert.match(etag, /^"[^"]+"$/);
		const again = await request(srv, p, { headers: { ...headers, 'If-None-Match': etag } });
		assert.equal(again.status, 304, p);
		assert.equal(again.body.length, 0);
		assert.equal(again.headers.etag, etag);
		assertSecurityHeaders(again, `${p} 304`);
	}
	const other = await request(srv, '/assets/app.abc123.js', { headers: { 'If-None-Match': '"something-else"' } });
	assert.equal(other.status, 200);
});

test('a missing file with an extension is a JSON 404, not index.html', async () => {
	for (const p of ['/assets/nope.js', '/favicon.ico', '/assets/app.abc123.js.map', '/nope/x.css'])
		assertError(await request(srv, p), 404, 'not_found', p);
});

test('path traversal never leaks a file outside the web dir', async () => {
	const attempts = [
		'/../secret', '/%2e%2e/secret', '/%2E%2E/secret', '/assets/%2e%2e/%2e%2e/secret', '/assets/../../secret',
		'//etc/passwd', '///etc/passwd', '/assets/..%2f..%2fsecret', '/assets%2f..%2f..%2fsecret',
		'/..%2fsecret', '/.%2e/secret', '/%2e./secret', '/..', '/%2e%2e', '/.', '/./index.html',
		'/assets/./app.abc123.js', '/assets//app.abc123.js',
		'/../secret%00.js', '/secret%00', '/%00../secret', '/index.html%00.js',
		'/..\\secret', '/assets\\..\\..\\secret', '/%5c..%5csecret', '/assets/%5C..%5C..%5Csecret',
		'/%c0%ae%c0%ae/secret', '/%e0%80%ae%e0%80%ae/secret', '/assets/..', '/assets/.',
	];
	for (const p of attempts) {
		const res = await raw(srv, rawRequest('GET', p));
		assert.ok(res.status >= 400 && res.status < 500, `${p} → ${res.status}`);
		assert.ok(!res.text.includes(SECRET), `${p} leaked the secret`);
		assert.ok(!res.text.includes('root:'), `${p} leaked /etc/passwd`);
		assertError(res, res.status, undefined, p);
	}
	// Look-alikes are decoded once and name no real file: the SPA's page.
	for (const p of ['/%252e%252e/secret', '/..;/secret', '/.../secret', '/assets/%252e%252e%252fsecret']) {
		const res = await raw(srv, rawRequest('GET', p));
		assert.equal(res.status, 200, p);
		assert.equal(res.text, INDEX, p);
	}
	// Dot segments are refused, not normalised: no second spelling of a file.
	assertError(await raw(srv, rawRequest('GET', '/assets/./app.abc123.js')), 400, 'bad_path');
	assertError(await raw(srv, rawRequest('GET', '/%2e%2e/secret')), 400, 'bad_path');
	// Absolute-form targets and HEAD are no way around it either.
	for (const target of ['http://127.0.0.1/../secret', '../secret'])
		assert.ok(!(await raw(srv, rawRequest('GET', target))).text.includes(SECRET), target);
	const head = await raw(srv, rawRequest('HEAD', '/../secret'));
	assert.equal(head.status, 400);
	assert.ok(srv.alive());
});

test('without a web dir the built-in page says what the server is', async () => {
	const bare = await startServer({ webDir: path.join(root, 'does-not-exist') });
	try {
		for (const p of ['/', '/index.html', '/some/spa/route']) {
			const res = await request(bare, p);
			assert.equal(res.status, 200, p);
			assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
			assert.match(res.text, /saiwu/);
			assert.match(res.text, /\/api\/v1\/competitions/);
			assert.equal(res.headers['cache-control'], 'no-cache');
			assertSecurityHeaders(res, `built-in ${p}`);
		}
		assertError(await request(bare, '/assets/app.js'), 404, 'not_found');
		assertError(await raw(bare, rawRequest('GET', '/../secret')), 400, 'bad_path');
		// The API does not depend on the front end.
		assert.equal((await request(bare, '/api/v1/competitions')).status, 200);
	} finally {
		const res = await bare.stop();
		assert.deepEqual(res, { code: 0, signal: null }, bare.stderr());
	}
});
