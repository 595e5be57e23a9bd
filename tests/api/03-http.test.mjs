// 03-http: the HTTP layer as any client meets it — unknown paths, wrong
// methods (405 with Allow), body caps (413 before the body is read, also
// chunked), strict JSON on POST /api/v1/csp-reports, malformed request paths,
// and the security headers and Cache-Control of every kind of response.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {
	startServer, request, raw, rawRequest, rawConversation, assertError, assertSecurityHeaders, eventually,
} from './lib.mjs';

const CSP = '/api/v1/csp-reports';
const JSON_CT = { 'Content-Type': 'application/json' };
const report = {
	'csp-report': {
		'document-uri': 'http://127.0.0.1/registration',
		'violated-directive': 'script-src',
		'blocked-uri': 'https://evil.example/x.js',
	},
};

let srv;
before(async () => {
	srv = await startServer();
});
after(async () => {
	assert.ok(srv.alive(), 'the server survived every request of this file');
	const res = await srv.stop();
	assert.deepEqual(res, { code: 0, signal: null }, srv.stderr());
});

function post(body, headers = JSON_CT) {
	return request(srv, CSP, { method: 'POST', headers, body });
}

test('an unknown /api path is a JSON 404', async () => {
	for (const p of ['/api', '/api/', '/api/v1', '/api/v1/nope', '/api/v2/competitions',
		'/api/v1/competitions/', '/api/v1/competitions/guangdong-2026/tracks/x',
		'/api/v1/competitions//tracks'])
		assertError(await request(srv, p), 404, 'not_found', p);
	// Not a page of the web app either, for any method.
	assertError(await request(srv, '/api/v1/nope', { method: 'POST', headers: JSON_CT, body: '{}' }), 404, 'not_found');
});

test('a wrong method is a 405 naming the allowed ones', async () => {
	const cases = [
		['DELETE', '/api/v1/competitions', 'GET, HEAD'],
		['POST', '/api/v1/competitions/guangdong-2026', 'GET, HEAD'],
		['PUT', '/api/v1/competitions/guangdong-2026/tracks', 'GET, HEAD'],
		['PATCH', '/healthz', 'GET, HEAD'],
		['GET', CSP, 'POST'],
		['OPTIONS', CSP, 'POST'],
		['BREW', '/api/v1/competitions', 'GET, HEAD'],
		['POST', '/', 'GET, HEAD'],
		['DELETE', '/some/page', 'GET, HEAD'],
	];
	for (const [method, p, allow] of cases) {
		const res = await request(srv, p, { method });
		assertError(res, 405, 'method_not_allowed', `${method} ${p}`);
		assert.equal(res.headers.allow, allow, `Allow of ${method} ${p}`);
	}
	// With a body the answer is the same, sent without reading the body.
	const res = await request(srv, '/api/v1/competitions', { method: 'POST', headers: JSON_CT, body: '{"a":1}' });
	assertError(res, 405, 'method_not_allowed');
	assert.equal(res.headers.allow, 'GET, HEAD');
});

test('a valid CSP report is accepted with 204, as application/json or application/csp-report', async () => {
	const a = await post(JSON.stringify(report));
	assert.equal(a.status, 204, a.text);
	assert.equal(a.body.length, 0);
	assertSecurityHeaders(a, 'csp 204');
	assert.equal(a.headers['cache-control'], 'no-store');
	const b = await post(JSON.stringify(report), { 'Content-Type': 'application/csp-report' });
	assert.equal(b.status, 204, b.text);
	const c = await post(JSON.stringify(report), { 'Content-Type': 'application/json; charset=utf-8' });
	assert.equal(c.status, 204, c.text);
	await eventually(() => assert.match(srv.stderr(), /csp-report document=http:\/\/127\.0\.0\.1\/registration directive=script-src/));
});

