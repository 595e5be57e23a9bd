// scenarios.mjs: saiwu's benchmark scenarios G1–G8 against one store
// (SAIWU_TEST_STORE=sqlite, or pg with PGHOST/PGPORT/PGUSER), on data
// seeded in SQL: 50,000 users, each with a submitted application (with
// its attachments), plus drafts for the write scenarios and 3,000 signed-in
// sessions. Started by bench/harness.mjs, which measures the baselines and
// prints the table; this file only measures and writes raw figures as JSON.
//
//   node bench/scenarios.mjs --out FILE --tools DIR [--quick] [--duration S]
//        [--runs N] [--only G1,G3]
//
// Everything goes to 127.0.0.1 and every load is bounded in time (wrk -d)
// and count (the seeded rows).

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAppServer, newApplicant, completeDoc, submitted, createApp, saveDoc, APPS } from '../tests/api/app-fixtures.mjs';
import { sql } from '../tests/api/att-lib.mjs';
import { STORE, BIN, createPgDatabase } from '../tests/api/lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, def) => {
	const i = argv.indexOf(name);
	return i >= 0 ? argv[i + 1] : def;
};
const QUICK = argv.includes('--quick');
const OUT = opt('--out');
const TOOLS = opt('--tools');
const DURATION = Number(opt('--duration', QUICK ? 3 : 10));
const RUNS = Number(opt('--runs', 1));
const ONLY = (opt('--only', 'G1,G2,G3,G4,G5,G6,G7,G8')).split(',');
const want = (g) => ONLY.includes(g);
const D0 = Number(opt('--d0', 0));
const SB100 = Number(opt('--sb100', 0));
if (!OUT || !TOOLS)
	throw new Error('usage: scenarios.mjs --out FILE --tools DIR [--quick] [--duration S] [--runs N] [--only G1,G2]');

// Sizes: the full data set, or a tenth for a smoke run.
const N_USERS = QUICK ? 5000 : 50000;
const N_G2 = 1000;          // sessions rotated by G2 (users with one record)
const N_G3 = 1000;          // drafts saved by G3, one per user
const G4_PER_USER = QUICK ? 2 : 24 * RUNS; // complete drafts submitted by G4
const N_G4_USERS = 1000;
const CONNS = 64;
const THREADS = 2;

const results = { store: STORE, quick: QUICK, duration_s: DURATION, runs: RUNS, scenarios: {} };
const save = () => fs.writeFileSync(OUT, JSON.stringify(results, null, 1));
const log = (...a) => console.error(`[${STORE}]`, ...a);
const work = fs.mkdtempSync(path.join(os.tmpdir(), `saiwu-bench-${STORE}-`));

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const now = () => Math.floor(Date.now() / 1000);

// ---- wrk ----------------------------------------------------------------

