// harness.mjs: `make bench` (through bench/run.sh). Measures the baselines
// on this machine, runs saiwu's scenarios on SQLite and on PostgreSQL
// (bench/scenarios.mjs, one process per store), and prints ONE table —
// scenario, store, raw figure, baseline, ratio, target, pass/fail — which
// it also writes to bench/results/<date>-<host>.md and .json.
//
// Baselines (reference/perf-reliability.md §7.1), all in this run:
//   N0       nginx (Debian's) serving a 1 KB static file on 127.0.0.1, with a
//            config of ours in a temp dir, a child process (not the service)
//   S_full1  raw SQLite, 1 KiB row a transaction, WAL + synchronous=FULL
//            (bench/tools/sqlite-probe.c); S_b100 the same, 100 rows a tx
//   D0       sequential disk write, dd … conv=fdatasync
//   P_ins    PostgreSQL single-row INSERT commits through pgbench (-c8 -j2)
//            on the same durable cluster the pg scenarios use
//
//   node bench/harness.mjs --tools DIR [--quick] [--runs N] [--duration S]
//        [--store sqlite|pg|both] [G1 G2 … G8]

import { spawn, spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const top = path.resolve(here, '..');
const argv = process.argv.slice(2);
const opt = (name, def) => {
	const i = argv.indexOf(name);
	return i >= 0 ? argv[i + 1] : def;
};
const QUICK = argv.includes('--quick');
const TOOLS = opt('--tools');
const RUNS = Number(opt('--runs', 1));
const DURATION = Number(opt('--duration', QUICK ? 3 : 10));
const STORES = { sqlite: ['sqlite'], pg: ['pg'], both: ['sqlite', 'pg'] }[opt('--store', 'both')];
const ALL = ['G1', 'G2', 'G3', 'G4', 'G5', 'G6', 'G7', 'G8'];
const named = argv.filter((a) => /^G\d$/i.test(a)).map((a) => a.toUpperCase());
const ONLY = named.length ? named : ALL;
// Every word must be a known flag, a flag's value or a scenario name.
const valued = new Set(['--tools', '--runs', '--duration', '--store']);
const unknown = argv.filter((a, i) => !(valued.has(a) || valued.has(argv[i - 1]) || a === '--quick' || /^G\d$/i.test(a)));
if (!TOOLS || !STORES || unknown.length || named.some((g) => !ALL.includes(g)) || !(RUNS >= 1) || !(DURATION >= 1)) {
	if (unknown.length)
		console.error(`bench: unknown argument ${unknown.join(' ')}`);
	console.error('usage: bench/run.sh [--quick] [--runs N] [--duration S] [--store sqlite|pg|both] [G1 … G8]');
	process.exit(2);
}
const need = (...gs) => gs.some((g) => ONLY.includes(g));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const log = (...a) => console.error('[bench]', ...a);
const started = new Date();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'saiwu-bench-'));
const cleanups = [];
const cleanup = () => {
	while (cleanups.length) {
		try { cleanups.pop()(); } catch (e) { console.error(e.message); }
	}
};
for (const sig of ['SIGINT', 'SIGTERM'])
	process.on(sig, () => { cleanup(); fs.rmSync(work, { recursive: true, force: true }); process.exit(130); });

// ---- helpers ----------------------------------------------------------------

function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
		s.on('error', reject);
	});
}