test('strict JSON: duplicate keys, bad UTF-8, non-objects, empty and truncated bodies are 400', async () => {
	const cases = [
		['duplicate keys', '{"csp-report":{},"csp-report":{"x":1}}', 'invalid_json'],
		['nested duplicate keys', '{"csp-report":{"a":1,"a":2}}', 'invalid_json'],
		['invalid UTF-8', Buffer.concat([Buffer.from('{"csp-report":{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]), 'invalid_json'],
		['overlong UTF-8', Buffer.concat([Buffer.from('{"csp-report":{"a":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}}')]), 'invalid_json'],
		['NUL escape', '{"csp-report":{"a":"\\u0000"}}', 'invalid_json'],
		['array', '[1,2]', 'invalid_json'],
		['string', '"csp-report"', 'invalid_json'],
		['number', '42', 'invalid_json'],
		['null', 'null', 'invalid_json'],
		['empty body', '', 'invalid_json'],
		['truncated', '{"csp-report":{', 'invalid_json'],
		['trailing garbage', '{"csp-report":{}} x', 'invalid_json'],
		['deep nesting', '['.repeat(5000), 'invalid_json'],
		['object without csp-report', '{"other":1}', 'invalid_report'],
		['csp-report not an object', '{"csp-report":"x"}', 'invalid_report'],
	];
	for (const [name, body, code] of cases)
		assertError(await post(body), 400, code, name);
	// An empty POST with no Content-Length at all.
	assertError(await request(srv, CSP, { method: 'POST', headers: JSON_CT }), 400, 'invalid_json', 'no body');
});

test('a body of the wrong type is a 415', async () => {
	const body = JSON.stringify(report);
	for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx',
		'multipart/form-data; boundary=x', 'application/csp-reportx', 'json'])
		assertError(await post(body, { 'Content-Type': ct }), 415, 'unsupported_media_type', ct);
	assertError(await post(body, {}), 415, 'unsupported_media_type', 'no Content-Type');
});

test('a declared Content-Length over the cap is refused with 413 before the body is sent', async () => {
	const res = await raw(srv, rawRequest('POST', CSP, { ...JSON_CT, 'Content-Length': '10000000' }, '{"csp'),
		{ timeout: 5000 });
	assertError(res, 413, 'body_too_large');
	assert.ok(res.elapsedMs < 2000, `answered in ${res.elapsedMs} ms`);
	assert.match(res.json.error.message, /16384/);
	// Exactly at the cap is fine as far as size goes.
	const pad = 'x'.repeat(16384 - JSON.stringify({ 'csp-report': { p: '' } }).length);
	const atCap = JSON.stringify({ 'csp-report': { p: pad } });
	assert.equal(Buffer.byteLength(atCap), 16384);
	assert.equal((await post(atCap)).status, 204);
	const over = JSON.stringify({ 'csp-report': { p: `${pad}x` } });
	assertError(await post(over), 413, 'body_too_large', 'one byte over');
	// Routes without a body take none.
	assertError(await request(srv, '/api/v1/competitions', { headers: { 'Content-Length': '5' }, body: 'hello' }),
		413, 'body_too_large', 'GET with a body');
});

test('Expect: 100-continue gets 100 then the answer, or a 413 instead of 100', async () => {
	const body = JSON.stringify(report);
	const talk = (cl) => new Promise((resolve, reject) => {
		const sock = net.connect(srv.port, '127.0.0.1');
		let acc = Buffer.alloc(0);
		sock.on('data', (c) => {
			acc = Buffer.concat([acc, c]);
			// Send the body only when the server asks for it.
			if (acc.toString('latin1').endsWith('100 Continue\r\n\r\n'))
				sock.write(body);
		});
		sock.on('close', () => resolve(acc.toString('utf8')));
		sock.on('error', reject);
		sock.write(rawRequest('POST', CSP, { ...JSON_CT, 'Content-Length': cl, Expect: '100-continue' }));
		setTimeout(() => sock.destroy(), 3000);
	});
	const ok = await talk(String(Buffer.byteLength(body)));
	assert.deepEqual([...ok.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]), ['100', '204']);
	const big = await talk('10000000');
	assert.deepEqual([...big.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]), ['413']);
	assert.match(big, /"code":"body_too_large"/);
});

