// 06-config: settings come from a config file (--config FILE or
// SAIWU_CONFIG), SAIWU_* environment variables and --flags, each overriding
// the one before; an unknown key or a bad value stops start-up with a
// message naming it. The help texts and `saiwu version` work.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
	startServer, createStore, runSaiwu, request, tmpDir, CATALOG_DIR,
} from './lib.mjs';

let dir;
let store;
let busy;
let busyPort;
const webs = {};
before(async () => {
	dir = tmpDir('saiwu-config-');
	store = createStore();
	// Three front ends that say which one is served.
	for (const name of ['file', 'env', 'flag']) {
		webs[name] = path.join(dir, `web-${name}`);
		fs.mkdirSync(webs[name]);
		fs.writeFileSync(path.join(webs[name], 'index.html'), `<p>web from ${name}</p>\n`);
	}
	// A port that is taken, so a setting that uses it visibly fails.
	busy = net.createServer();
	await new Promise((r) => busy.listen(0, '127.0.0.1', r));
	busyPort = busy.address().port;
});
after(() => {
	busy.close();
	store.destroy();
	fs.rmSync(dir, { recursive: true, force: true });
});

function writeConfig(name, text) {
	const file = path.join(dir, name);
	fs.writeFileSync(file, text);
	return file;
}

// Runs `saiwu serve` that must refuse to start; returns its stderr.
function refuses(args, env = {}) {
	const r = runSaiwu(args, { env, timeout: 10000, cwd: dir });
	assert.equal(r.signal, null, `saiwu ${args.join(' ')} should have exited by itself, not run`);
	assert.notEqual(r.status, 0, `saiwu ${args.join(' ')} should fail`);
	assert.doesNotMatch(r.stdout, /listening on/);
	return r.stderr;
}

const serveArgs = () => ['serve', '--listen', '127.0.0.1:0', ...store.storeArgs(), '--catalog-dir', CATALOG_DIR];

test('an unknown config file key stops start-up, naming the file, line and key', () => {
	const file = writeConfig('unknown-key.conf', '# saiwu settings\n\nthreads = 2\nflavour = vanilla\n');
	const err = refuses(['--config', file, ...serveArgs()]);
	assert.ok(err.includes(`${file}:4`), err);
	assert.match(err, /unknown key 'flavour'/);
});

test('an unknown SAIWU_* variable stops start-up, naming it', () => {
	const err = refuses(serveArgs(), { SAIWU_FLAVOUR: 'vanilla' });
	assert.match(err, /SAIWU_FLAVOUR/);
	assert.match(err, /unknown/);
});

test('bad values stop start-up, naming the key and the value', () => {
	let err = refuses(serveArgs(), { SAIWU_THREADS: 'abc' });
	assert.match(err, /SAIWU_THREADS/);
	assert.match(err, /'threads'/);
	assert.match(err, /'abc'/);

	err = refuses([...serveArgs(), '--listen', 'nonsense']);
	assert.match(err, /--listen/);
	assert.match(err, /'nonsense'/);

	const file = writeConfig('loud.conf', 'log_level = loud\n');
	err = refuses(['--config', file, ...serveArgs()]);
	assert.match(err, /log_level/);
	assert.match(err, /'loud'/);
	assert.ok(err.includes(`${file}:1`), err);

	for (const [flag, value, key] of [
		['--threads', '100000', 'threads'],
		['--threads', '-1', 'threads'],
		['--threads', '2x', 'threads'],
		['--body-limit', '10', 'body_limit'],
		['--max-connections', '0', 'max_connections'],
		['--listen', '127.0.0.1:99999', 'listen'],
		['--listen', '127.0.0.1:', 'listen'],
		['--env', 'staging', 'env'],
	]) {
		err = refuses([...serveArgs(), flag, value]);
		assert.ok(err.includes(`'${key}'`) && err.includes(value), `${flag} ${value}: ${err}`);
	}
	err = refuses([...serveArgs(), '--listen']);
	assert.match(err, /--listen/);
	assert.match(err, /needs a value/);
	err = refuses(['--config', path.join(dir, 'missing.conf'), ...serveArgs()]);
	assert.match(err, /missing\.conf/);
	err = refuses(serveArgs(), { SAIWU_CONFIG: path.join(dir, 'also-missing.conf') });
	assert.match(err, /also-missing\.conf/);
	// A flag nobody knows is not silently ignored.
	refuses([...serveArgs(), '--frobnicate', '1']);
	const line = writeConfig('no-equals.conf', 'threads 2\n');
	err = refuses(['--config', line, ...serveArgs()]);
	assert.ok(err.includes(`${line}:1`), err);
});

