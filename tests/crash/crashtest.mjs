#!/usr/bin/env node
// crashtest.mjs: kill -9 the server under mixed load, again and again, and
// check after every restart that nothing it acknowledged was lost
// (DESIGN §7 G9; reference/perf-reliability.md §7).
//
//   node tests/crash/crashtest.mjs [--rounds N] [--workers W] [--seed S]
//                                  [--min-ms A] [--max-ms B] [--keep]
//
// One server on SQLite with local blob storage, started as the API tests
// start it (lib.mjs, test mode, 演示 mode), on one data directory that every
// restart reuses. W applicants work side by side, each on its own records:
// create a record, save the 申报书 (PUT, each save with a new marker in
// intro.business_model), upload attachments (small and up to 1 MiB, each
// with a content of its own), submit, start the next record. Each round
// the load runs for a random A–B ms, then the server gets SIGKILL and is
// started again, and before any new load:
//   - the server starts at all (SQLite recovery, migrations, sweeps);
//   - `PRAGMA integrity_check` is ok and `PRAGMA foreign_key_check` finds
//     nothing (sqlite3 CLI, while the server holds the database);
//   - every write answered 2xx is there through the API: a record's
//     version and the marker of the last acknowledged save (or of the one
//     in flight at the kill, which may or may not have committed, but
//     nothing else), the submitted status, each uploaded file listed with
//     its sha256 and downloaded with those bytes; a submit is in the
//     history once;
//   - every attachments row names a file under DATA_DIR/files of the
//     row's size and sha256 (no row points to a missing file);
//   - DATA_DIR/tmp holds no temp file: the start-up sweep removed what the
//     killed process left;
//   - no stored file without a row: an upload killed between storing its
//     file and committing its row left its storage key in blob_intents,
//     and the start-up removed the file (a key whose file was never
//     stored stays a while: another process's upload may be storing it).
// A kill -9 tests the process crash: what the server answered before its
// commit reached SQLite (e.g. a group commit answering a batch early) is
// lost and caught here. It does not simulate a power cut (the page cache
// survives a process kill); fsync ordering is checked by reading the code.
//
// Prints one line per round, then `crashtest: P rounds passed, F failed`;
// exits 1 on any failure, keeping the data directory for inspection.

import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, STORE, createStore, startServer } from '../api/lib.mjs';
import { APP_ARGS, APPS, completeDoc, uniqueAccount } from '../api/app-fixtures.mjs';
import { Client, register } from '../api/auth-lib.mjs';
import { padTo, pdf } from '../api/att-lib.mjs';

// ---- options -------------------------------------------------------------

function parseArgs(argv) {
	const o = { rounds: 200, workers: 4, seed: crypto.randomInt(1, 2 ** 31), minMs: 150, maxMs: 2000, keep: false };
	const num = (i, name) => {
		const v = Number(argv[i + 1]);
		if (!Number.isInteger(v) || v < 0)
			throw new Error(`${name} needs a whole number, not ${argv[i + 1]}`);
		return v;
	};
	for (let i = 2; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--rounds')
			o.rounds = num(i++, a);
		else if (a === '--workers')
			o.workers = num(i++, a);
		else if (a === '--seed')
			o.seed = num(i++, a);
		else if (a === '--min-ms')
			o.minMs = num(i++, a);
		else if (a === '--max-ms')
			o.maxMs = num(i++, a);
		else if (a === '--keep')
			o.keep = true;
		else if (a === '--help' || a === '-h') {
			console.log('usage: node tests/crash/crashtest.mjs [--rounds N] [--workers W] [--seed S] [--min-ms A] [--max-ms B] [--keep]');
			process.exit(0);
		} else
			throw new Error(`unknown option ${a}`);
	}
	if (o.rounds < 1 || o.workers < 1 || o.maxMs < o.minMs)
		throw new Error('need --rounds ≥ 1, --workers ≥ 1 and --min-ms ≤ --max-ms');
	return o;
}

const opt = parseArgs(process.argv);
if (STORE !== 'sqlite')
	throw new Error('the crash test runs on SQLite with local blobs (SAIWU_TEST_STORE must be unset or sqlite)');

