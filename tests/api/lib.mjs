// lib.mjs: shared helpers of the black-box API tests (node:test, built-ins only).
//
// startServer() runs build/saiwu (or $SAIWU_BIN) on a free port with a fresh
// data directory and, when SAIWU_TEST_STORE=pg, a fresh PostgreSQL database
// made with `createdb` (PGHOST, PGPORT and PGUSER come from the environment).
// request() speaks HTTP through node:http; raw() writes bytes on a node:net
// socket so that nothing on the client side normalises a path or a header.

import { spawn, spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.SAIWU_BIN || path.join(REPO, 'build', 'saiwu');
export const CATALOG_DIR = path.join(REPO, 'catalog');

const storeEnv = process.env.SAIWU_TEST_STORE || 'sqlite';
if (storeEnv !== 'sqlite' && storeEnv !== 'pg')
	throw new Error(`SAIWU_TEST_STORE must be "sqlite" or "pg", not "${storeEnv}"`);
export const STORE = storeEnv;

// A missing binary or client tool fails the run loudly; nothing is skipped.
if (!fs.existsSync(BIN))
	throw new Error(`saiwu binary not found at ${BIN}: run "make" first or set SAIWU_BIN`);
if (STORE === 'pg') {
	for (const v of ['PGHOST', 'PGPORT', 'PGUSER'])
		if (!process.env[v])
			throw new Error(`SAIWU_TEST_STORE=pg needs ${v} in the environment`);
}

// The server refuses unknown SAIWU_* variables, and the ones the test runner
// itself was given (SAIWU_BIN, SAIWU_CONFIG, …) are not meant for it.
export function childEnv(extra = {}) {
	const env = {};
	for (const [k, v] of Object.entries(process.env))
		if (!k.startsWith('SAIWU_'))
			env[k] = v;
	return { ...env, ...extra };
}

export function tmpDir(prefix = 'saiwu-test-') {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

let dbCounter = 0;

// Creates an empty PostgreSQL database; returns its URL and a drop function.
export function createPgDatabase() {
	const name = `saiwu_test_${process.pid}_${Date.now().toString(36)}_${dbCounter++}`;
	const r = spawnSync('createdb', [name], { encoding: 'utf8' });
	if (r.error || r.status !== 0)
		throw new Error(`createdb ${name} failed: ${r.error || r.stderr}`);
	const { PGUSER, PGHOST, PGPORT } = process.env;
	const url = `postgres://${encodeURIComponent(PGUSER)}@/${name}` +
		`?host=${encodeURIComponent(PGHOST)}&port=${encodeURIComponent(PGPORT)}`;
	let dropped = false;
	return {
		name,
		url,
		drop() {
			if (dropped)
				return;
			dropped = true;
			const d = spawnSync('dropdb', ['--if-exists', '--force', name], { encoding: 'utf8' });
			if (d.error || d.status !== 0)
				throw new Error(`dropdb ${name} failed: ${d.error || d.stderr}`);
		},
	};
}

// A data directory plus, on PostgreSQL, a database: the store a server or a
// subcommand works on. storeArgs() are the flags that point saiwu at it.
export function createStore() {
	const dir = tmpDir();
	const dataDir = path.join(dir, 'data');
	const pg = STORE === 'pg' ? createPgDatabase() : null;
	return {
		dir,
		dataDir,
		databaseUrl: pg ? pg.url : null,
		storeArgs() {
			return ['--data-dir', dataDir, ...(pg ? ['--database-url', pg.url] : [])];
		},
		destroy() {
			if (pg)
				pg.drop();
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

// Runs a saiwu subcommand to completion: {status, stdout, stderr}.
export function runSaiwu(args, { env = {}, timeout = 20000, cwd = os.tmpdir() } = {}) {
	const r = spawnSync(BIN, args, { env: childEnv(env), encoding: 'utf8', timeout, cwd });
	if (r.error)
		throw r.error;
	return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

// Spawns `saiwu [--config F] serve …` and resolves once it says it listens,
// or rejects with its exit status and stderr if it stops first.
//   env     extra environment (SAIWU_* of the runner are never passed on)
//   args    more flags after the defaults (later flags win)
//   webDir  the front end directory (default: one that does not exist;
//           null: leave the flag out)
//   config  text of a config file, passed with --config before `serve`
//   listen  the --listen flag (default 127.0.0.1:0; null: leave it out)
//   store   an existing createStore() to reuse (default: a fresh one,
//           destroyed by stop())
export async function startServer(opts = {}) {
	const store = opts.store || createStore();
	const ownsStore = !opts.store;
	const webDir = opts.webDir === undefined ? path.join(store.dir, 'no-web-dir') : opts.webDir;
	const pre = [];
	if (opts.config !== undefined) {
		const file = path.join(store.dir, 'saiwu.conf');
		fs.writeFileSync(file, opts.config);
		pre.push('--config', file);
	}
	const listen = opts.listen === undefined ? '127.0.0.1:0' : opts.listen;
	const args = [
		...pre, 'serve',
		...(listen === null ? [] : ['--listen', listen]),
		...store.storeArgs(),
		'--catalog-dir', CATALOG_DIR,
		...(webDir === null ? [] : ['--web-dir', webDir]),
		...(opts.args || []),
	];
	// Run in the store's directory so relative defaults (./var, web/dist)
	// never touch the repository.
	const proc = spawn(BIN, args, { env: childEnv(opts.env), cwd: store.dir, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	let err = '';
	proc.stdout.setEncoding('utf8');
	proc.stderr.setEncoding('utf8');
	proc.stderr.on('data', (d) => { err += d; });
	// A binary that cannot be run at all (missing, mid-link) is an exit too.
	let spawnError = null;
	const exited = new Promise((resolve) => {
		proc.on('exit', (code, signal) => resolve({ code, signal }));
		proc.on('error', (e) => {
			spawnError = e;
			resolve({ code: null, signal: null, error: e });
		});
	});

	let port;
	try {
		port = await new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				proc.kill('SIGKILL');
				reject(new Error(`saiwu did not start within 15s\nstderr:\n${err}`));
			}, 15000);
			proc.stdout.on('data', (d) => {
				out += d;
				const m = /saiwu listening on http:\/\/[^:\s]+:(\d+) \(database: (\w+)\)/.exec(out);
				if (m) {
					clearTimeout(timer);
					resolve(Number(m[1]));
				}
			});
			exited.then(({ code, signal }) => {
				clearTimeout(timer);
				reject(Object.assign(
					new Error(spawnError ? `cannot run ${BIN}: ${spawnError.message}`
						: `saiwu exited (${code ?? signal}) before listening\nstderr:\n${err}`),
					{ code, signal, stderr: () => err }));
			});
		});
	} catch (e) {
		if (ownsStore)
			store.destroy();
		throw e;
	}

	let stopping = null;
	const server = {
		url: `http://127.0.0.1:${port}`,
		port,
		proc,
		store,
		dataDir: store.dataDir,
		databaseUrl: store.databaseUrl,
		webDir,
		stdout: () => out,
		stderr: () => err,
		alive: () => proc.exitCode === null && proc.signalCode === null,
		exited,
		// SIGTERM, wait for the exit, then remove what startServer made.
		// Resolves to {code, signal}: a clean stop is {code: 0, signal: null}.
		stop(timeoutMs = 20000) {
			if (stopping)
				return stopping;
			stopping = (async () => {
				if (server.alive())
					proc.kill('SIGTERM');
				let timer;
				const res = await Promise.race([
					exited,
					new Promise((resolve) => {
						timer = setTimeout(() => {
							proc.kill('SIGKILL');
							resolve(null);
						}, timeoutMs);
					}),
				]);
				clearTimeout(timer);
				const result = res || { ...(await exited), timedOut: true };
				if (ownsStore)
					store.destroy();
				return result;
			})();
			return stopping;
		},
	};
	return server;
}

// One HTTP request on its own connection (no keep-alive agent).
//   base: server object or URL; opts: {method, headers, body, localAddress
//   (another loopback address such as 127.0.0.2: another client)}
// Resolves to {status, headers, body (Buffer), text, json}.
export function request(base, pathname, opts = {}) {
	const port = typeof base === 'object' ? base.port : Number(new URL(base).port);
	return new Promise((resolve, reject) => {
		const req = http.request({
			host: '127.0.0.1',
			port,
			method: opts.method || 'GET',
			path: pathname,
			headers: opts.headers || {},
			localAddress: opts.localAddress,
			agent: false,
		}, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve(makeResponse(res.statusCode, res.headers, Buffer.concat(chunks), res.rawHeaders)));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.setTimeout(opts.timeout || 10000, () => req.destroy(new Error(`timeout: ${opts.method || 'GET'} ${pathname}`)));
		if (opts.body !== undefined)
			req.end(opts.body);
		else
			req.end();
	});
}

// GET and parse JSON, asserting a 200 first.
export async function getJson(base, pathname, headers = {}) {
	const res = await request(base, pathname, { headers });
	assert.equal(res.status, 200, `GET ${pathname}: ${res.text}`);
	assert.ok(res.json, `GET ${pathname}: not JSON: ${res.text}`);
	return res;
}

function makeResponse(status, headers, body, rawHeaders) {
	const text = body.toString('utf8');
	let json;
	const ct = headers['content-type'] || '';
	if (ct.startsWith('application/json')) {
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
	}
	return { status, headers, body, text, json, rawHeaders };
}

// Writes raw bytes on a TCP connection and reads one response. The request
// should ask for `Connection: close`; the reply is parsed by hand (status
// line, headers, Content-Length or chunked body). `data` may be an array of
// chunks, written `pauseMs` apart; `keepWriting(sock)` runs after them.
//   returns {status, headers, body, text, json, raw, elapsedMs}
export function raw(base, data, { timeout = 10000, pauseMs = 0, keepWriting = null } = {}) {
	const port = typeof base === 'object' ? base.port : Number(base);
	const parts = Array.isArray(data) ? data : [data];
	// The answer to HEAD has headers only, whatever its Content-Length says.
	const isHead = Buffer.from(parts[0]).subarray(0, 5).toString('latin1') === 'HEAD ';
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const sock = net.connect(port, '127.0.0.1');
		const chunks = [];
		let done = false;
		const finish = (err) => {
			if (done)
				return;
			done = true;
			clearTimeout(timer);
			sock.destroy();
			if (err)
				return reject(err);
			const buf = Buffer.concat(chunks);
			try {
				resolve({ ...parseRawResponse(buf, false, isHead), raw: buf, elapsedMs: Date.now() - started });
			} catch (e) {
				reject(new Error(`${e.message}; got ${JSON.stringify(buf.toString('latin1').slice(0, 300))}`));
			}
		};
		const timer = setTimeout(() => finish(new Error('raw request timed out')), timeout);
		sock.on('connect', async () => {
			for (const p of parts) {
				if (done || sock.destroyed)
					return;
				sock.write(p);
				if (pauseMs)
					await new Promise((r) => setTimeout(r, pauseMs));
			}
			if (keepWriting)
				keepWriting(sock);
		});
		sock.on('data', (c) => {
			chunks.push(c);
			// A complete response ends the read even if the server keeps the socket.
			try {
				const buf = Buffer.concat(chunks);
				const parsed = parseRawResponse(buf, true, isHead);
				if (parsed)
					finish();
			} catch {
				// not complete yet
			}
		});
		// A server that answers and closes while we still write: keep what we got.
		sock.on('error', (e) => (chunks.length ? finish() : finish(e)));
		sock.on('close', () => finish());
	});
}

// Parses one HTTP/1.1 response. With `partial`, returns null while incomplete.
// The result's `consumed` is the number of bytes it took from buf. With
// `headOnly` (the answer to HEAD) there is no body to read.
export function parseRawResponse(buf, partial = false, headOnly = false) {
	const end = buf.indexOf('\r\n\r\n');
	if (end < 0) {
		if (partial)
			return null;
		throw new Error('no complete response head');
	}
	const head = buf.subarray(0, end).toString('latin1').split('\r\n');
	const m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0]);
	if (!m)
		throw new Error(`bad status line ${head[0]}`);
	const status = Number(m[1]);
	const headers = {};
	for (const line of head.slice(1)) {
		const i = line.indexOf(':');
		const k = line.slice(0, i).trim().toLowerCase();
		const v = line.slice(i + 1).trim();
		headers[k] = headers[k] !== undefined ? `${headers[k]}, ${v}` : v;
	}
	let rest = buf.subarray(end + 4);
	let body;
	let consumed;
	if (headOnly || status === 204 || status === 304) {
		body = Buffer.alloc(0);
		consumed = end + 4;
	} else if (headers['content-length'] !== undefined) {
		const n = Number(headers['content-length']);
		if (rest.length < n) {
			if (partial)
				return null;
			throw new Error(`short body: ${rest.length} of ${n}`);
		}
		body = rest.subarray(0, n);
		consumed = end + 4 + n;
	} else if (/chunked/i.test(headers['transfer-encoding'] || '')) {
		const out = [];
		for (;;) {
			const le = rest.indexOf('\r\n');
			if (le < 0) {
				if (partial)
					return null;
				throw new Error('truncated chunked body');
			}
			const size = parseInt(rest.subarray(0, le).toString('latin1'), 16);
			if (size === 0) {
				consumed = buf.length - rest.length + le + 4;
				break;
			}
			if (rest.length < le + 2 + size + 2) {
				if (partial)
					return null;
				throw new Error('truncated chunk');
			}
			out.push(rest.subarray(le + 2, le + 2 + size));
			rest = rest.subarray(le + 2 + size + 2);
		}
		body = Buffer.concat(out);
	} else {
		if (partial)
			return null; // read to close
		body = rest;
		consumed = buf.length;
	}
	return { ...makeResponse(status, headers, body), consumed };
}

