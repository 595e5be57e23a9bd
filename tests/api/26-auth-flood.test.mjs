// 26-auth-flood: the per-address limit in front of sign-in (auth_rate_limit,
// auth_rate_burst). A client address that floods the login, captcha and
// SMS routes gets 429 rate_limited with Retry-After once its burst is
// spent, on the headers (no CSRF check, no body parsing, no access log
// line); another address still registers, signs in and reads, and the
// flooding address still reads what is not a sign-in route. Refused small
// bodies keep their keep-alive connection. Each refusal is sent after
// auth_tarpit_ms (the connection suspended meanwhile), also when the
// server stops. trusted_proxies: the limit
// follows X-Forwarded-For only from a listed proxy. max_connections_per_ip
// closes an address's connections past the limit on accept.
// The second client binds 127.0.0.2 (any 127.x address reaches the server).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {
	startServer, request, rawConversation, rawRequest, parseMetrics, assertError, eventually, sleep,
} from './lib.mjs';
import {
	Client, TEST_MODE, GOOD_PASSWORD, uniques, register, loginPassword,
} from './auth-lib.mjs';

const BURST = 8;
let server;
const u = uniques('48');

before(async () => {
	server = await startServer({
		args: [...TEST_MODE, '--sms-ip-hourly-limit', '100000',
			'--auth-rate-limit', '20', '--auth-rate-burst', String(BURST), '--auth-tarpit-ms', '100'],
	});
});
after(() => server?.stop());

// A login with a made-up captcha, as G7's flood sends it.
function floodLogin(c, n) {
	return c.post('/api/v1/login', {
		method: 'password', login: `nobody_${n}`, password: 'Wrong-pass-1',
		captcha_id: 'bench-unsolved', captcha_answer: 'ABCD', remember: false,
	});
}

// Spends what the address's bucket has refilled since it was last emptied.
async function drain(c) {
	for (let i = 0; i < 50; i++)
		if ((await c.get('/api/v1/captcha')).status === 429)
			return;
	assert.fail('the bucket never ran dry');
}

async function metric(name) {
	const res = await request(server, '/metrics');
	assert.equal(res.status, 200);
	return parseMetrics(res.text).samples.get(name) || 0;
}

const accessLines = (re) => server.stderr().split('\n').filter((l) => / info access /.test(l) && re.test(l)).length;

test('a flooding address gets 429 rate_limited after its burst; another address signs in and reads', async () => {
	const flooder = new Client(server);
	await flooder.session();
	const limitedBefore = await metric('saiwu_http_rate_limited_total{route="login"}');

	// The burst reaches the handler: an unknown captcha is a 422.
	const codes = [];
	for (let i = 0; i < BURST; i++) {
		const r = await floodLogin(flooder, i);
		codes.push(r.status);
		if (r.status === 422)
			assert.equal(r.json.error.fields[0].code, 'captcha_expired', r.text);
	}
	assert.deepEqual(codes, Array(BURST).fill(422), 'the burst is answered by the handler');
	// Then the bucket is empty: refused on the headers, whatever the route.
	const refused = [];
	const t0 = Date.now();
	for (let i = 0; i < 20; i++)
		refused.push(await floodLogin(flooder, 100 + i));
	// The tarpit: each refusal waited auth_tarpit_ms (100 ms) first.
	assert.ok(Date.now() - t0 >= 20 * 95, `20 refusals in ${Date.now() - t0} ms`);
	refused.push(await flooder.get('/api/v1/captcha'));
	refused.push(await flooder.post('/api/v1/sms-codes', { phone: u.phone(), purpose: 'register' }));
	for (const r of refused) {
		assertError(r, 429, 'rate_limited');
		assert.match(r.json.error.message, /操作过于频繁，请 \d+ 秒后再试/);
		// A token every 3 s (20 a minute).
		const ra = Number(r.headers['retry-after']);
		assert.ok(ra >= 1 && ra <= 3, `Retry-After ${r.headers['retry-after']}`);
	}
	// The limit comes before the CSRF check (and everything else).
	assertError(await flooder.post('/api/v1/login', { method: 'password' }, { csrf: false }), 429, 'rate_limited');

	// The flooding address still reads what is not a sign-in route.
	const pub = await flooder.get('/api/v1/competitions');
	assert.equal(pub.status, 200, pub.text);

	// Meanwhile another address is served, and the flooder still refused.
	const other = new Client(server, { localAddress: '127.0.0.2' });
	assert.equal((await other.get('/api/v1/captcha')).status, 200);
	assertError(await floodLogin(flooder, 999), 429, 'rate_limited');

	// The other address registers (captcha, SMS code, register), signs
	// out, signs in by password and reads its session.
	const account = u.account('calm');
	await register(other, { account, phone: u.phone() });
	const out = await other.req('POST', '/api/v1/logout');
	assert.equal(out.status, 200, out.text);
	const login = await loginPassword(other, account, GOOD_PASSWORD);
	assert.equal(login.status, 200, login.text);
	const me = await other.session();
	assert.equal(me.authenticated, true);
	assert.equal(me.user.account, account);

	// Counted, and not written to the access log one by one.
	await eventually(async () => {
		assert.equal(await metric('saiwu_http_rate_limited_total{route="login"}') - limitedBefore, 22);
		assert.ok(await metric('saiwu_http_rate_limited_total{route="captcha"}') >= 1);
		assert.ok(await metric('saiwu_http_rate_limited_total{route="sms_codes"}') >= 1);
	});
	assert.equal(accessLines(/POST \/api\/v1\/login 429 /), 0, 'no access line for a refusal');
	assert.equal(accessLines(/POST \/api\/v1\/login 422 /), BURST);
	const summaries = server.stderr().split('\n').filter((l) => / warn ratelimit: 127\.0\.0\.1 refused /.test(l));
	assert.equal(summaries.length, 1, `one summary line in 10 s:\n${summaries.join('\n')}`);
	assert.match(summaries[0], /refused 1 request\(s\) to sign-in routes \(auth_rate_limit 20\/min, burst 8\)/);
});