// A seeded generator: the same seed makes the same choices (the timing of
// the kill against the server's work is not reproducible, the load is).
function rng(seed) {
	let s = seed >>> 0;
	return () => {
		s = (s + 0x6D2B79F5) >>> 0;
		let t = s;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
const rand = rng(opt.seed);
const between = (a, b) => a + Math.floor(rand() * (b - a + 1));

const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');
const REQUIRED = ['qualification', 'ppt', 'declaration', 'authorization'];
// Extra files go where the form allows many (20 each).
const EXTRA = ['qualification', 'other'];
const SLOT_MAX = { qualification: 20, other: 20, ppt: 1, declaration: 3, authorization: 5 };

// ---- the model of what the server acknowledged ---------------------------
//
// Per record: the last acknowledged version and save marker, the status,
// the acknowledged files, and at most one request in flight (each worker
// sends one request at a time), whose outcome is unknown after a kill.

class Rec {
	constructor(id, version, worker) {
		this.id = id;
		this.version = version;
		this.worker = worker;
		this.marker = null; // null: the empty document of a new record
		this.base = null; // the complete document, without marker
		this.status = 'draft';
		this.files = new Map(); // attachment id → {slot, sha, size, checked}
		this.pending = null;
		this.touched = true;
	}

	count(slot) {
		let n = 0;
		for (const f of this.files.values())
			if (f.slot === slot)
				n++;
		return n;
	}
}

// ---- the run -------------------------------------------------------------

const store = createStore();
const target = { port: 0 }; // what the clients talk to; the port moves
let server = null;
const records = new Map();
const failures = [];
const stats = { saves: 0, submits: 0, uploads: 0, creates: 0, inflight: 0, orphanBlobs: 0, swept: 0, bytes: 0 };
let roundFailures = [];

function fail(what) {
	roundFailures.push(what);
}

async function start() {
	server = await startServer({ store, args: APP_ARGS });
	target.port = server.port;
}

function sqlite(statement) {
	const r = spawnSync('sqlite3', ['-cmd', '.timeout 10000', path.join(store.dataDir, 'saiwu.db'), statement], { encoding: 'utf8' });
	if (r.error)
		throw new Error(`sqlite3 (Debian package sqlite3) could not run: ${r.error.message}`);
	if (r.status !== 0)
		throw new Error(`sqlite3 ${statement}: ${r.stderr}`);
	return r.stdout.trim();
}

// A worker: one applicant doing one thing at a time until the kill.
class Worker {
	constructor(n) {
		this.n = n;
		this.c = new Client(target);
		this.cur = null;
		this.seq = 0;
		this.errors = [];
	}

	async signUp() {
		const { account, phone } = uniqueAccount(`crash${this.n}`);
		await register(this.c, { account, phone });
		this.c.account = account;
	}

	marker(round) {
		return `〔崩溃测试 r${round} w${this.n} #${this.seq++}〕`;
	}

	async step(round, live) {
		const c = this.c;
		if (!this.cur) {
			const pend = { kind: 'create' };
			this.pendingCreate = pend;
			const res = await c.post(APPS, { competition: 'guangdong-2026' });
			if (!live())
				return false;
			this.pendingCreate = null;
			if (res.status !== 201)
				throw new Error(`create → ${res.status} ${res.text.slice(0, 300)}`);
			const r = new Rec(res.json.id, res.json.version, this.n);
			records.set(r.id, r);
			this.cur = r;
			stats.creates++;
			return true;
		}
		const r = this.cur;
		r.touched = true;
		const missing = REQUIRED.filter((s) => r.count(s) === 0);
		let op;
		// Until a save of the complete document is acknowledged (a first
		// save in flight at a kill may not have committed), save it.
		if (r.marker === null)
			op = 'save';
		else if (missing.length)
			op = 'upload';
		else {
			const x = rand();
			op = x < 0.55 ? 'save' : x < 0.88 ? 'upload' : 'submit';
		}
		if (op === 'save') {
			if (!r.base)
				r.base = completeDoc();
			const marker = this.marker(round);
			const doc = structuredClone(r.base);
			doc.intro.business_model += marker;
			r.pending = { kind: 'save', marker, from: r.version };
			const res = await c.req('PUT', `${APPS}/${r.id}`, { body: { version: r.version, doc } });
			if (!live())
				return false;
			r.pending = null;
			if (res.status !== 200)
				throw new Error(`save ${r.id} v${r.version} → ${res.status} ${res.text.slice(0, 300)}`);
			if (res.json.version !== r.version + 1)
				throw new Error(`save ${r.id}: version ${r.version} → ${res.json.version}`);
			r.version = res.json.version;
			r.marker = marker;
			stats.saves++;
			return true;
		}
		if (op === 'upload') {
			let slot = missing[0];
			if (!slot) {
				slot = EXTRA[between(0, EXTRA.length - 1)];
				if (r.count(slot) >= SLOT_MAX[slot] - 1)
					slot = EXTRA.find((s) => r.count(s) < SLOT_MAX[s] - 1);
				if (!slot)
					return true; // full: the next step saves or submits
			}
			// Most files are small; about one in seven is large enough for the
			// kill to land while it streams into its temp file.
			const big = rand() < 0.15;
			const size = big ? between(128 * 1024, 1024 * 1024) : between(1024, 32 * 1024);
			const body = padTo(pdf(`${this.marker(round)} ${crypto.randomUUID()}`), size);
			const sha = sha256(body);
			r.pending = { kind: 'upload', slot, sha, size };
			const name = `${slot}-${this.seq}.pdf`;
			const res = await c.req('PUT', `${APPS}/${r.id}/attachments/${slot}?name=${encodeURIComponent(name)}`, {
				body, headers: { 'Content-Type': 'application/pdf' }, timeout: 30000,
			});
			if (!live())
				return false;
			r.pending = null;
			if (res.status !== 201)
				throw new Error(`upload ${slot} to ${r.id} → ${res.status} ${res.text.slice(0, 300)}`);
			if (res.json.sha256 !== sha || res.json.size !== size)
				throw new Error(`upload ${slot} to ${r.id}: the server says sha256 ${res.json.sha256}, size ${res.json.size}; sent ${sha}, ${size}`);
			r.files.set(res.json.id, { slot, sha, size, checked: false });
			stats.uploads++;
			stats.bytes += size;
			return true;
		}
		// submit
		r.pending = { kind: 'submit', from: r.version };
		const res = await c.post(`${APPS}/${r.id}/submit`, { version: r.version });
		if (!live())
			return false;
		r.pending = null;
		if (res.status !== 200 || res.json.status !== 'submitted')
			throw new Error(`submit ${r.id} v${r.version} → ${res.status} ${res.text.slice(0, 500)}`);
		r.version = res.json.version;
		r.status = 'submitted';
		stats.submits++;
		this.cur = null;
		return true;
	}

	// Works until the round is over; errors while the server lives fail the
	// round, errors after the kill are the kill.
	async run(round, state) {
		const live = () => !state.killed;
		while (live()) {
			try {
				if (!(await this.step(round, live)))
					break;
			} catch (e) {
				if (!live())
					break;
				fail(`worker ${this.n}: ${e.message}`);
				break;
			}
		}
	}
}

// Checks one record against the model after a restart, then makes the
// model what the server has (an in-flight write settled one way or other).
async function verifyRecord(c, r, full) {
	const res = await c.get(`${APPS}/${r.id}`);
	if (res.status !== 200) {
		fail(`record ${r.id} (acknowledged 201): GET → ${res.status} ${res.text.slice(0, 200)}`);
		return;
	}
	const got = res.json;
	const bm = got.doc?.intro?.business_model || '';
	const hasMarker = (m) => m === null ? !bm.includes('〔崩溃测试') : bm.endsWith(m);
	const p = r.pending;
	if (p && p.kind === 'save' && got.version === r.version + 1) {
		if (!hasMarker(p.marker))
			fail(`record ${r.id}: version ${got.version} but not the save in flight (${p.marker}): …${bm.slice(-40)}`);
		r.version = got.version;
		r.marker = p.marker;
	} else if (p && p.kind === 'submit' && got.version === r.version + 1 && got.status === 'submitted') {
		r.version = got.version;
		r.status = 'submitted';
	} else if (got.version !== r.version || !hasMarker(r.marker)) {
		fail(`record ${r.id}: version ${got.version}, …${bm.slice(-24)}; acknowledged version ${r.version}, ${r.marker}` +
			`${p ? ` (${p.kind} in flight)` : ''}`);
		// Go on from what the server has, so one loss is reported once.
		r.version = got.version;
		r.marker = /〔崩溃测试[^〕]*〕$/.exec(bm)?.[0] ?? null;
	}
	if (got.status !== r.status) {
		fail(`record ${r.id}: status ${got.status}, acknowledged ${r.status}`);
		r.status = got.status;
	}
	const submits = (got.history || []).filter((h) => h.action === 'submit' || h.action === 'resubmit').length;
	if (submits !== (r.status === 'submitted' ? 1 : 0))
		fail(`record ${r.id}: ${submits} submit entries in its history, status ${r.status}`);
	if (r.status === 'submitted' && records.get(r.id) === r)
		for (const w of workers)
			if (w.cur === r)
				w.cur = null;

	const list = await c.get(`${APPS}/${r.id}/attachments`);
	if (list.status !== 200) {
		fail(`record ${r.id}: attachments → ${list.status}`);
		return;
	}
	const seen = new Map(list.json.files.filter((f) => !f.deleted_at).map((f) => [f.id, f]));
	for (const [id, f] of r.files) {
		const g = seen.get(id);
		if (!g) {
			fail(`record ${r.id}: acknowledged file ${id} (${f.slot}) is missing`);
			continue;
		}
		if (g.sha256 !== f.sha || g.size !== f.size)
			fail(`record ${r.id}: file ${id} has sha256 ${g.sha256} size ${g.size}, acknowledged ${f.sha} ${f.size}`);
		if (!f.checked || full) {
			const d = await c.get(`${APPS}/${r.id}/attachments/${id}`);
			if (d.status !== 200 || sha256(d.body) !== f.sha)
				fail(`record ${r.id}: file ${id} downloads as ${d.status}, sha256 ${sha256(d.body)}, acknowledged ${f.sha}`);
			f.checked = true;
		}
	}
	for (const [id, g] of seen) {
		if (r.files.has(id))
			continue;
		if (p && p.kind === 'upload' && g.sha256 === p.sha && g.slot === p.slot) {
			// The upload in flight committed before the kill: fine.
			r.files.set(id, { slot: p.slot, sha: p.sha, size: p.size, checked: false });
			continue;
		}
		fail(`record ${r.id}: file ${id} (${g.slot}, ${g.sha256}) was never uploaded`);
	}
	r.pending = null;
}

const hashed = new Set(); // storage keys whose bytes were checked

// The database and the file tree, straight from disk.
function verifyStorage(full) {
	const ic = sqlite('PRAGMA integrity_check');
	if (ic !== 'ok')
		fail(`integrity_check: ${ic.slice(0, 500)}`);
	const fk = sqlite('PRAGMA foreign_key_check');
	if (fk !== '')
		fail(`foreign_key_check: ${fk.slice(0, 500)}`);
	const tmp = path.join(store.dataDir, 'tmp');
	const left = fs.existsSync(tmp) ? fs.readdirSync(tmp) : [];
	if (left.length)
		fail(`${left.length} temp file(s) left in DATA_DIR/tmp after start-up: ${left.slice(0, 5).join(' ')}`);
	const files = path.join(store.dataDir, 'files');
	const rows = sqlite("SELECT storage_key || '|' || size || '|' || sha256 FROM attachments")
		.split('\n').filter(Boolean).map((l) => l.split('|'));
	const keys = new Set();
	for (const [key, size, sha] of rows) {
		keys.add(key);
		const f = path.join(files, key);
		let st;
		try {
			st = fs.statSync(f);
		} catch {
			fail(`attachments row points to a missing file: ${key}`);
			continue;
		}
		if (st.size !== Number(size))
			fail(`blob ${key}: ${st.size} bytes, its row says ${size}`);
		else if (full || !hashed.has(key)) {
			if (sha256(fs.readFileSync(f)) !== sha)
				fail(`blob ${key}: contents do not match the row's sha256`);
			hashed.add(key);
		}
	}
	// Finished exports name files too (none in this load, but a row is a row).
	for (const key of sqlite("SELECT storage_key FROM export_jobs WHERE status = 'done' AND storage_key IS NOT NULL").split('\n').filter(Boolean)) {
		keys.add(key);
		if (!fs.existsSync(path.join(files, key)))
			fail(`export_jobs row points to a missing file: ${key}`);
	}
	let orphans = 0;
	for (const d of fs.existsSync(files) ? fs.readdirSync(files) : [])
		for (const n of fs.readdirSync(path.join(files, d)))
			if (!keys.has(`${d}/${n}`)) {
				orphans++;
				fail(`stored file without a row after the restart: ${d}/${n}`);
			}
	return { rows: rows.length, orphans };
}

const workers = [];

async function main() {
	const t0 = Date.now();
	console.log(`crashtest: ${opt.rounds} rounds, ${opt.workers} workers, kill after ${opt.minMs}–${opt.maxMs} ms, seed ${opt.seed}`);
	console.log(`crashtest: ${BIN}, data in ${store.dataDir}`);
	await start();
	for (let i = 0; i < opt.workers; i++) {
		const w = new Worker(i);
		await w.signUp();
		workers.push(w);
	}
	let passed = 0;
	for (let round = 1; round <= opt.rounds; round++) {
		roundFailures = [];
		const before = { ...stats };
		const state = { killed: false };
		const delay = between(opt.minMs, opt.maxMs);
		const runs = workers.map((w) => w.run(round, state));
		await new Promise((res) => setTimeout(res, delay));
		state.killed = true;
		server.proc.kill('SIGKILL');
		const ex = await server.exited;
		await Promise.all(runs);
		if (ex.signal !== 'SIGKILL')
			fail(`the server had stopped before the kill: ${ex.code ?? ex.signal}\n${server.stderr().slice(-2000)}`);
		let inflight = 0;
		for (const r of records.values())
			if (r.pending)
				inflight++;
		inflight += workers.filter((w) => w.pendingCreate).length;
		const killed = server;
		try {
			await start();
		} catch (e) {
			fail(`restart after the kill: ${e.message}`);
			failures.push({ round, list: roundFailures });
			console.log(`round ${round}: FAILED — the server does not start again\n${e.message}`);
			console.log(`killed server's log:\n${killed.stderr().slice(-3000)}`);
			break;
		}
		let st = { rows: 0, orphans: 0 };
		const last = round === opt.rounds;
		try {
			st = verifyStorage(last);
			for (const r of records.values()) {
				if (!r.touched && !last)
					continue;
				// Each record through its owner: an applicant sees only theirs.
				await verifyRecord(workers[r.worker].c, r, last);
				r.touched = false;
			}
			for (const w of workers)
				w.pendingCreate = null;
		} catch (e) {
			fail(`verification: ${e.stack || e.message}`);
		}
		stats.orphanBlobs = st.orphans;
		// What the start-up sweep resolved: files of uploads killed
		// between storing the file and committing its row.
		const swept = /removed (\d+) stored files? of uploads or exports cut short/.exec(server.stderr());
		stats.swept += swept ? Number(swept[1]) : 0;
		const d = (k) => stats[k] - before[k];
		const line = `round ${round}/${opt.rounds}: killed at ${delay} ms; acknowledged ${d('saves')} saves, ${d('submits')} submits, ` +
			`${d('uploads')} uploads, ${d('creates')} creates; ${inflight} in flight; ${st.rows} attachment rows, ${st.orphans} blobs without a row`;
		if (roundFailures.length) {
			failures.push({ round, list: roundFailures });
			console.log(`${line} — FAILED`);
			for (const f of roundFailures)
				console.log(`    ${f}`);
			console.log(`    killed server's log (tail):\n${killed.stderr().split('\n').slice(-15).map((l) => `      ${l}`).join('\n')}`);
		} else {
			passed++;
			console.log(`${line} — ok`);
		}
	}
	const stop = await server.stop();
	if (stop.code !== 0)
		failures.push({ round: 'final stop', list: [`the server did not stop cleanly: ${JSON.stringify(stop)}`] });
	const secs = ((Date.now() - t0) / 1000).toFixed(1);
	console.log(`crashtest: in ${secs} s, ${stats.saves} saves, ${stats.submits} submits, ${stats.uploads} uploads ` +
		`(${(stats.bytes / 1048576).toFixed(1)} MiB), ${stats.creates} records acknowledged and checked after ${opt.rounds} kills; ` +
		`${stats.orphanBlobs} stored files without a row (${stats.swept} removed by the start-up sweeps)`);
	if (failures.length) {
		console.log(`crashtest: data directory kept for inspection: ${store.dataDir}`);
	} else if (!opt.keep) {
		store.destroy();
	} else {
		console.log(`crashtest: data directory kept: ${store.dataDir}`);
	}
	console.log(`crashtest: ${passed} rounds passed, ${opt.rounds - passed} failed`);
	process.exitCode = failures.length ? 1 : 0;
}

main().catch((e) => {
	console.error(`crashtest: ${e.stack || e.message}`);
	if (server && server.alive())
		server.proc.kill('SIGKILL');
	console.log(`crashtest: data directory kept for inspection: ${store.dataDir}`);
	console.log('crashtest: 0 rounds passed, 1 failed');
	process.exitCode = 1;
});
