// G3: durable draft saves (PUT /api/v1/applications/{id}: validation,
// sealing, the version-checked update, a commit under synchronous=FULL
// before the 200) against S_full1, raw SQLite single-row commits (WAL,
// synchronous=FULL, bench/tools/sqlite-probe.c) on the same disk, measured
// in the same run right before and after the load. Target (DESIGN §7):
// saves/s ≥ 1.0 × S_full1. A benchmark, not a test: it prints numbers.
//
//   SAIWU_BIN=/path/to/saiwu node bench/g3-saves.mjs \
//       [--clients 32] [--seconds 10] [--wrk-threads 2] [-- server flags…]
//
// G3_PERF=FILE also records the server with perf during the load;
// G3_RESULTS=0 leaves bench/results/ alone; G3_LABEL=TEXT names the build
// in the output (e.g. "before group commit").
//
// The load is wrk (keep-alive, --clients connections) with a Lua script
// that PUTs a complete 申报书 document (the API tests' fixture, ≈ 11 KB,
// each draft with people and units of its own) to one of 2 × clients drafts of one applicant, each save carrying the
// version the previous answer returned, so every request is a real save
// and none a stale 409. Afterwards every draft is read back: the versions
// must add up to the 200s counted, or saves were lost or doubled.
// SAIWU_TEST_STORE=pg (with PGHOST/PGPORT/PGUSER) runs it on PostgreSQL;
// S_full1 is still SQLite's, the ratio is then only indicative.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, STORE } from '../tests/api/lib.mjs';
import { completeDoc, newApplicant, startAppServer } from '../tests/api/app-fixtures.mjs';

const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const own = dash < 0 ? argv : argv.slice(0, dash);
const serverArgs = dash < 0 ? [] : argv.slice(dash + 1);
const arg = (name, def) => {
	const i = own.indexOf(name);
	return i >= 0 ? Number(own[i + 1]) : def;
};
const CLIENTS = arg('--clients', 32);
const SECONDS = arg('--seconds', 10);
const WRK_THREADS = arg('--wrk-threads', 2);
const APPS = 2 * CLIENTS;

// S_full1: 1 KiB rows, one per BEGIN IMMEDIATE … COMMIT, WAL + FULL;
// the median of three runs of 3,000 commits (a shared disk is noisy).
function sFull1(dir, probe) {
	const runs = [];
	for (let i = 0; i < 3; i++) {
		const db = path.join(dir, `s-full1-${Date.now()}-${i}.db`);
		const out = execFileSync(probe, [db, 'FULL', '1', '3000'], { encoding: 'utf8' });
		for (const f of [db, `${db}-wal`, `${db}-shm`])
			fs.rmSync(f, { force: true });
		runs.push(JSON.parse(out).tx_per_s);
	}
	return runs.sort((a, b) => a - b)[1];
}

// wrk's Lua: each thread takes its share of the drafts; a draft is sent by
// one connection at a time and comes back with its new version.
const LUA = String.raw`
local cookie, csrf = os.getenv("G3_COOKIE"), os.getenv("G3_CSRF")
local ids, versions, ready, docs = {}, {}, {}, {}
local nthreads, counter = tonumber(os.getenv("G3_WRK_THREADS")), 0
local saved, other = 0, 0

function setup(thread)
	thread:set("tid", counter)
	counter = counter + 1
end

function init(args)
	local n = 0
	for line in io.lines(os.getenv("G3_APPS")) do
		local id, v = line:match("(%d+) (%d+)")
		if n % nthreads == tid then
			ids[#ids + 1] = id
			versions[id] = v
			ready[#ready + 1] = id
			local f = assert(io.open(os.getenv("G3_DIR") .. "/doc-" .. id .. ".json", "r"))
			docs[id] = f:read("*a")
			f:close()
		end
		n = n + 1
	end
end

function request()
	local id = table.remove(ready, 1)
	if not id then
		-- Never reached while drafts ≥ connections per thread.
		return wrk.format("GET", "/healthz")
	end
	return wrk.format("PUT", "/api/v1/applications/" .. id, {
		["Cookie"] = cookie, ["X-CSRF-Token"] = csrf,
		["Content-Type"] = "application/json",
	}, '{"version":' .. versions[id] .. ',"doc":' .. docs[id] .. '}')
end

function response(status, headers, body)
	local id = body:match('^{"id":(%d+)')
	if status == 200 and id then
		versions[id] = body:match('"version":(%d+)')
		ready[#ready + 1] = id
		saved = saved + 1
	else
		other = other + 1
		if other <= 3 then io.stderr:write(status .. " " .. body:sub(1, 300) .. "\n") end
	end
end

function done(summary, latency, requests)
	io.write(string.format("G3JSON {\"requests\":%d,\"non2xx\":%d,\"socket_errors\":%d," ..
		"\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f}\n",
		summary.requests, summary.errors.status,
		summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
		latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
`;