test('the bucket refills at auth_rate_limit a minute: a token every 3 s here', async () => {
	const c = new Client(server, { localAddress: '127.0.0.3' });
	for (let i = 0; i < BURST; i++)
		assert.equal((await c.get('/api/v1/captcha')).status, 200);
	const r = await c.get('/api/v1/captcha');
	assertError(r, 429, 'rate_limited');
	await sleep(Number(r.headers['retry-after']) * 1000 + 100);
	assert.equal((await c.get('/api/v1/captcha')).status, 200, 'a token after Retry-After');
	assertError(await c.get('/api/v1/captcha'), 429, 'rate_limited');
});

test('a refused request with a small body keeps its keep-alive connection', async () => {
	await drain(new Client(server));
	const body = JSON.stringify({ method: 'password', login: 'x', password: 'y', captcha_id: 'z', captcha_answer: 'w' });
	const req = (close) => rawRequest('POST', '/api/v1/login', {
		'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)),
		Connection: close ? 'close' : 'keep-alive',
	}, body);
	const answers = await rawConversation(server, [req(false), req(false), req(true)]);
	assert.equal(answers.length, 3, 'three answers on one connection');
	for (const a of answers) {
		assert.equal(a.status, 429);
		assert.equal(a.json.error.code, 'rate_limited');
		assert.match(a.headers['retry-after'], /^\d+$/);
	}
	// A body over the route's cap is not read: answered, then closed.
	const big = 'x'.repeat(8192);
	const one = await rawConversation(server, [rawRequest('POST', '/api/v1/login', {
		'Content-Type': 'application/json', 'Content-Length': String(big.length), Connection: 'keep-alive',
	}, big), req(true)]);
	assert.equal(one.length, 1, 'the connection closes after a refused oversized body');
	assert.equal(one[0].status, 429);
});

test('X-Forwarded-For is ignored from an address not in trusted_proxies', async () => {
	// The flooding 127.0.0.1 cannot escape its bucket with a made-up header.
	const c = new Client(server);
	await drain(c);
	const r = await c.get('/api/v1/captcha', { headers: { 'X-Forwarded-For': '198.51.100.77' } });
	assertError(r, 429, 'rate_limited');
});

