// G8: the XLSX export of 50,000 applications (target ≤ 10 s and ≤ 64 MiB
// more RSS than before it, DESIGN §7), as the full workbook (every field
// of every document, eight sheets) and as the summary (?columns=summary,
// the columns kept beside the documents), and the PDF of one complete
// application (target ≤ 300 ms). The records are copies of one complete,
// submitted application (its sealed identifiers included), made in SQL
// so the set-up takes seconds. A benchmark, not a test: it prints numbers.
//
//   node bench/g8-export.mjs [--apps 50000] [--pdfs 20]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAppServer, newApplicant, newStaff, completeDoc, submitted, APPS } from '../tests/api/app-fixtures.mjs';
import { sql } from '../tests/api/att-lib.mjs';

const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => {
	const i = process.argv.indexOf(name);
	return i > 0 ? Number(process.argv[i + 1]) : def;
};
const APPS_N = arg('--apps', 50000);
const PDFS = arg('--pdfs', 20);

const rss = (pid) => {
	const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	return m ? Number(m[1]) / 1024 : 0;
};

const server = await startAppServer({ args: ['--log-level', 'warn'] });
const lines = [];
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
		const t1 = process.hrtime.bigint();
		const res = await admin.get(`/api/v1/review/competitions/guangdong-2026/export.xlsx${query}`, { timeout: 900000 });
		const secs = Number(process.hrtime.bigint() - t1) / 1e9;
		clearInterval(timer);
		if (perf) {
			perf.kill('SIGINT');
			await new Promise((r) => perf.on('exit', r));
		}
		peak = Math.max(peak, rss(pid));
		if (res.status !== 200)
			throw new Error(`export: ${res.status} ${res.text.slice(0, 300)}`);
		results[name] = { secs, grow: peak - before };
		lines.push(`  XLSX ${name.padEnd(8)}      ${res.headers['x-export-rows']} applications in ${secs.toFixed(2)} s (${(res.body.length / 1048576).toFixed(1)} MiB); RSS ${before.toFixed(1)} → peak ${peak.toFixed(1)} MiB (+${(peak - before).toFixed(1)})`);
	}
	const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
	lines.push(`  targets            summary ≤ 10 s: ${verdict(results.summary.secs <= 10)}; full ≤ 10 s: ${verdict(results.full.secs <= 10)}; ` +
		`RSS ≤ +64 MiB: ${verdict(Math.max(results.full.grow, results.summary.grow) <= 64)}; PDF ≤ 300 ms: ${verdict(median <= 300)}`);
} finally {
	await server.stop();
}
const report = `G8 export and PDF (${new Date().toISOString()}, ${os.cpus().length} cores)\n${lines.join('\n')}\n`;
process.stdout.write(report);
fs.mkdirSync(path.join(top, 'bench', 'results'), { recursive: true });
fs.writeFileSync(path.join(top, 'bench', 'results', `g8-${new Date().toISOString().slice(0, 10)}.txt`), report);