test('a chunked body over the cap is a 413', async () => {
	const chunk = 'a'.repeat(4096);
	let body = '';
	for (let i = 0; i < 6; i++)
		body += `${chunk.length.toString(16)}\r\n${chunk}\r\n`;
	body += '0\r\n\r\n';
	const res = await raw(srv, rawRequest('POST', CSP, { ...JSON_CT, 'Transfer-Encoding': 'chunked' }, body));
	assertError(res, 413, 'body_too_large');
	// A client that never stops sending gets cut off rather than read forever.
	const endless = await raw(srv, rawRequest('POST', CSP, { ...JSON_CT, 'Transfer-Encoding': 'chunked' }), {
		timeout: 8000,
		keepWriting(sock) {
			const big = Buffer.from(`10000\r\n${'b'.repeat(0x10000)}\r\n`);
			const pump = () => {
				while (!sock.destroyed && sock.write(big))
					;
				if (!sock.destroyed)
					sock.once('drain', pump);
			};
			pump();
		},
	}).catch((e) => ({ error: e }));
	assert.ok(!endless.error || /ECONNRESET|EPIPE/.test(endless.error.message),
		`endless body: ${endless.error && endless.error.message}`);
	if (!endless.error)
		assert.equal(endless.status, 413);
	// A small chunked body is read and parsed as usual.
	const small = JSON.stringify(report);
	const ok = await raw(srv, rawRequest('POST', CSP, { ...JSON_CT, 'Transfer-Encoding': 'chunked' },
		`${Buffer.byteLength(small).toString(16)}\r\n${small}\r\n0\r\n\r\n`));
	assert.equal(ok.status, 204);
	assert.ok(srv.alive());
});

test('malformed paths are 400: bad escapes, NUL, invalid UTF-8, no leading slash', async () => {
	const cases = [
		'/api/v1/%zz', '/api/v1/%', '/api/v1/%4', '/api/v1/competitions/%00', '/%00', '/a%00b',
		'/api/v1/%c3%28', '/api/v1/%ff', '/%ed%a0%80', '/%c0%af', '/%f4%90%80%80',
		'/api/v1/competitions/guangdong-2026%zz',
	];
	for (const p of cases)
		assertError(await raw(srv, rawRequest('GET', p)), 400, 'bad_path', p);
	// Raw bytes that are not UTF-8, and targets that are not a path at all.
	const bytes = Buffer.concat([Buffer.from('GET /api/v1/'), Buffer.from([0xc3, 0x28]),
		Buffer.from(' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')]);
	assertError(await raw(srv, bytes), 400, 'bad_path', 'raw invalid UTF-8');
	for (const target of ['*', 'api/v1/competitions', 'http://127.0.0.1/api/v1/competitions'])
		assertError(await raw(srv, rawRequest('GET', target)), 400, 'bad_path', target);
	// Encoded but valid UTF-8 is decoded, so the route still matches.
	const enc = await raw(srv, rawRequest('GET', '/api/v1/competitions/%67uangdong-2026'));
	assert.equal(enc.status, 200);
	assert.equal(enc.json.slug, 'guangdong-2026');
	assert.ok(srv.alive());
});