// Runs wrk with a script from bench/lua and returns the BENCH figures plus
// req_s (2xx per second: only answered work counts).
function wrk(url, script, { env = {}, conns = CONNS, duration = DURATION } = {}) {
	return new Promise((resolve, reject) => {
		const args = [`-t${THREADS}`, `-c${conns}`, `-d${duration}s`, '--timeout', '10s', '--latency',
			'-s', path.join(here, 'lua', script), url];
		const p = spawn('wrk', args, {
			env: { ...process.env, BENCH_LUA_DIR: path.join(here, 'lua'), BENCH_THREADS: String(THREADS), ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		let err = '';
		p.stdout.on('data', (d) => { out += d; });
		p.stderr.on('data', (d) => { err += d; });
		p.on('exit', (code) => {
			const m = /^BENCH (.*)$/m.exec(out);
			if (code !== 0 || !m)
				return reject(new Error(`wrk ${script} exited ${code}: ${err}${out}`));
			const r = JSON.parse(m[1]);
			r.req_s = r.ok / (r.duration_us / 1e6);
			r.p99_ms = r.p99_us / 1000;
			r.p50_ms = r.p50_us / 1000;
			resolve(r);
		});
	});
}

// The median run of several, by rate; every run is kept for the record.
async function runs(fn, n = RUNS) {
	const all = [];
	for (let i = 0; i < n; i++)
		all.push(await fn(i));
	const m = median(all.map((r) => r.req_s));
	return { ...all.find((r) => r.req_s === m), runs: all.map((r) => ({ req_s: r.req_s, p99_ms: r.p99_ms })) };
}

// ---- process memory -------------------------------------------------------

function rssMiB(pid, field = 'VmRSS') {
	const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	return m ? Number(m[1]) / 1024 : 0;
}

function sampleRss(pid) {
	let peak = rssMiB(pid);
	const before = peak;
	const t = setInterval(() => { try { peak = Math.max(peak, rssMiB(pid)); } catch { /* gone */ } }, 50);
	return { before, stop: () => { clearInterval(t); try { peak = Math.max(peak, rssMiB(pid)); } catch { /* gone */ } return peak; } };
}

// Waits until the server has no work left: wrk stops with up to one
// request a connection still queued in the server (MHD finishes what it
// has read), and a slow endpoint's backlog would be measured as the next
// scenario's slowness. Idle means under 2 % of a core for 2 s in a row (a
// process waiting on fsync shows no CPU, so write scenarios also wait for
// their rows to stop changing). Bounded: at most 180 s.
function cpuTicks(pid) {
	const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return Number(f[11]) + Number(f[12]);
}

async function quiesce(pid, stable = null) {
	const t0 = Date.now();
	let calm = 0;
	let last = cpuTicks(pid);
	let lastValue = stable ? stable() : null;
	while (Date.now() - t0 < 180000) {
		await new Promise((r) => setTimeout(r, 1000));
		const t = cpuTicks(pid);
		const v = stable ? stable() : null;
		calm = t - last <= 2 && v === lastValue ? calm + 1 : 0;
		last = t;
		lastValue = v;
		if (calm >= 2)
			return (Date.now() - t0) / 1000;
	}
	log('the server did not go idle within 180 s');
	return (Date.now() - t0) / 1000;
}

// ---- seeding --------------------------------------------------------------

const q = (server, s) => sql(server, s);
const ids = (server, s) => q(server, s).split('\n').filter(Boolean).map((l) => l.split('|'));

// Copies of one user (account bench_<n>, a phone hash that no phone can
// have) and of one record per copy; counts and id ranges come back.
function seed(server, tmplUser, tmplSubmitted, tmplDraft) {
	const t0 = Date.now();
	q(server, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${N_USERS})
		INSERT INTO users (account, account_lower, phone_hash, phone_sealed, phone_masked, password_hash,
			agreement_version, created_at, updated_at)
		SELECT 'bench_' || i, 'bench_' || i, 'bench-phone-' || i, phone_sealed, phone_masked, password_hash,
			agreement_version, created_at, updated_at FROM users, n WHERE users.id = ${tmplUser}`);
	q(server, `INSERT INTO user_roles (user_id, role, competition_id, created_at)
		SELECT u.id, r.role, r.competition_id, r.created_at FROM users u, user_roles r
		WHERE r.user_id = ${tmplUser} AND u.phone_hash LIKE 'bench-phone-%'`);
	const [[lo, hi]] = ids(server, `SELECT MIN(id), MAX(id) FROM users WHERE phone_hash LIKE 'bench-phone-%'`);
	const first = Number(lo);
	if (Number(hi) - first + 1 !== N_USERS)
		throw new Error(`seeded users are not one id range: ${lo}..${hi}`);
	const cols = `competition_id, track_id, topic_id, status, stage, tech_status, team_name, project_name,
		lead_unit_name, lead_uscc, doc, version, created_at, updated_at, submitted_at, first_submitted_at`;
	const copy = (src, userWhere, times = 1) => q(server, `WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < ${times})
		INSERT INTO applications (user_id, ${cols})
		SELECT u.id, a.competition_id, a.track_id, a.topic_id, a.status, a.stage, a.tech_status, a.team_name,
			a.project_name || '-' || u.id || '-' || k.j, a.lead_unit_name, a.lead_uscc, a.doc, a.version, a.created_at,
			a.updated_at, a.submitted_at, a.first_submitted_at FROM applications a, users u, k
			WHERE a.id = ${src} AND ${userWhere}`);
	// Every seeded user has one submitted record (the export's and G2's).
	copy(tmplSubmitted, `u.id BETWEEN ${first} AND ${first + N_USERS - 1}`);
	// G3: one complete draft for each of the next N_G3 users; G4: several.
	const g3First = first + N_G2;
	const g4First = g3First + N_G3;
	const range = () => ids(server, 'SELECT MAX(id) FROM applications')[0].map(Number)[0];
	copy(tmplDraft, `u.id BETWEEN ${g3First} AND ${g3First + N_G3 - 1}`);
	const g3Apps = [range() - N_G3 + 1, range()];
	copy(tmplDraft, `u.id BETWEEN ${g4First} AND ${g4First + N_G4_USERS - 1}`, G4_PER_USER);
	const g4Apps = [range() - N_G4_USERS * G4_PER_USER + 1, range()];
	// Their attachments, so a submit finds every required one.
	for (const src of [tmplSubmitted, tmplDraft])
		q(server, `INSERT INTO attachments (application_id, slot, row_path, file_name, size, kind, mime,
				sha256, storage_key, uploaded_by, created_at)
			SELECT a.id, x.slot, x.row_path, x.file_name, x.size, x.kind, x.mime, x.sha256, x.storage_key,
				x.uploaded_by, x.created_at FROM applications a, attachments x
			WHERE x.application_id = ${src} AND a.user_id BETWEEN ${first} AND ${first + N_USERS - 1}
				AND a.status = (SELECT status FROM applications WHERE id = ${src})`);
	if (STORE === 'pg')
		q(server, 'ANALYZE');
	const counts = ids(server, `SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM applications),
		(SELECT COUNT(*) FROM attachments)`)[0].map(Number);
	log(`seeded ${counts[0]} users, ${counts[1]} applications, ${counts[2]} attachments in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	return { first, g2First: first, g3First, g4First, counts, secs: (Date.now() - t0) / 1000,
		g3Where: `id BETWEEN ${g3Apps[0]} AND ${g3Apps[1]}`, g4Where: `id BETWEEN ${g4Apps[0]} AND ${g4Apps[1]}` };
}

// Signed-in sessions minted with the server's key (bench/tools/mint-sessions).
function mintSessions(server, userIds) {
	const key = path.join(server.dataDir, 'secret.key');
	if (!fs.existsSync(key))
		throw new Error(`no secret key at ${key}`);
	const r = spawnSync(path.join(TOOLS, 'mint-sessions'), [key], { input: userIds.join('\n') + '\n', encoding: 'utf8' });
	if (r.status !== 0)
		throw new Error(`mint-sessions: ${r.stderr}`);
	const rows = r.stdout.trim().split('\n').map((l) => l.split('\t'));
	const t = now();
	for (let i = 0; i < rows.length; i += 500) {
		const values = rows.slice(i, i + 500).map(([uid, , hash]) =>
			`('${hash}', ${Number(uid)}, 1, ${t}, ${t}, ${t + 30 * 86400}, '127.0.0.1', 'saiwu-bench')`).join(',');
		q(server, `INSERT INTO sessions (token_hash, user_id, remember, created_at, last_seen_at, expires_at, ip, user_agent)
			VALUES ${values}`);
	}
	return new Map(rows.map(([uid, token, , csrf]) => [Number(uid), { token, csrf }]));
}

// ---- small HTTP helpers -----------------------------------------------------

function get(base, p, headers = {}) {
	return new Promise((resolve, reject) => {
		const u = new URL(p, base);
		http.get({ host: u.hostname, port: u.port, path: u.pathname + u.search, headers, agent: false }, (res) => {
			let b = '';
			res.on('data', (d) => { b += d; });
			res.on('end', () => resolve({ status: res.statusCode, text: b }));
		}).on('error', reject);
	});
}

// ---- the scenarios ----------------------------------------------------------

async function main() {
	const server = await startAppServer({ args: ['--log-level', 'warn', '--max-connections', '4096'] });
	const pid = server.proc.pid;
	try {
		log(`server ${server.url} (pid ${pid})`);
		const alice = await newApplicant(server);
		const sub = await submitted(alice, completeDoc());
		const d = await createApp(alice);
		const draft = await saveDoc(alice, d.id, d.version, completeDoc());
		const tmplUser = Number(q(server, `SELECT user_id FROM applications WHERE id = ${sub.id}`));
		const s = seed(server, tmplUser, sub.id, draft.id);
		results.seed = { users: s.counts[0], applications: s.counts[1], attachments: s.counts[2], secs: s.secs };
		const users = [];
		for (let i = 0; i < N_G2 + N_G3 + N_G4_USERS; i++)
			users.push(s.first + i);
		const sess = mintSessions(server, users);
		const check = await get(server.url, '/api/v1/session', { Cookie: `saiwu_session=${sess.get(s.first).token}` });
		if (!/"authenticated":true/.test(check.text))
			throw new Error(`a minted session is not signed in: ${check.text}`);
		const sessFile = (name, lines) => {
			const f = path.join(work, name);
			fs.writeFileSync(f, lines.join('\n') + '\n');
			return f;
		};
		const g2File = sessFile('g2.tsv', users.slice(0, N_G2).map((u) => sess.get(u).token));
		const g2 = () => wrk(server.url, 'g2-list.lua', { env: { BENCH_SESSIONS: g2File } });
		const g1url = `${server.url}/api/v1/competitions/guangdong-2026`;
		const g1 = () => wrk(g1url, 'get.lua');
		save();

		let g1solo = null;
		let g2solo = null;
		if (want('G1') || want('G7')) {
			log('G1 public contest JSON');
			g1solo = await runs(() => g1());
			const body = await get(server.url, '/api/v1/competitions/guangdong-2026');
			results.scenarios.G1 = { ...g1solo, body_bytes: body.text.length };
			save();
		}
		if (want('G2') || want('G6') || want('G7')) {
			log('G2 applicant list');
			g2solo = await runs(() => g2());
			const c512 = await wrk(server.url, 'g2-list.lua', { env: { BENCH_SESSIONS: g2File }, conns: 512 });
			const body = await get(server.url, '/api/v1/applications?per_page=20', { Cookie: `saiwu_session=${sess.get(s.first).token}` });
			results.scenarios.G2 = { ...g2solo, c512: { req_s: c512.req_s, p99_ms: c512.p99_ms, bad: c512.bad }, body_bytes: body.text.length };
			save();
		}

		if (want('G3')) {
			await quiesce(pid);
			log('G3 durable draft save');
			const doc = completeDoc();
			const docFile = sessFile('doc.json', [JSON.stringify(doc)]);
			const g3Users = s.g3Where;
			const sumVersions = () => Number(q(server, `SELECT SUM(version) FROM applications WHERE ${g3Users}`));
			const r = await runs(async () => {
				const rows = ids(server, `SELECT user_id, id, version FROM applications WHERE ${g3Users} ORDER BY id`);
				const f = sessFile('g3.tsv', rows.map(([u, id, v]) => [sess.get(Number(u)).token, sess.get(Number(u)).csrf, id, v].join('\t')));
				const before = sumVersions();
				const w = await wrk(server.url, 'g3-save.lua', { env: { BENCH_SESSIONS: f, BENCH_DOC: docFile } });
				// Every 200 must be a version bump in the database; saves still
				// in flight when wrk stopped (at most one a connection) may add more.
				w.drain_s = await quiesce(pid, sumVersions);
				w.versions_bumped = sumVersions() - before;
				w.verified = w.versions_bumped >= w.ok && w.versions_bumped <= w.ok + CONNS;
				return w;
			});
			results.scenarios.G3 = { ...r, doc_bytes: JSON.stringify(doc).length };
			save();
		}

		if (want('G4')) {
			await quiesce(pid);
			log('G4 submit');
			const g4Users = s.g4Where;
			let acked = 0;
			const r = await runs(async () => {
				const rows = ids(server, `SELECT user_id, id FROM applications WHERE ${g4Users} AND status = 'draft' ORDER BY id`);
				const f = sessFile('g4.tsv', rows.map(([u, id]) => [sess.get(Number(u)).token, sess.get(Number(u)).csrf, id].join('\t')));
				const w = await wrk(server.url, 'g4-submit.lua', { env: { BENCH_SESSIONS: f } });
				w.drain_s = await quiesce(pid, () => q(server, `SELECT COUNT(*) FROM applications WHERE ${g4Users} AND status = 'submitted'`));
				w.available = rows.length;
				w.exhausted = w.idle > 0;
				acked += w.ok;
				return w;
			});
			// None lost: every acknowledged submit is a submitted record;
			// none doubled: no record has two submit entries in its history.
			const submittedN = Number(q(server, `SELECT COUNT(*) FROM applications WHERE ${g4Users} AND status = 'submitted'`));
			const doubled = Number(q(server, `SELECT COUNT(*) FROM (SELECT h.application_id FROM application_history h
				JOIN applications a ON a.id = h.application_id WHERE a.${g4Users} AND h.action = 'submit'
				GROUP BY h.application_id HAVING COUNT(*) > 1) x`));
			// Submits still in flight when wrk stopped (≤ one a connection) are
			// done but unacknowledged: allowed, up to that many.
			results.scenarios.G4 = { ...r, acked, submitted: submittedN, lost: Math.max(0, acked - submittedN),
				extra: submittedN - acked, extra_allowed: CONNS * RUNS, doubled };
			save();
		}

		if (want('G6')) {
			await quiesce(pid);
			log('G6 slow clients');
			results.scenarios.G6 = await slowClients(server, s, sess, g2, g2solo);
			save();
		}

		if (want('G7')) {
			await quiesce(pid);
			log('G7 login flood');
			results.scenarios.G7 = await loginFlood(server, s, g1, g2, g1solo, g2solo);
			save();
		}
	} finally {
		await server.stop();
	}

	if (want('G5')) {
		log('G5 concurrent uploads');
		results.scenarios.G5 = await g5();
		save();
	}
	if (want('G8')) {
		log('G8 XLSX export');
		results.scenarios.G8 = await child('g8-export.mjs', [...(QUICK ? ['--apps', '5000', '--pdfs', '3'] : ['--apps', '50000', '--pdfs', '10']),
			...(SB100 ? ['--sb100', String(SB100)] : [])]);
		save();
	}
	fs.rmSync(work, { recursive: true, force: true });
}

// G6: 1,000 idle keep-alive connections and 200 uploads trickling at
// 1 KB/s while G2 runs; G2's rate against its solo rate, and the RSS.
async function slowClients(server, s, sess, g2, g2solo) {
	const IDLE = QUICK ? 200 : 1000;
	const TRICKLE = QUICK ? 40 : 200;
	const u = new URL(server.url);
	const sockets = [];
	const rss = sampleRss(server.proc.pid);
	// Idle: one request answered, then nothing, as a browser keeps them.
	await Promise.all(Array.from({ length: IDLE }, () => new Promise((resolve) => {
		const c = net.connect(Number(u.port), u.hostname, () => {
			c.write(`GET /healthz HTTP/1.1\r\nHost: ${u.host}\r\n\r\n`);
		});
		c.once('data', () => resolve());
		c.on('error', () => resolve());
		sockets.push(c);
	})));
	const openIdle = sockets.filter((c) => !c.destroyed).length;
	// Trickling uploads into the G3 users' drafts (one each).
	const drafts = ids(server, `SELECT user_id, id FROM applications WHERE user_id BETWEEN ${s.g3First}
		AND ${s.g3First + TRICKLE - 1} AND status = 'draft' ORDER BY id`).slice(0, TRICKLE);
	const timers = [];
	for (const [uid, id] of drafts) {
		const { token, csrf } = sess.get(Number(uid));
		const c = net.connect(Number(u.port), u.hostname, () => {
			c.write(`PUT ${APPS}/${id}/attachments/ppt?name=slow.pdf HTTP/1.1\r\nHost: ${u.host}\r\n` +
				`Cookie: saiwu_session=${token}\r\nX-CSRF-Token: ${csrf}\r\nContent-Length: 1048576\r\n\r\n%PDF-1.4\n`);
			timers.push(setInterval(() => { if (!c.destroyed) c.write(Buffer.alloc(1024, 0x41)); }, 1000));
		});
		c.on('error', () => {});
		sockets.push(c);
	}
	await new Promise((r) => setTimeout(r, 1500));
	const during = await g2();
	const peak = rss.stop();
	for (const t of timers)
		clearInterval(t);
	const stillOpen = sockets.filter((c) => !c.destroyed).length;
	for (const c of sockets)
		c.destroy();
	return {
		idle_sockets: IDLE, idle_open: openIdle, trickling: drafts.length, open_at_end: stillOpen,
		req_s: during.req_s, p99_ms: during.p99_ms, bad: during.bad, errors: during.errors,
		solo_req_s: g2solo ? g2solo.req_s : null, rss_before_mib: rss.before, rss_peak_mib: peak,
	};
}

// G7: 32 connections posting wrong passwords (wrk, from 127.0.0.1) plus
// eight clients that solve the captcha (test mode), each from an address
// of its own (127.0.0.10–17), so that hashes really run while the
// flooding address is refused by the per-address sign-in limit; G2 and G1
// are measured meanwhile, their rates against their solo rates. A solver
// past its own address's limit waits and goes on, as a person would.
const SOLVERS = Number(process.env.BENCH_G7_SOLVERS ?? 8);

async function loginFlood(server, s, g1, g2, g1solo, g2solo) {
	const floodSecs = 2 * DURATION + 3;
	const flood = wrk(server.url, 'g7-flood.lua', {
		conns: 32, duration: floodSecs,
		env: { BENCH_ACCOUNT_PREFIX: 'bench_', BENCH_ACCOUNT_FIRST: String(N_G2 + N_G3 + N_G4_USERS + 1), BENCH_ACCOUNT_LAST: String(N_USERS) },
	});
	let solving = true;
	const solved = { attempts: 0, status: {}, solvers: SOLVERS };
	const { Client } = await import('../tests/api/auth-lib.mjs');
	const solver = async (k) => {
		const c = new Client(server, { localAddress: `127.0.0.${10 + k}` });
		while (solving) {
			const cap = await c.get('/api/v1/captcha');
			if (cap.status === 429) {
				solved.limited = (solved.limited || 0) + 1;
				await new Promise((r) => setTimeout(r, 100));
				continue;
			}
			if (cap.status !== 200)
				break;
			const ans = await c.get(`/api/v1/test/captchas/${cap.json.captcha_id}`);
			const n = N_G2 + N_G3 + N_G4_USERS + 1 + ((solved.attempts * SOLVERS + k) % (N_USERS - N_G2 - N_G3 - N_G4_USERS));
			const r = await c.post('/api/v1/login', { method: 'password', login: `bench_${n}`, password: 'Wrong-pass-2026',
				captcha_id: cap.json.captcha_id, captcha_answer: ans.json.answer, remember: false });
			solved.attempts++;
			solved.status[r.status] = (solved.status[r.status] || 0) + 1;
		}
	};
	const solvers = Array.from({ length: SOLVERS }, (_, k) => solver(k));
	await new Promise((r) => setTimeout(r, 1000));
	const g2during = await g2();
	const g1during = await g1();
	solving = false;
	await Promise.all(solvers);
	const f = await flood;
	return {
		req_s: g2during.req_s, p99_ms: g2during.p99_ms, solo_req_s: g2solo ? g2solo.req_s : null,
		g1_req_s: g1during.req_s, g1_p99_ms: g1during.p99_ms, g1_solo_req_s: g1solo ? g1solo.req_s : null,
		flood: { req_s: f.requests / (f.duration_us / 1e6), codes: f.codes, p99_ms: f.p99_ms, errors: f.errors },
		solved,
	};
}

// G5 runs bench/g5-uploads.mjs on a server of its own on this store.
async function g5() {
	const args = QUICK ? ['--uploads', '4', '--mb', '10'] : ['--uploads', '20', '--mb', '50'];
	if (D0)
		args.push('--d0', String(D0));
	let db = null;
	if (STORE === 'pg') {
		db = createPgDatabase();
		args.push('--database-url', db.url);
	}
	try {
		return await child('g5-uploads.mjs', args);
	} finally {
		if (db)
			db.drop();
	}
}

// Runs another bench script with --json and returns what it wrote.
function child(script, args) {
	const f = path.join(work, `${script}.json`);
	return new Promise((resolve, reject) => {
		const p = spawn(process.execPath, [path.join(here, script), ...args, '--json', f],
			{ env: { ...process.env, SAIWU_BIN: BIN }, stdio: ['ignore', 'inherit', 'inherit'] });
		p.on('exit', (code) => {
			if (code !== 0 || !fs.existsSync(f))
				return resolve({ error: `${script} exited ${code}` });
			resolve(JSON.parse(fs.readFileSync(f, 'utf8')));
		});
		p.on('error', reject);
	});
}

main().then(() => save(), (e) => {
	results.error = String(e.stack || e);
	save();
	fs.rmSync(work, { recursive: true, force: true });
	console.error(e);
	process.exit(1);
});