test('an address in use stops start-up with a clear message', () => {
	const err = refuses(['serve', '--listen', `127.0.0.1:${busyPort}`, ...store.storeArgs(), '--catalog-dir', CATALOG_DIR]);
	assert.match(err, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${busyPort}`));
});

// Each started server reports which front end it serves.
async function servedWeb(opts) {
	const srv = await startServer({ store, webDir: null, ...opts });
	try {
		return (await request(srv, '/')).text.trim();
	} finally {
		const res = await srv.stop();
		assert.deepEqual(res, { code: 0, signal: null }, srv.stderr());
	}
}

test('the config file is read; the environment overrides it; flags override both', async () => {
	const conf = `# written by the test\nweb_dir = ${webs.file}\n  log_level =  warn  \n`;
	assert.equal(await servedWeb({ config: conf }), '<p>web from file</p>');
	assert.equal(await servedWeb({ config: conf, env: { SAIWU_WEB_DIR: webs.env } }), '<p>web from env</p>');
	assert.equal(await servedWeb({
		config: conf, env: { SAIWU_WEB_DIR: webs.env }, args: ['--web-dir', webs.flag],
	}), '<p>web from flag</p>');
	assert.equal(await servedWeb({ config: conf, args: [`--web-dir=${webs.flag}`] }), '<p>web from flag</p>');
	// SAIWU_CONFIG names the file as well as --config does.
	const file = writeConfig('via-env.conf', `web_dir = ${webs.file}\n`);
	assert.equal(await servedWeb({ env: { SAIWU_CONFIG: file } }), '<p>web from file</p>');
});

test('listen from the file is used unless the environment or a flag says otherwise', async () => {
	const conf = `listen = 127.0.0.1:${busyPort}\n`;
	const file = writeConfig('busy.conf', conf);
	// The file alone: the busy port, which fails.
	const err = refuses(['--config', file, 'serve', ...store.storeArgs(), '--catalog-dir', CATALOG_DIR]);
	assert.match(err, new RegExp(`127\\.0\\.0\\.1:${busyPort}`));
	// The environment wins over the file…
	let srv = await startServer({ store, config: conf, listen: null, env: { SAIWU_LISTEN: '127.0.0.1:0' } });
	assert.notEqual(srv.port, busyPort);
	assert.equal((await request(srv, '/healthz')).status, 200);
	assert.deepEqual(await srv.stop(), { code: 0, signal: null });
	// …and the flag over both.
	srv = await startServer({ store, config: conf, env: { SAIWU_LISTEN: `127.0.0.1:${busyPort}` }, listen: '127.0.0.1:0' });
	assert.notEqual(srv.port, busyPort);
	assert.equal((await request(srv, '/healthz')).status, 200);
	assert.deepEqual(await srv.stop(), { code: 0, signal: null });
});

test('log_level=warn leaves out the info lines', async () => {
	const srv = await startServer({ store, args: ['--log-level', 'warn'] });
	await request(srv, '/healthz');
	assert.deepEqual(await srv.stop(), { code: 0, signal: null });
	assert.doesNotMatch(srv.stderr(), / info /);
});

test('help texts and version', () => {
	const run = (args) => runSaiwu(args, { cwd: dir });
	const top = run(['--help']);
	assert.equal(top.status, 0, top.stderr);
	for (const cmd of ['serve', 'migrate', 'catalog', 'version'])
		assert.match(top.stdout, new RegExp(`^\\s+${cmd}\\s`, 'm'), `saiwu --help lists ${cmd}`);
	assert.match(top.stdout, /usage: saiwu/);
	assert.equal(run(['help']).status, 0);

	const serve = run(['serve', '--help']);
	assert.equal(serve.status, 0, serve.stderr);
	for (const key of ['listen', 'data_dir', 'database_url', 'web_dir', 'catalog_dir', 'threads',
		'max_connections', 'connection_timeout', 'connection_memory', 'body_limit', 'log_level', 'env']) {
		const env = `SAIWU_${key.toUpperCase()}`;
		const flag = `--${key.replace(/_/g, '-')}`;
		assert.match(serve.stdout, new RegExp(`^\\s+${key}\\s+${env}\\s+${flag}$`, 'm'), `serve --help lists ${key}`);
	}
	for (const args of [['migrate', '--help'], ['catalog', '--help'], ['catalog', 'import', '--help'], ['version', '--help']]) {
		const r = run(args);
		assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
		assert.match(r.stdout, /usage: saiwu/, args.join(' '));
	}
	const version = run(['version']);
	assert.equal(version.status, 0);
	assert.match(version.stdout, /^saiwu \d+\.\d+\.\d+/);
	assert.match(version.stdout, /libmicrohttpd 0\.9\.75/);
	assert.match(version.stdout, /sqlite \d/);
	assert.match(version.stdout, /libpq \d/);

	// No command, or an unknown one, is a usage error.
	const none = run([]);
	assert.equal(none.status, 2);
	assert.match(none.stdout, /usage: saiwu/);
	const unknown = run(['frobnicate']);
	assert.equal(unknown.status, 2);
	assert.match(unknown.stderr, /unknown command 'frobnicate'/);
	// None of these touched a database: nothing was created in cwd.
	assert.ok(!fs.existsSync(path.join(dir, 'var')));
});