// Splits the bytes of several responses on one connection (keep-alive).
export function parseRawResponses(buf) {
	const out = [];
	while (buf.length) {
		const r = parseRawResponse(buf);
		out.push(r);
		buf = buf.subarray(r.consumed);
	}
	return out;
}

// Writes requests on one connection, reads until the server closes it (or
// `timeout`), and returns every response in order.
export function rawConversation(base, parts, { timeout = 5000, pauseMs = 0 } = {}) {
	const port = typeof base === 'object' ? base.port : Number(base);
	return new Promise((resolve, reject) => {
		const sock = net.connect(port, '127.0.0.1');
		const chunks = [];
		const timer = setTimeout(() => sock.destroy(), timeout);
		sock.on('data', (c) => chunks.push(c));
		sock.on('error', () => {});
		sock.on('close', () => {
			clearTimeout(timer);
			try {
				resolve(parseRawResponses(Buffer.concat(chunks)));
			} catch (e) {
				reject(e);
			}
		});
		sock.on('connect', async () => {
			for (const p of parts) {
				if (sock.destroyed)
					return;
				sock.write(p);
				if (pauseMs)
					await new Promise((r) => setTimeout(r, pauseMs));
			}
		});
	});
}

// Builds a raw request: rawRequest('GET', '/x', {Host: 'a'}, body).
export function rawRequest(method, target, headers = {}, body = null) {
	const h = { Host: '127.0.0.1', Connection: 'close', ...headers };
	let head = `${method} ${target} HTTP/1.1\r\n`;
	for (const [k, v] of Object.entries(h))
		if (v !== null)
			head += `${k}: ${v}\r\n`;
	head += '\r\n';
	const b = body === null ? Buffer.alloc(0) : Buffer.from(body);
	return Buffer.concat([Buffer.from(head, 'latin1'), b]);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The headers every response of the server carries, whatever its status.
export function assertSecurityHeaders(res, what = '') {
	const h = res.headers;
	const ctx = `${what} (status ${res.status})`;
	assert.ok(h['content-security-policy'], `Content-Security-Policy missing ${ctx}`);
	assert.match(h['content-security-policy'], /frame-ancestors 'none'/, ctx);
	assert.match(h['content-security-policy'], /default-src 'self'/, ctx);
	assert.equal(h['x-content-type-options'], 'nosniff', ctx);
	assert.equal(h['x-frame-options'], 'DENY', ctx);
	assert.ok(h['referrer-policy'], `Referrer-Policy missing ${ctx}`);
	assert.match(h['x-request-id'] || '', /^[0-9a-f]{16}$/, `X-Request-Id ${ctx}`);
}

// The one error shape: {"error":{"code","message","fields":[],"request_id"}}.
export function assertError(res, status, code, what = '') {
	const ctx = `${what} → ${res.status} ${res.text.slice(0, 300)}`;
	assert.equal(res.status, status, ctx);
	assert.match(res.headers['content-type'] || '', /^application\/json/, ctx);
	assert.ok(res.json && typeof res.json === 'object', `error body is not JSON: ${ctx}`);
	assert.deepEqual(Object.keys(res.json), ['error'], ctx);
	const e = res.json.error;
	assert.deepEqual(Object.keys(e).sort(), ['code', 'fields', 'message', 'request_id'], ctx);
	if (code)
		assert.equal(e.code, code, ctx);
	assert.equal(typeof e.code, 'string', ctx);
	assert.ok(typeof e.message === 'string' && e.message.length > 0, ctx);
	assert.ok(Array.isArray(e.fields), ctx);
	assert.equal(e.request_id, res.headers['x-request-id'], `request_id matches X-Request-Id ${ctx}`);
	assert.equal(res.headers['cache-control'], 'no-store', ctx);
	assertSecurityHeaders(res, what);
}

// Parses Prometheus text: {'name{labels}': number}, plus the raw lines.
export function parseMetrics(text) {
	const samples = new Map();
	const types = new Map();
	for (const line of text.split('\n')) {
		if (!line)
			continue;
		const t = /^# TYPE (\S+) (\S+)$/.exec(line);
		if (t) {
			types.set(t[1], t[2]);
			continue;
		}
		if (line.startsWith('#'))
			continue;
		const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
		if (!m)
			throw new Error(`not a Prometheus sample line: ${JSON.stringify(line)}`);
		samples.set(m[1], Number(m[2]));
	}
	return { samples, types };
}

// Retries an async assertion until it passes or `ms` runs out. For what the
// server records just after the client has its response (metrics, logs).
export async function eventually(fn, ms = 2000) {
	const deadline = Date.now() + ms;
	for (;;) {
		try {
			return await fn();
		} catch (e) {
			if (Date.now() > deadline)
				throw e;
			await sleep(25);
		}
	}
}
