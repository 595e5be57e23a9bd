// G5: 20 concurrent 50 MB uploads while authenticated reads go on.
// Reports the server's peak RSS (target ≤ 128 MiB, DESIGN §7) and the
// upload throughput against a plain disk write (D0) of the same bytes,
// measured in the same run. A benchmark, not a test: it prints numbers.
//
//   node bench/g5-uploads.mjs [--uploads 20] [--mb 50] [--d0 MB_PER_S]
//        [--database-url URL] [--json FILE]
//
// --d0 takes the disk baseline from the caller (bench/harness.mjs measures
// it once) instead of writing the same bytes again; --database-url runs the
// server on PostgreSQL; --json writes the figures there for the harness.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.SAIWU_BIN || path.join(top, 'build', 'saiwu');
const arg = (name, def) => {
	const i = process.argv.indexOf(name);
	return i > 0 ? Number(process.argv[i + 1]) : def;
};
const argStr = (name) => {
	const i = process.argv.indexOf(name);
	return i > 0 ? process.argv[i + 1] : null;
};
const UPLOADS = arg('--uploads', 20);
const MB = arg('--mb', 50);
const SIZE = MB * 1024 * 1024;

function startServer(dataDir) {
	return new Promise((resolve, reject) => {
		const env = { ...process.env };
		for (const k of Object.keys(env)) if (k.startsWith('SAIWU_')) delete env[k];
		const p = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir,
			'--catalog-dir', path.join(top, 'catalog'), '--test-mode', 'true', '--demo', 'true',
			'--log-level', 'warn', ...(argStr('--database-url') ? ['--database-url', argStr('--database-url')] : [])], { env, stdio: ['ignore', 'pipe', 'inherit'] });
		p.stdout.on('data', (d) => {
			const m = /listening on (http:\/\/[0-9.:]+)/.exec(String(d));
			if (m) resolve({ url: m[1], proc: p });
		});
		p.on('exit', (code) => reject(new Error(`server exited ${code}`)));
	});
}

// One request on a keep-alive-free connection; body may be a Buffer or a
// function that writes a stream of bytes.
function request(base, method, p, { headers = {}, body } = {}) {
	return new Promise((resolve, reject) => {
		const u = new URL(p, base);
		const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search,
			method, headers, agent: false }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString();
				let json = null;
				try { json = JSON.parse(text); } catch { /* not JSON */ }
				resolve({ status: res.statusCode, headers: res.headers, text, json });
			});
		});
		req.on('error', reject);
		if (typeof body === 'function') body(req);
		else req.end(body);
	});
}

class Client {
	constructor(base) { this.base = base; this.cookies = {}; this.csrf = null; }
	headers(extra = {}) {
		const c = Object.entries(this.cookies).map(([k, v]) => `${k}=${v}`).join('; ');
		return { ...(c ? { Cookie: c } : {}), ...(this.csrf ? { 'X-CSRF-Token': this.csrf } : {}), ...extra };
	}
	keep(res) {
		for (const sc of [].concat(res.headers['set-cookie'] || [])) {
			const [kv] = sc.split(';');
			const [k, v] = kv.split('=');
			if (/Max-Age=0/.test(sc)) delete this.cookies[k]; else this.cookies[k] = v;
		}
		return res;
	}
	async req(method, p, body, extra) {
		const isJson = body !== undefined && !Buffer.isBuffer(body) && typeof body !== 'function';
		const res = await request(this.base, method, p, {
			headers: this.headers({ ...(isJson ? { 'Content-Type': 'application/json' } : {}), ...extra }),
			body: isJson ? JSON.stringify(body) : body,
		});
		return this.keep(res);
	}
}

async function signIn(c) {
	c.csrf = (await c.req('GET', '/api/v1/session')).json.csrf_token;
	const cap = (await c.req('GET', '/api/v1/captcha')).json;
	const ans = (await c.req('GET', `/api/v1/test/captchas/${cap.captcha_id}`)).json.answer;
	const phone = '13712345678';
	await c.req('POST', '/api/v1/sms-codes', { phone, purpose: 'login', captcha_id: cap.captcha_id, captcha_answer: ans });
	const code = (await c.req('GET', `/api/v1/test/sms/${phone}`)).json.code;
	const res = await c.req('POST', '/api/v1/login', { method: 'sms', phone, sms_code: code });
	c.csrf = res.json.csrf_token;
}

function rssKiB(pid, field = 'VmRSS') {
	const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(s)[1]);
}