test('every kind of response carries the security headers', async () => {
	const etag = (await request(srv, '/api/v1/competitions')).headers.etag;
	const responses = [
		['200', await request(srv, '/api/v1/competitions')],
		['304', await request(srv, '/api/v1/competitions', { headers: { 'If-None-Match': etag } })],
		['404', await request(srv, '/api/v1/nope')],
		['405', await request(srv, '/api/v1/competitions', { method: 'DELETE' })],
		['413', await raw(srv, rawRequest('POST', CSP, { ...JSON_CT, 'Content-Length': '10000000' }))],
		['415', await post('{}', { 'Content-Type': 'text/plain' })],
		['400', await raw(srv, rawRequest('GET', '/%zz'))],
		['204', await post(JSON.stringify(report))],
		['healthz', await request(srv, '/healthz')],
		['metrics', await request(srv, '/metrics')],
		['built-in page', await request(srv, '/')],
	];
	for (const [what, res] of responses) {
		assertSecurityHeaders(res, what);
		assert.ok(res.headers['cache-control'], `${what} has Cache-Control`);
	}
	const byName = Object.fromEntries(responses);
	assert.equal(byName['304'].status, 304);
	assert.equal(byName['413'].status, 413);
	// Error bodies name the request id the header carries.
	for (const k of ['404', '405', '413', '415', '400'])
		assert.equal(byName[k].json.error.request_id, byName[k].headers['x-request-id'], k);
	// API JSON is never stored by caches, except the public catalog.
	assert.equal(byName.healthz.headers['cache-control'], 'no-store');
	assert.equal(byName.metrics.headers['cache-control'], 'no-store');
	assert.equal(byName['200'].headers['cache-control'], 'public, max-age=60, must-revalidate');
	assert.equal(byName['204'].headers['cache-control'], 'no-store');
	// The CSP points browsers at the report endpoint tested above.
	assert.match(byName['200'].headers['content-security-policy'], /report-uri \/api\/v1\/csp-reports/);
	assert.match(byName['200'].headers['content-security-policy'], /object-src 'none'/);
});

test('the request id of an error is in the access log line', async () => {
	const res = await request(srv, '/api/v1/nope?token=secret-value');
	const id = res.json.error.request_id;
	const line = await eventually(() => {
		const l = srv.stderr().split('\n').find((x) => x.includes(id));
		assert.ok(l, 'access line with the request id');
		return l;
	});
	assert.match(line, /access GET \/api\/v1\/nope 404 /);
	assert.ok(!srv.stderr().includes('secret-value'), 'query strings stay out of the log');
});

test('a keep-alive connection serves several requests, errors included', async () => {
	const get = (p, extra = '') => `GET ${p} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;
	const seq = [get('/api/v1/competitions'), get('/api/v1/nope'), get('/api/v1/competitions', 'Content-Length: 0\r\n'),
		get('/%zz'), get('/healthz', 'Connection: close\r\n')];
	// Pipelined in one write, and one at a time.
	for (const pauseMs of [0, 50]) {
		const all = await rawConversation(srv, pauseMs ? seq : [seq.join('')], { pauseMs });
		assert.deepEqual(all.map((r) => r.status), [200, 404, 200, 400, 200], `pause ${pauseMs}`);
		assert.equal(all[0].json.items.length, 2);
		assert.equal(all[1].json.error.code, 'not_found');
		assert.equal(all[3].json.error.code, 'bad_path');
		assert.deepEqual(all[4].json.status, 'ok');
		assert.equal(new Set(all.map((r) => r.headers['x-request-id'])).size, 5);
	}
});

// libmicrohttpd answers these itself, before any saiwu code runs, so their
// bodies are its small HTML pages rather than the JSON error shape; what
// matters here is the status and that the server keeps serving.
test('protocol errors answered by libmicrohttpd are 4xx and harmless', async () => {
	const post = (cl) => rawRequest('POST', CSP, { ...JSON_CT, 'Content-Length': cl }, '{}');
	const cases = [
		['Content-Length abc', post('abc'), 400],
		['Content-Length -1', post('-1'), 400],
		['Content-Length 2^66', post('99999999999999999999'), 413],
		['100 KB header', rawRequest('GET', '/healthz', { 'X-Big': 'a'.repeat(100000) }), 431],
		['100 KB path', rawRequest('GET', `/api/v1/${'a'.repeat(100000)}`), 414],
		['bad chunk size', rawRequest('POST', CSP, { ...JSON_CT, 'Transfer-Encoding': 'chunked' }, 'zz\r\nab\r\n0\r\n\r\n'), 400],
	];
	for (const [name, data, status] of cases) {
		const res = await raw(srv, data);
		assert.equal(res.status, status, name);
	}
	// A request line that is not HTTP gets no answer but a closed connection.
	const junk = await raw(srv, Buffer.from('HELLO\r\n\r\n')).catch((e) => e);
	assert.ok(junk instanceof Error || (junk.status >= 400 && junk.status < 500), String(junk.status));
	assert.ok(srv.alive());
	assert.equal((await request(srv, '/healthz')).status, 200);
});