test('behind a trusted proxy each forwarded client has its own bucket', async () => {
	const proxied = await startServer({
		args: [...TEST_MODE, '--auth-rate-limit', '60', '--auth-rate-burst', '2',
			'--trusted-proxies', '127.0.0.5, 10.0.0.0/8'],
	});
	try {
		const via = (xff) => new Client(proxied, { localAddress: '127.0.0.5' })
			.get('/api/v1/captcha', { headers: xff ? { 'X-Forwarded-For': xff } : {} });
		// 198.51.100.1 spends its burst through two proxy hops (10.x trusted).
		assert.equal((await via('198.51.100.1, 10.1.2.3')).status, 200);
		assert.equal((await via('198.51.100.1')).status, 200);
		assertError(await via('198.51.100.1, 10.9.9.9'), 429, 'rate_limited');
		// A client cannot pick another bucket by writing the header itself:
		// the rightmost untrusted entry counts, not the leftmost.
		assertError(await via('203.0.113.9, 198.51.100.1'), 429, 'rate_limited');
		// Another forwarded client is unaffected.
		assert.equal((await via('198.51.100.2')).status, 200);
		// Without the header, the proxy itself is the client.
		assert.equal((await via(null)).status, 200);
		// The proxy's own address appears nowhere in the refusal log: the client's does.
		await eventually(async () => {
			assert.match(proxied.stderr(), /ratelimit: 198\.51\.100\.1 refused/);
		});
		const c = new Client(proxied, { localAddress: '127.0.0.5' });
		const bad = await c.get('/api/v1/captcha', { headers: { 'X-Forwarded-For': 'not-an-ip' } });
		assert.equal(bad.status, 200, 'a malformed entry leaves the proxy as the client');
	} finally {
		await proxied.stop();
	}
});

test('auth_rate_limit 0 turns the limit off; a bad trusted_proxies stops the start', async () => {
	const off = await startServer({ args: [...TEST_MODE, '--auth-rate-limit', '0', '--auth-rate-burst', '1'] });
	try {
		const c = new Client(off);
		for (let i = 0; i < 5; i++)
			assert.equal((await c.get('/api/v1/captcha')).status, 200);
	} finally {
		await off.stop();
	}
	await assert.rejects(startServer({ args: ['--trusted-proxies', '10.0.0.0/33'] }),
		/trusted_proxies: '10\.0\.0\.0\/33' is not an IP address or CIDR block/);
});

// Opens a connection from localAddress and resolves to it once open.
function connect(port, localAddress) {
	return new Promise((resolve, reject) => {
		const c = net.connect({ port, host: '127.0.0.1', localAddress }, () => resolve(c));
		c.on('error', reject);
	});
}

// Whether a request on c is answered (true) or the server closes it (false).
function answered(c) {
	return new Promise((resolve) => {
		let got = '';
		c.on('data', (d) => { got += d; });
		c.on('close', () => resolve(got.startsWith('HTTP/1.1 200')));
		c.on('error', () => {});
		c.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
	});
}

test('max_connections_per_ip closes an address\'s connections past the limit', async () => {
	const srv = await startServer({ args: ['--max-connections-per-ip', '2'] });
	const open = [];
	try {
		open.push(await connect(srv.port), await connect(srv.port));
		// A third from the same address is closed on accept.
		assert.equal(await answered(await connect(srv.port)), false);
		// Another address is not affected.
		assert.equal(await answered(await connect(srv.port, '127.0.0.2')), true);
		// One of the two answered and closed: room for one more.
		assert.equal(await answered(open.shift()), true);
		await eventually(async () => {
			assert.equal(await answered(await connect(srv.port)), true);
		});
	} finally {
		for (const c of open)
			c.destroy();
		await srv.stop();
	}
});

test('stopping the server sends the refusals the tarpit holds, and exits cleanly', async () => {
	const srv = await startServer({
		args: [...TEST_MODE, '--auth-rate-limit', '1', '--auth-rate-burst', '1', '--auth-tarpit-ms', '10000'],
	});
	const c = new Client(srv);
	assert.equal((await c.get('/api/v1/captcha')).status, 200);
	const t0 = Date.now();
	const held = [c.get('/api/v1/captcha'), c.get('/api/v1/captcha'), c.get('/api/v1/captcha')];
	await sleep(300);
	const stopped = srv.stop();
	for (const r of await Promise.all(held))
		assertError(r, 429, 'rate_limited');
	assert.ok(Date.now() - t0 < 8000, 'answered at the stop, not after the 10 s delay');
	assert.deepEqual(await stopped, { code: 0, signal: null }, srv.stderr());
});
