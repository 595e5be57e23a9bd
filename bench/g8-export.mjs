// G8: the XLSX export of 50,000 applications (target ≤ 10 s and ≤ 64 MiB
// more RSS than before it, DESIGN §7), as the full workbook (every field
// of every document, eight sheets) and as the summary (?columns=summary,
// the columns kept beside the documents), and the PDF of one complete
// application (target ≤ 300 ms). The records are copies of one complete,
// submitted application (its sealed identifiers included), made in SQL
// so the set-up takes seconds. Rows per second are also given as a ratio
// to S_b100, raw SQLite inserts 100 rows a transaction (WAL, synchronous
// FULL) measured in the same run (perf-reliability §7: G8 ≥ 0.05 × S_b100).
// A benchmark, not a test: it prints numbers.
//
//   node bench/g8-export.mjs [--apps 50000] [--pdfs 20] [--sb100 ROWS_PER_S] [--json FILE]
//   SAIWU_TEST_STORE=pg PGHOST=… PGPORT=… PGUSER=… node bench/g8-export.mjs

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAppServer, newApplicant, newStaff, completeDoc, submitted, APPS } from '../tests/api/app-fixtures.mjs';
import { sql } from '../tests/api/att-lib.mjs';
import { STORE } from '../tests/api/lib.mjs';

const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => {
	const i = process.argv.indexOf(name);
	return i > 0 ? Number(process.argv[i + 1]) : def;
};
const APPS_N = arg('--apps', 50000);
const PDFS = arg('--pdfs', 20);
const jsonIdx = process.argv.indexOf('--json');
const JSON_OUT = jsonIdx > 0 ? process.argv[jsonIdx + 1] : null;
const figures = {};

const lines = [];
const rss = (pid) => {
	const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	return m ? Number(m[1]) / 1024 : 0;
};
// The server's CPU seconds (user + system, all threads) so far: wall time
// on a shared machine is noisy, this is the export's own cost.
const cpu = (pid) => {
	const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const v = f.slice(f.lastIndexOf(')') + 2).split(' ');
	return (Number(v[11]) + Number(v[12])) / 100;
};

// S_b100: 100,000 rows in transactions of 100, through the sqlite3 shell.
function sb100() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'saiwu-sb100-'));
	const db = path.join(dir, 'b.db');
	const tx = [];
	for (let t = 0; t < 1000; t++) {
		tx.push('BEGIN;');
		for (let i = 0; i < 100; i++)
			tx.push(`INSERT INTO t (v) VALUES ('${'x'.repeat(100)}');`);
		tx.push('COMMIT;');
	}
	const script = `PRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\nCREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);\n${tx.join('\n')}\n`;
	const t0 = process.hrtime.bigint();
	const r = spawnSync('sqlite3', [db], { input: script, encoding: 'utf8' });
	const secs = Number(process.hrtime.bigint() - t0) / 1e9;
	fs.rmSync(dir, { recursive: true, force: true });
	if (r.status !== 0)
		throw new Error(`sqlite3: ${r.stderr}`);
	return 100000 / secs;
}