function wrk(url, { conns = 64, duration = DURATION } = {}) {
	const r = spawnSync('wrk', ['-t2', `-c${conns}`, `-d${duration}s`, '--latency', '-s', path.join(here, 'lua', 'get.lua'), url],
		{ encoding: 'utf8', env: { ...process.env, BENCH_LUA_DIR: path.join(here, 'lua'), BENCH_THREADS: '2' } });
	const m = /^BENCH (.*)$/m.exec(r.stdout || '');
	if (r.status !== 0 || !m)
		throw new Error(`wrk: ${r.stderr}${r.stdout}`);
	const j = JSON.parse(m[1]);
	return { req_s: j.ok / (j.duration_us / 1e6), p99_ms: j.p99_us / 1000, bad: j.bad, errors: j.errors };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- baselines ----------------------------------------------------------------

// N0: nginx with a config of ours, in the foreground, as our child.
async function n0() {
	const dir = path.join(work, 'nginx');
	const www = path.join(dir, 'www');
	fs.mkdirSync(www, { recursive: true });
	// 1 KB of JSON, as a small public API answer would be.
	const filler = 'x'.repeat(1024 - 24);
	fs.writeFileSync(path.join(www, 'hello.json'), `{"message":"${filler}","n":1}\n`.slice(0, 1023) + '\n');
	// nginx's workers run as nobody when started by root: they must read it.
	for (const p of [work, dir, www])
		fs.chmodSync(p, 0o755);
	fs.chmodSync(path.join(www, 'hello.json'), 0o644);
	const port = await freePort();
	const conf = path.join(dir, 'nginx.conf');
	fs.writeFileSync(conf, `# N0: perf-reliability §7.1 (2 workers, access_log off, sendfile)
worker_processes 2;
daemon off;
master_process on;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 100000;
	default_type application/json;
	client_body_temp_path ${dir}/body;
	proxy_temp_path ${dir}/proxy;
	fastcgi_temp_path ${dir}/fastcgi;
	uwsgi_temp_path ${dir}/uwsgi;
	scgi_temp_path ${dir}/scgi;
	server {
		listen 127.0.0.1:${port};
		root ${www};
	}
}
`);
	const p = spawn('nginx', ['-e', path.join(dir, 'error.log'), '-p', dir, '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
	let err = '';
	p.stderr.on('data', (d) => { err += d; });
	const kill = () => { if (p.exitCode === null) p.kill('SIGTERM'); };
	cleanups.push(kill);
	const url = `http://127.0.0.1:${port}/hello.json`;
	for (let i = 0; ; i++) {
		if (p.exitCode !== null)
			throw new Error(`nginx exited ${p.exitCode}: ${err}`);
		const ok = await new Promise((resolve) => {
			const c = net.connect(port, '127.0.0.1', () => { c.destroy(); resolve(true); });
			c.on('error', () => resolve(false));
		});
		if (ok)
			break;
		if (i > 100)
			throw new Error('nginx did not listen within 5 s');
		await sleep(50);
	}
	try {
		const all = [];
		for (let i = 0; i < RUNS; i++)
			all.push(wrk(url));
		const m = median(all.map((r) => r.req_s));
		const best = all.find((r) => r.req_s === m);
		const c512 = wrk(url, { conns: 512 });
		const version = spawnSync('nginx', ['-v'], { encoding: 'utf8' }).stderr.trim();
		return { ...best, runs: all, c512: { req_s: c512.req_s, p99_ms: c512.p99_ms }, version };
	} finally {
		kill();
		await new Promise((r) => (p.exitCode === null ? p.on('exit', r) : r()));
	}
}

function sqliteProbe(sync, perTx, rows) {
	const all = [];
	for (let i = 0; i < RUNS; i++) {
		const db = path.join(work, `probe-${sync}-${perTx}-${i}.db`);
		const out = execFileSync(path.join(TOOLS, 'sqlite-probe'), [db, sync, String(perTx), String(rows)], { encoding: 'utf8' });
		for (const f of [db, `${db}-wal`, `${db}-shm`])
			fs.rmSync(f, { force: true });
		all.push(JSON.parse(out));
	}
	const m = median(all.map((r) => r.tx_per_s));
	return { ...all.find((r) => r.tx_per_s === m), runs: all.map((r) => r.tx_per_s) };
}

function d0() {
	const mb = QUICK ? 200 : 1000;
	const all = [];
	for (let i = 0; i < RUNS; i++) {
		const f = path.join(work, 'd0.bin');
		const t0 = process.hrtime.bigint();
		execFileSync('dd', ['if=/dev/zero', `of=${f}`, 'bs=1M', `count=${mb}`, 'conv=fdatasync'], { stdio: 'ignore' });
		const secs = Number(process.hrtime.bigint() - t0) / 1e9;
		fs.rmSync(f);
		all.push(mb / secs);
	}
	return { mb_s: median(all), mb, runs: all };
}

// ---- PostgreSQL: a private cluster with durable settings ---------------------------
// tests/pg-cluster.sh turns fsync off (a test cluster lives for one run);
// a benchmark of durable writes must not, so this one keeps PostgreSQL's
// defaults for fsync, synchronous_commit and full_page_writes (all on).
const PGBIN = '/usr/lib/postgresql/15/bin';

async function startPg() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'saiwu-bench-pg-'));
	const port = 55000 + Math.floor(Math.random() * 4000);
	const root = process.getuid() === 0;
	const as = (cmd, args) => (root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
	if (root)
		execFileSync('chown', ['postgres', dir]);
	const run = (cmd, args) => {
		const [c, a] = as(cmd, args);
		const r = spawnSync(c, a, { encoding: 'utf8' });
		if (r.status !== 0)
			throw new Error(`${cmd}: ${r.stderr}${r.stdout}`);
	};
	run(`${PGBIN}/initdb`, ['-D', `${dir}/data`, '--auth=trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale']);
	run(`${PGBIN}/pg_ctl`, ['-D', `${dir}/data`, '-l', `${dir}/server.log`, '-w', '-t', '60', '-o',
		`-c listen_addresses='' -c unix_socket_directories=${dir} -p ${port} -c max_connections=300 ` +
		'-c fsync=on -c synchronous_commit=on -c full_page_writes=on', 'start']);
	const stop = () => {
		try { run(`${PGBIN}/pg_ctl`, ['-D', `${dir}/data`, '-m', 'fast', '-w', 'stop']); } catch { /* already */ }
		fs.rmSync(dir, { recursive: true, force: true });
	};
	cleanups.push(stop);
	return { env: { PGHOST: dir, PGPORT: String(port), PGUSER: 'postgres' }, dir, port, stop };
}

// P_ins: pgbench, one 1 KiB row a transaction, 8 clients on 2 threads.
function pIns(env) {
	const e = { ...process.env, ...env };
	const psql = (s, db = 'postgres') => execFileSync('psql', ['-qAtc', s, db], { env: e, encoding: 'utf8' });
	psql('CREATE DATABASE bench_pins');
	psql('CREATE TABLE t (id bigserial PRIMARY KEY, user_id int, body text, updated_at bigint)', 'bench_pins');
	const script = path.join(work, 'insert_1k.sql');
	fs.writeFileSync(script, `INSERT INTO t (user_id, body, updated_at) VALUES (1, repeat('x', 1024), 0);\n`);
	const all = [];
	for (let i = 0; i < RUNS; i++) {
		const out = execFileSync(`${PGBIN}/pgbench`, ['-n', '-f', script, '-c8', '-j2', `-T${DURATION}`, 'bench_pins'],
			{ env: e, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
		const m = /tps = ([\d.]+)/.exec(out);
		all.push(Number(m[1]));
	}
	psql('DROP DATABASE bench_pins');
	return { tx_s: median(all), runs: all };
}

// ---- scenarios ---------------------------------------------------------------

function scenarios(store, env, d0mbs, sb100) {
	const out = path.join(work, `scenarios-${store}.json`);
	const args = [path.join(here, 'scenarios.mjs'), '--out', out, '--tools', TOOLS, '--duration', String(DURATION),
		'--runs', String(RUNS), '--only', ONLY.join(','), ...(QUICK ? ['--quick'] : []), ...(d0mbs ? ['--d0', String(d0mbs)] : []),
		...(sb100 ? ['--sb100', String(sb100)] : [])];
	return new Promise((resolve) => {
		const p = spawn(process.execPath, args, { env: { ...process.env, SAIWU_TEST_STORE: store, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
		p.on('exit', (code) => {
			let r = { error: `scenarios.mjs exited ${code} before writing its figures` };
			if (fs.existsSync(out))
				r = JSON.parse(fs.readFileSync(out, 'utf8'));
			if (code !== 0 && !r.error)
				r.error = `scenarios.mjs exited ${code}`;
			resolve(r);
		});
	});
}

// ---- the table -----------------------------------------------------------------

const f0 = (x) => (x == null || Number.isNaN(x) ? '—' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const f2 = (x) => (x == null || Number.isNaN(x) ? '—' : x.toFixed(2));
const ms = (x) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;

function table(base, stores) {
	const rows = [];
	const row = (scenario, store, raw, baseline, ratio, target, pass) =>
		rows.push({ scenario, store, raw, baseline, ratio: ratio == null ? null : Number(ratio.toFixed(3)), target, pass });
	if (base.N0)
		row('N0 nginx 1 KB static', '—', `${f0(base.N0.req_s)} req/s, p99 ${ms(base.N0.p99_ms)}; c=512 ${f0(base.N0.c512.req_s)} req/s`, '—', null, 'baseline', null);
	if (base.S_full1)
		row('S_full1 SQLite 1 row/tx FULL', '—', `${f0(base.S_full1.tx_per_s)} tx/s`, '—', null, 'baseline', null);
	if (base.S_b100)
		row('S_b100 SQLite 100 rows/tx FULL', '—', `${f0(base.S_b100.rows_per_s)} rows/s`, '—', null, 'baseline', null);
	if (base.D0)
		row('D0 dd fdatasync', '—', `${f0(base.D0.mb_s)} MB/s`, '—', null, 'baseline', null);
	if (base.P_ins)
		row('P_ins pgbench 1 row/tx -c8', 'pg', `${f0(base.P_ins.tx_s)} tx/s`, '—', null, 'baseline', null);
	const N0 = base.N0?.req_s;
	const S1 = base.S_full1?.tx_per_s;
	const SB = base.S_b100?.rows_per_s;
	for (const [store, res] of stores) {
		const sc = res.scenarios || {};
		if (res.error)
			row('(run)', store, `failed: ${String(res.error).split('\n')[0].slice(0, 160)}`, '—', null, '—', false);
		const err = (r) => (r.bad || 0) + Object.values(r.errors || {}).reduce((a, b) => a + b, 0);
		if (sc.G1 && ONLY.includes('G1')) {
			const r = sc.G1;
			const ratio = r.req_s / N0;
			row('G1 public contest JSON', store, `${f0(r.req_s)} req/s, p99 ${ms(r.p99_ms)}, ${err(r)} errors`, 'N0', ratio,
				'≥ 0.30 × N0, p99 ≤ 15 ms, 0 errors', ratio >= 0.30 && r.p99_ms <= 15 && err(r) === 0);
		}
		if (sc.G2 && ONLY.includes('G2')) {
			const r = sc.G2;
			const ratio = r.req_s / N0;
			row('G2 applicant list c=64', store, `${f0(r.req_s)} req/s, p99 ${ms(r.p99_ms)}, ${err(r)} errors`, 'N0', ratio,
				'≥ 0.15 × N0, p99 ≤ 25 ms', ratio >= 0.15 && r.p99_ms <= 25 && err(r) === 0);
			const r5 = r.c512;
			row('G2 applicant list c=512', store, `${f0(r5.req_s)} req/s, p99 ${ms(r5.p99_ms)}`, 'N0', r5.req_s / N0,
				'≥ 0.12 × N0', r5.req_s / N0 >= 0.12);
		}
		if (sc.G3) {
			const r = sc.G3;
			const ratio = r.req_s / S1;
			row('G3 durable draft save', store, `${f0(r.req_s)} saves/s, p99 ${ms(r.p99_ms)}, ${r.bad} non-2xx; ` +
				`${r.verified ? 'every 200 is a version bump' : `VERSIONS ${r.versions_bumped} ≠ 200s ${r.ok}`}`, 'S_full1', ratio,
			'≥ 1.0 × S_full1, p99 ≤ 50 ms', ratio >= 1.0 && r.p99_ms <= 50 && r.verified && r.bad === 0);
			if (store === 'pg' && base.P_ins)
				row('G3 durable draft save (G15)', store, `${f0(r.req_s)} saves/s`, 'P_ins', r.req_s / base.P_ins.tx_s,
					'≥ 0.5 × P_ins', r.req_s / base.P_ins.tx_s >= 0.5);
		}
		if (sc.G4) {
			const r = sc.G4;
			const ratio = r.req_s / S1;
			const ok = r.lost === 0 && r.extra >= 0 && r.extra <= r.extra_allowed && r.doubled === 0;
			row('G4 submit', store, `${f0(r.req_s)} submits/s, ${r.ok ? `p99 ${ms(r.p99_ms)}` : 'none answered within the run'}; ${r.acked} acked, ${r.lost} lost, ` +
				`${r.extra} done unacked (in flight at the end), ${r.doubled} doubled${r.exhausted ? '; RAN OUT of drafts' : ''}`, 'S_full1', ratio,
			'≥ 0.5 × S_full1; none lost or doubled', ratio >= 0.5 && ok && r.bad === 0);
		}
		if (sc.G5) {
			const r = sc.G5;
			if (r.error) {
				row('G5 concurrent uploads', store, r.error, '—', null, '—', false);
			} else {
				const d0 = base.D0?.mb_s || r.d0_mb_s;
				row('G5 uploads: peak RSS', store, `${r.accepted}/${r.uploads} × ${r.mb} MB; peak RSS ${f0(r.rss_peak_mib)} MiB ` +
					`(before ${f0(r.rss_before_mib)})`, '—', null, '≤ 128 MiB, all accepted', r.rss_peak_mib <= 128 && r.accepted === r.uploads);
				row('G5 uploads: throughput', store, `${f0(r.mb_s)} MB/s; reads meanwhile ${f0(r.reads_s)}/s`, 'D0', r.mb_s / d0,
					'≥ 0.5 × D0 or ≥ 200 MB/s', r.mb_s / d0 >= 0.5 || r.mb_s >= 200);
			}
		}
		if (sc.G6) {
			const r = sc.G6;
			const ratio = r.solo_req_s ? r.req_s / r.solo_req_s : null;
			row('G6 slow clients (G2 during)', store, `${r.idle_open}/${r.idle_sockets} idle + ${r.trickling} trickling; G2 ${f0(r.req_s)} req/s ` +
				`(solo ${f0(r.solo_req_s)}), p99 ${ms(r.p99_ms)}; peak RSS ${f0(r.rss_peak_mib)} MiB`, 'G2 solo', ratio,
			'≥ 0.8 × G2 solo, RSS ≤ 256 MiB', ratio >= 0.8 && r.rss_peak_mib <= 256);
		}
		if (sc.G7) {
			const r = sc.G7;
			const ratio = r.solo_req_s ? r.req_s / r.solo_req_s : null;
			const codes = Object.entries(r.flood.codes).map(([k, v]) => `${v}×${k}`).join(' ');
			row('G7 login flood (G2 during)', store, `G2 ${f0(r.req_s)} req/s (solo ${f0(r.solo_req_s)}), p99 ${ms(r.p99_ms)}; ` +
				`flood ${f0(r.flood.req_s)}/s: ${codes}; solved-captcha logins from ${r.solved.solvers ?? 8} other addresses ${r.solved.attempts}` +
					(r.solved.limited ? ` (${r.solved.limited} of their captcha requests limited)` : ''), 'G2 solo', ratio,
			'≥ 0.5 × G2 solo', ratio >= 0.5);
			const g1r = r.g1_solo_req_s ? r.g1_req_s / r.g1_solo_req_s : null;
			row('G7 login flood (G1 during)', store, `G1 ${f0(r.g1_req_s)} req/s (solo ${f0(r.g1_solo_req_s)}), p99 ${ms(r.g1_p99_ms)}`,
				'G1 solo', g1r, '≥ 0.5 × G1 solo', g1r >= 0.5);
		}
		if (sc.G8) {
			const r = sc.G8;
			if (r.error || !r.full) {
				row('G8 XLSX export', store, r.error || 'no figures', '—', null, '—', false);
			} else {
				for (const k of ['full', 'summary']) {
					const x = r[k];
					row(`G8 XLSX export (${k})`, store, `${x.rows} rows in ${f2(x.secs)} s, ${f0(x.rows_s)} rows/s; RSS +${f0(x.rss_grow_mib)} MiB`,
						'S_b100', x.rows_s / SB, '≥ 0.05 × S_b100 (≤ 10 s for 50k), RSS ≤ +64 MiB', x.rows_s / SB >= 0.05 && x.rss_grow_mib <= 64);
				}
				row('G8 PDF of one application', store, `median ${f0(r.pdf_median_ms)} ms, max ${f0(r.pdf_max_ms)} ms`, '—', null,
					'≤ 300 ms', r.pdf_median_ms <= 300);
			}
		}
	}
	return rows;
}

function render(rows) {
	const head = ['scenario', 'store', 'raw figure', 'baseline', 'ratio', 'target', 'result'];
	const cells = rows.map((r) => [r.scenario, r.store, r.raw, r.baseline, r.ratio == null ? '—' : r.ratio.toFixed(3), r.target,
		r.pass == null ? '—' : r.pass ? 'PASS' : 'FAIL']);
	const w = head.map((h, i) => Math.max([...h].length, ...cells.map((c) => [...c[i]].length)));
	const pad = (s, n) => s + ' '.repeat(Math.max(0, n - [...s].length));
	const text = [head, w.map((n) => '-'.repeat(n)), ...cells].map((c) => c.map((x, i) => pad(x, w[i])).join('  ').trimEnd()).join('\n');
	const md = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`,
		...cells.map((c) => `| ${c.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`)].join('\n');
	return { text, md };
}

// ---- main ----------------------------------------------------------------------

async function main() {
	const base = {};
	const load0 = os.loadavg();
	log(`mode ${QUICK ? 'quick' : 'full'}, ${DURATION} s a point, ${RUNS} run(s) each, stores ${STORES.join(', ')}, scenarios ${ONLY.join(' ')}`);
	if (need('G1', 'G2')) {
		log('N0 nginx');
		base.N0 = await n0();
	}
	if (need('G3', 'G4', 'G8')) {
		log('S_full1 / S_b100 sqlite-probe');
		base.S_full1 = sqliteProbe('FULL', 1, QUICK ? 1000 : 5000);
		base.S_b100 = sqliteProbe('FULL', 100, QUICK ? 20000 : 100000);
	}
	if (need('G5')) {
		log('D0 dd');
		base.D0 = d0();
	}
	const stores = [];
	for (const store of STORES) {
		let env = {};
		if (store === 'pg') {
			log('PostgreSQL: private durable cluster');
			const pg = await startPg();
			env = pg.env;
			if (need('G3')) {
				log('P_ins pgbench');
				base.P_ins = pIns(env);
			}
			stores.push([store, await scenarios(store, env, base.D0?.mb_s, base.S_b100?.rows_per_s)]);
			pg.stop();
		} else {
			stores.push([store, await scenarios(store, env, base.D0?.mb_s, base.S_b100?.rows_per_s)]);
		}
	}
	const rows = table(base, stores);
	const { text, md } = render(rows);
	const host = os.hostname();
	const stamp = started.toISOString().slice(0, 10);
	const cmd = `bench/run.sh ${argv.filter((a) => a !== '--tools' && a !== TOOLS).join(' ')}`.trim();
	const header = `saiwu benchmark ${started.toISOString()} on ${host}: ${os.cpus().length} cores (${os.cpus()[0]?.model || '?'}), ` +
		`${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; load before ${load0.map((l) => l.toFixed(2)).join(' ')}, after ` +
		`${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${QUICK ? 'QUICK mode (smaller data, shorter runs: not a measurement)' : 'full mode'}; ` +
		`wrk -t2 -c64 -d${DURATION}s, median of ${RUNS}`;
	console.log(`\n${header}\n\n${text}\n`);
	const dir = path.join(top, 'bench', 'results');
	fs.mkdirSync(dir, { recursive: true });
	// A subset, one store or a quick run never overwrites the day's full run.
	const name = [stamp, host, ...(named.length ? ONLY : []), ...(STORES.length === 1 ? STORES : []),
		...(QUICK ? ['quick'] : [])].join('-');
	const passN = rows.filter((r) => r.pass === true).length;
	const failN = rows.filter((r) => r.pass === false).length;
	fs.writeFileSync(path.join(dir, `${name}.md`), `# Benchmark ${stamp} on ${host}\n\n${header}.\n\nCommand: \`${cmd}\`\n\n${md}\n\n` +
		`${passN} targets met, ${failN} not. Baselines were measured in this run on this machine (perf-reliability §7.1); ` +
		'the PostgreSQL cluster ran with fsync, synchronous_commit and full_page_writes on. ' +
		'Figures from a shared or loaded machine are indicative only.\n');
	fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ started: started.toISOString(), host, command: cmd, quick: QUICK,
		duration_s: DURATION, runs: RUNS, cores: os.cpus().length, load_before: load0, load_after: os.loadavg(),
		baselines: base, stores: Object.fromEntries(stores), table: rows }, null, 1));
	console.log(`${passN} targets met, ${failN} not; written to bench/results/${name}.md and .json`);
	const broken = stores.some(([, r]) => r.error);
	process.exitCode = broken ? 1 : 0;
}

main().catch((e) => {
	console.error(e);
	process.exitCode = 1;
}).finally(() => {
	cleanup();
	fs.rmSync(work, { recursive: true, force: true });
});