// utime + stime of a process, in seconds (/proc/PID/stat, clock ticks).
function cpuSeconds(pid) {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const tck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
	return (Number(f[11]) + Number(f[12])) / tck;
}

// The writer's counters from /metrics (zero when group commit is off).
async function groupCommit(c) {
	const text = (await c.get('/metrics')).text;
	const num = (name) => Number((new RegExp(`^${name} (\\d+)`, 'm').exec(text) || [0, 0])[1]);
	return { batches: num('saiwu_group_commit_batches_total'), writes: num('saiwu_group_commit_writes_total') };
}

async function main() {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'saiwu-g3-'));
	const probe = path.join(work, 'sqlite-probe');
	execFileSync('cc', ['-O2', '-o', probe, path.join(top, 'bench', 'tools', 'sqlite-probe.c'), '-lsqlite3']);

	const server = await startAppServer({ args: ['--log-level', 'warn', ...serverArgs] });
	try {
		const c = await newApplicant(server);
		// Each draft its own people and units, as real ones have.
		const docs = new Map();
		const lines = [];
		for (let i = 0; i < APPS; i++) {
			const res = await c.post('/api/v1/applications', { competition: 'guangdong-2026' });
			if (res.status !== 201)
				throw new Error(`create: ${res.status} ${res.text}`);
			lines.push(`${res.json.id} ${res.json.version}`);
			docs.set(res.json.id, completeDoc());
		}
		// One save each through the API first: the document is valid.
		const id0 = Number(lines[0].split(' ')[0]);
		const first = await c.req('PUT', `/api/v1/applications/${id0}`,
			{ body: { version: 1, doc: docs.get(id0) } });
		if (first.status !== 200)
			throw new Error(`first save: ${first.status} ${first.text}`);
		lines[0] = `${first.json.id} ${first.json.version}`;
		fs.writeFileSync(path.join(work, 'apps.txt'), lines.join('\n') + '\n');
		for (const [id, doc] of docs)
			fs.writeFileSync(path.join(work, `doc-${id}.json`), JSON.stringify(doc));
		fs.writeFileSync(path.join(work, 'g3.lua'), LUA);
		const before = lines.reduce((n, l) => n + Number(l.split(' ')[1]), 0);

		// The baselines go on the disk the server's store is on.
		const probeDir = server.dataDir;
		const gc0 = await groupCommit(c);
		const cpu0 = cpuSeconds(server.proc.pid);
		const s1 = sFull1(probeDir, probe);
		// G3_PERF=FILE: the server's profile during the load, for perf report.
		const perf = process.env.G3_PERF ? spawn('perf', ['record', '-F', '999', ...(process.env.G3_PERF_DWARF ? ['--call-graph', 'dwarf,16384'] : ['-g']), '-p',
			String(server.proc.pid), '-o', process.env.G3_PERF, '--', 'sleep', String(SECONDS)],
		{ stdio: 'ignore' }) : null;
		const wrk = spawnSync('wrk', [`-t${WRK_THREADS}`, `-c${CLIENTS}`, `-d${SECONDS}s`, '--timeout', '10s',
			'--latency', '-s', path.join(work, 'g3.lua'), server.url], {
			encoding: 'utf8',
			env: {
				...process.env, G3_COOKIE: c.cookieHeader(), G3_CSRF: c.csrf,
				G3_DIR: work, G3_APPS: path.join(work, 'apps.txt'),
				G3_WRK_THREADS: String(WRK_THREADS),
			},
		});
		if (perf)
			await new Promise((r) => (perf.exitCode !== null ? r() : perf.on('exit', r)));
		if (wrk.status !== 0)
			throw new Error(`wrk failed: ${wrk.stderr}`);
		const gc1 = await groupCommit(c);
		const cpu1 = cpuSeconds(server.proc.pid);
		const s2 = sFull1(probeDir, probe);
		const m = /G3JSON (\{.*\})/.exec(wrk.stdout);
		if (!m)
			throw new Error(`no wrk summary:\n${wrk.stdout}\n${wrk.stderr}`);
		const w = JSON.parse(m[1]);
		const ok = w.requests - w.non2xx;

		// Every acknowledged save is there, once.
		let after = 0;
		for (const l of lines) {
			const res = await c.get(`/api/v1/applications/${l.split(' ')[0]}`);
			if (res.status !== 200)
				throw new Error(`read back: ${res.status} ${res.text}`);
			after += res.json.version;
		}
		const rate = ok / SECONDS;
		const base = (s1 + s2) / 2;
		// wrk stops counting at the deadline with up to one request per
		// connection in flight: those may have been saved unseen.
		const grew = after - before;
		const intact = grew >= ok && grew <= ok + CLIENTS;
		const out = [
			`G3 durable draft saves (${new Date().toISOString()}, ${os.cpus().length} cores, ` +
				`load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, store ${STORE})`,
			`  server             ${BIN}${process.env.G3_LABEL ? ` (${process.env.G3_LABEL})` : ''}, flags: ${serverArgs.join(' ') || '(defaults)'}`,
			`  load               wrk -t${WRK_THREADS} -c${CLIENTS} -d${SECONDS}s, ${APPS} drafts, ` +
				`${Buffer.byteLength(JSON.stringify(docs.get(id0)))} B documents`,
			`  saves              ${ok} answered 200 (${w.non2xx} other statuses, ${w.socket_errors} socket errors)`,
			`  saves/s            ${rate.toFixed(0)}  (p50 ${w.p50_ms} ms, p99 ${w.p99_ms} ms, max ${w.max_ms} ms)`,
			`  group commit       ${gc1.batches - gc0.batches} transactions for ${gc1.writes - gc0.writes} writes` +
				` (mean ${((gc1.writes - gc0.writes) / Math.max(1, gc1.batches - gc0.batches)).toFixed(1)} per commit)`,
			`  server CPU         ${(cpu1 - cpu0).toFixed(2)} s user+system, ${((cpu1 - cpu0) * 1e6 / Math.max(1, ok)).toFixed(0)} µs per save`,
			`  S_full1            ${s1.toFixed(0)} commits/s before, ${s2.toFixed(0)} after (mean ${base.toFixed(0)}; each a median of 3)`,
			`  ratio to S_full1   ${(rate / base).toFixed(2)}  (target ≥ 1.0: ${rate >= base ? 'PASS' : 'FAIL'})`,
			`  read back          versions grew by ${grew}: ${intact ? 'every' : 'NOT every'} 200 is stored` +
				` (plus ${grew - ok} of the ≤ ${CLIENTS} in flight at the end)`,
		];
		console.log(out.join('\n'));
		if (!intact)
			process.exitCode = 1;
		if (process.env.G3_RESULTS !== '0') {
			const file = path.join(top, 'bench', 'results', `g3-${new Date().toISOString().slice(0, 10)}.txt`);
			fs.appendFileSync(file, out.join('\n') + '\n\n');
		}
	} finally {
		await server.stop();
		fs.rmSync(work, { recursive: true, force: true });
	}
}

main().catch((e) => { console.error(e); process.exit(1); });