// The caller (bench/harness.mjs) may pass the S_b100 it measured.
const baseline = arg('--sb100', 0) || sb100();
lines.push(`  S_b100 baseline    ${baseline.toFixed(0)} rows/s (${arg('--sb100', 0) ? 'measured by the caller' : 'sqlite3'}, WAL, synchronous=FULL, 100 rows a transaction)`);
const server = await startAppServer({ args: ['--log-level', 'warn'] });
try {
	const alice = await newApplicant(server);
	const s = await submitted(alice, completeDoc());
	const admin = await newStaff(server, ['competition_admin:guangdong-2026'], 'bench');

	// The PDF of a complete application: warm the fonts, then time it.
	const times = [];
	for (let i = 0; i <= PDFS; i++) {
		const t0 = process.hrtime.bigint();
		const res = await alice.get(`${APPS}/${s.id}/pdf`, { timeout: 60000 });
		const ms = Number(process.hrtime.bigint() - t0) / 1e6;
		if (res.status !== 200)
			throw new Error(`pdf: ${res.status} ${res.text.slice(0, 200)}`);
		if (i)
			times.push(ms);
		else
			lines.push(`  first PDF          ${ms.toFixed(0)} ms (fonts loaded, ${res.headers['x-page-count']} pages, ${res.body.length} bytes)`);
	}
	times.sort((a, b) => a - b);
	const median = times[times.length >> 1];
	Object.assign(figures, { pdf_median_ms: median, pdf_max_ms: times.at(-1) });
	lines.push(`  PDF, complete app  median ${median.toFixed(0)} ms, max ${times.at(-1).toFixed(0)} ms over ${PDFS}`);

	// 50,000 copies of the record, attachments included.
	const t0 = Date.now();
	sql(server, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${APPS_N - 1})
		INSERT INTO applications (user_id, competition_id, track_id, topic_id, status, stage, tech_status,
			team_name, project_name, lead_unit_name, lead_uscc, doc, version, created_at, updated_at,
			submitted_at, first_submitted_at)
		SELECT user_id, competition_id, track_id, topic_id, status, stage, tech_status, team_name,
			project_name || '-' || i, lead_unit_name, lead_uscc, doc, version, created_at, updated_at,
			submitted_at, first_submitted_at FROM applications, n WHERE id = ${s.id}`);
	sql(server, `INSERT INTO attachments (application_id, slot, row_path, file_name, size, kind, mime,
			sha256, storage_key, uploaded_by, created_at)
		SELECT a.id, x.slot, x.row_path, x.file_name, x.size, x.kind, x.mime, x.sha256, x.storage_key,
			x.uploaded_by, x.created_at FROM applications a, attachments x
		WHERE x.application_id = ${s.id} AND a.id <> ${s.id}`);
	// As scenarios.mjs does after its seeding: PostgreSQL would otherwise
	// plan the export with no statistics for 50,000 fresh rows until
	// autovacuum happens to analyze them, in the middle of one export or
	// another (a page of the summary took 1 ms or 46 ms depending on when).
	if (STORE === 'pg')
		sql(server, 'ANALYZE');
	const docBytes = Number(sql(server, `SELECT LENGTH(doc) FROM applications WHERE id = ${s.id}`));
	lines.push(`  set-up             ${APPS_N} applications (${(docBytes / 1024).toFixed(1)} KB of document each) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

	// The full workbook (every field, every sheet), then the summary.
	const pid = server.proc.pid;
	const results = {};
	for (const [name, query] of [['full', ''], ['summary', '?columns=summary']]) {
		const before = rss(pid);
		let peak = before;
		const timer = setInterval(() => { peak = Math.max(peak, rss(pid)); }, 20);
		const perf = process.env.G8_PERF && name === 'full'
			? (await import('node:child_process')).spawn('perf', ['record', '-g', '-o', process.env.G8_PERF, '-p', String(pid)], { stdio: 'ignore' })
			: null;
		const c1 = cpu(pid);
		const t1 = process.hrtime.bigint();
		const res = await admin.get(`/api/v1/review/competitions/guangdong-2026/export.xlsx${query}`, { timeout: 900000 });
		const secs = Number(process.hrtime.bigint() - t1) / 1e9;
		const cpuSecs = cpu(pid) - c1;
		clearInterval(timer);
		if (perf) {
			perf.kill('SIGINT');
			await new Promise((r) => perf.on('exit', r));
		}
		peak = Math.max(peak, rss(pid));
		if (res.status !== 200)
			throw new Error(`export: ${res.status} ${res.text.slice(0, 300)}`);
		results[name] = { secs, grow: peak - before, ratio: Number(res.headers['x-export-rows']) / secs / baseline };
		figures[name] = { rows: Number(res.headers['x-export-rows']), secs, cpu_secs: cpuSecs, rows_s: Number(res.headers['x-export-rows']) / secs,
			mib: res.body.length / 1048576, rss_before_mib: before, rss_peak_mib: peak, rss_grow_mib: peak - before };
		const rate = Number(res.headers['x-export-rows']) / secs;
		lines.push(`  XLSX ${name.padEnd(8)}      ${res.headers['x-export-rows']} applications in ${secs.toFixed(2)} s, ${cpuSecs.toFixed(2)} s CPU (${(res.body.length / 1048576).toFixed(1)} MiB); ` +
			`${rate.toFixed(0)} rows/s = ${(rate / baseline).toFixed(3)} × S_b100; RSS ${before.toFixed(1)} → peak ${peak.toFixed(1)} MiB (+${(peak - before).toFixed(1)})`);
	}
	const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
	lines.push(`  targets            summary ≤ 10 s: ${verdict(results.summary.secs <= 10)}; full ≤ 10 s: ${verdict(results.full.secs <= 10)} ` +
		`(≥ 0.05 × S_b100: ${verdict(results.full.ratio >= 0.05)}); ` +
		`RSS ≤ +64 MiB: ${verdict(Math.max(results.full.grow, results.summary.grow) <= 64)}; PDF ≤ 300 ms: ${verdict(median <= 300)}`);
} finally {
	await server.stop();
}
const report = `G8 export and PDF (${new Date().toISOString()}, ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, ` +
	`${server.databaseUrl ? 'PostgreSQL' : 'SQLite'})\n${lines.join('\n')}\n`;
process.stdout.write(report);
if (JSON_OUT) {
	fs.writeFileSync(JSON_OUT, JSON.stringify({ apps: APPS_N, s_b100_sqlite3: baseline, ...figures }));
} else {
	fs.mkdirSync(path.join(top, 'bench', 'results'), { recursive: true });
	fs.writeFileSync(path.join(top, 'bench', 'results', `g8-${new Date().toISOString().slice(0, 10)}.txt`), report);
}