// D0: the same bytes written to the same disk, synced, in this run.
function diskBaseline(dir) {
	const f = path.join(dir, 'd0.bin');
	const t0 = process.hrtime.bigint();
	execFileSync('dd', ['if=/dev/zero', `of=${f}`, 'bs=1M', `count=${UPLOADS * MB}`, 'conv=fsync'],
		{ stdio: 'ignore' });
	const secs = Number(process.hrtime.bigint() - t0) / 1e9;
	fs.rmSync(f);
	return (UPLOADS * MB) / secs;
}

async function main() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'saiwu-g5-'));
	const d0 = arg('--d0', 0) || diskBaseline(dir);
	const srv = await startServer(path.join(dir, 'data'));
	const c = new Client(srv.url);
	await signIn(c);
	const apps = [];
	for (let i = 0; i < UPLOADS; i++)
		apps.push((await c.req('POST', '/api/v1/applications', { competition: 'guangdong-2026' })).json.id);
	// VmHWM would include start-up's one argon2id hash (64 MiB, freed at
	// once); what matters is the resident size while uploads stream.
	const rssBefore = rssKiB(srv.proc.pid);
	let peak = rssBefore;
	const sampler = setInterval(() => {
		peak = Math.max(peak, rssKiB(srv.proc.pid));
	}, 50);

	// A PDF header, then bytes: the sniffer sees a PDF; the body streams.
	const block = Buffer.alloc(1 << 20, 0x41);
	Buffer.from('%PDF-1.4\n').copy(block);
	let reads = 0, readErrors = 0, uploading = true;
	const reader = (async () => {
		while (uploading) {
			const r = await c.req('GET', '/api/v1/applications?per_page=20');
			if (r.status === 200) reads++; else readErrors++;
		}
	})();
	const t0 = process.hrtime.bigint();
	const results = await Promise.all(apps.map((id) => c.req('PUT',
		`/api/v1/applications/${id}/attachments/ppt?name=${encodeURIComponent('项目PPT.pdf')}`,
		(req) => {
			let sent = 0;
			const pump = () => {
				while (sent < SIZE) {
					const n = Math.min(block.length, SIZE - sent);
					const ok = req.write(n === block.length ? block : block.subarray(0, n));
					sent += n;
					if (!ok) return req.once('drain', pump);
				}
				req.end();
			};
			pump();
		}, { 'Content-Length': String(SIZE) })));
	const secs = Number(process.hrtime.bigint() - t0) / 1e9;
	uploading = false;
	await reader;
	clearInterval(sampler);
	peak = Math.max(peak, rssKiB(srv.proc.pid));
	const hwm = rssKiB(srv.proc.pid, 'VmHWM');
	srv.proc.kill('SIGTERM');
	await new Promise((r) => srv.proc.on('exit', r));
	fs.rmSync(dir, { recursive: true, force: true });

	const ok = results.filter((r) => r.status === 201).length;
	const mbps = (ok * MB) / secs;
	const lines = [
		`G5 concurrent uploads (${new Date().toISOString()}, ${os.cpus().length} cores)`,
		`  uploads            ${ok}/${UPLOADS} × ${MB} MB accepted (201) in ${secs.toFixed(1)} s`,
		`  upload throughput  ${mbps.toFixed(1)} MB/s`,
		`  D0 disk write      ${d0.toFixed(1)} MB/s (dd, fsync${arg('--d0', 0) ? ', measured by the caller' : ', same bytes'})`,
		`  ratio to D0        ${(mbps / d0).toFixed(2)}`,
		`  reads meanwhile    ${reads} ok, ${readErrors} failed (${(reads / secs).toFixed(1)} req/s)`,
		`  server peak RSS    ${(peak / 1024).toFixed(1)} MiB during uploads (${(rssBefore / 1024).toFixed(1)} MiB before; VmHWM ${(hwm / 1024).toFixed(1)} MiB incl. start-up)`,
		`  target             peak RSS ≤ 128 MiB: ${peak / 1024 <= 128 && ok === UPLOADS ? 'PASS' : 'FAIL'}`,
	];
	console.log(lines.join('\n'));
	if (argStr('--json')) {
		fs.writeFileSync(argStr('--json'), JSON.stringify({
			uploads: UPLOADS, mb: MB, accepted: ok, secs, mb_s: mbps, d0_mb_s: d0,
			reads_ok: reads, reads_failed: readErrors, reads_s: reads / secs,
			rss_before_mib: rssBefore / 1024, rss_peak_mib: peak / 1024, vmhwm_mib: hwm / 1024,
		}));
	} else {
		const out = path.join(top, 'bench', 'results', `g5-${new Date().toISOString().slice(0, 10)}.txt`);
		fs.writeFileSync(out, lines.join('\n') + '\n');
	}
	if (ok !== UPLOADS) {
		for (const r of results) if (r.status !== 201) console.error(r.status, r.text);
		process.exitCode = 1;
	}
}

main().catch((e) => { console.error(e); process.exit(1); });
