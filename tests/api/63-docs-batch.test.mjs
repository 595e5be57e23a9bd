// 63-docs-batch: the console's batch 申报书 download — a background job
// (format pdf_zip) that puts the organisers' PDF of every record the
// queue's filters select, or of the records picked by id (at most 500),
// into one zip: stored entries named {id}-{project}.pdf with the UTF-8
// flag, progress per file, a download through the job's file. And the
// retention of finished export files: past export_retention_hours the
// file is deleted (when asked for, by the sweeper at start) and the job
// reads `expired`, its file 410 export_expired.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { assertError, request, sleep, startServer } from './lib.mjs';
import { APP_ARGS, newApplicant, newStaff, completeDoc, createApp, saveDoc, submitted } from './app-fixtures.mjs';
import { advanceClock } from './auth-lib.mjs';
import { sql } from './att-lib.mjs';
import { pdfText, saveTmp, squeeze, cleanupDocs } from './docs-lib.mjs';

const GD = '/api/v1/review/competitions/guangdong-2026';
const FJ = '/api/v1/review/competitions/fujian-2026';
let server;
let reviewer;
let admin;
const recs = [];
let draft;
let fjRec;

before(async () => {
	// Files are kept an hour here, so the clock can pass it without
	// ending the sessions (12 hours idle).
	server = await startServer({ args: [...APP_ARGS, '--export-retention-hours', '1'] });
	reviewer = await newStaff(server, ['reviewer:guangdong-2026'], 'bzrev');
	admin = await newStaff(server, ['competition_admin:guangdong-2026'], 'bzadm');
	for (let i = 0; i < 3; i++) {
		const c = await newApplicant(server);
		const doc = completeDoc();
		// A name with characters no file system takes.
		if (i === 2)
			doc.project.name = `数据/枢纽:调度*平台?${doc.project.name}`;
		recs.push({ doc, rec: await submitted(c, doc) });
	}
	const alice = await newApplicant(server);
	draft = await createApp(alice);
	await saveDoc(alice, draft.id, draft.version, completeDoc());
	fjRec = await submitted(await newApplicant(server), completeDoc(), 'fujian-2026');
});

after(async () => {
	const r = await server?.stop();
	cleanupDocs();
	assert.deepEqual({ code: r?.code, signal: r?.signal }, { code: 0, signal: null }, server?.stderr().slice(-3000));
});

async function finished(c, url) {
	for (let i = 0; i < 600; i++) {
		const res = await c.get(url);
		assert.equal(res.status, 200, res.text);
		if (!['queued', 'running'].includes(res.json.status))
			return res.json;
		await sleep(100);
	}
	throw new Error(`job ${url} did not finish`);
}

async function runJob(c, body) {
	const start = await c.post(`${GD}/exports`, body);
	assert.equal(start.status, 202, start.text);
	assert.equal(start.json.format, body.format);
	const job = await finished(c, `${GD}/exports/${start.json.id}`);
	assert.equal(job.status, 'done', JSON.stringify(job));
	return job;
}

// The entries of a zip as its central directory says: name, flags, method,
// size, and the bytes (stored entries only).
function zipEntries(buf) {
	let end = buf.length - 22;
	while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50)
		end--;
	assert.ok(end >= 0, 'an end of central directory record');
	const count = buf.readUInt16LE(end + 10);
	let at = buf.readUInt32LE(end + 16);
	const out = [];
	for (let i = 0; i < count; i++) {
		assert.equal(buf.readUInt32LE(at), 0x02014b50);
		const flags = buf.readUInt16LE(at + 8);
		const method = buf.readUInt16LE(at + 10);
		const size = buf.readUInt32LE(at + 24);
		const nameLen = buf.readUInt16LE(at + 28);
		const extra = buf.readUInt16LE(at + 30);
		const comment = buf.readUInt16LE(at + 32);
		const local = buf.readUInt32LE(at + 42);
		const name = buf.subarray(at + 46, at + 46 + nameLen).toString('utf8');
		assert.equal(buf.readUInt32LE(local), 0x04034b50);
		assert.equal(buf.readUInt16LE(local + 6), flags, 'the local header agrees');
		const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
		out.push({ name, flags, method, size, data: buf.subarray(dataAt, dataAt + size) });
		at += 46 + nameLen + extra + comment;
	}
	return out;
}

function unzip(args, buf) {
	const r = spawnSync('unzip', [...args, saveTmp(buf, 'zip')], { encoding: 'utf8' });
	assert.equal(r.status, 0, r.stderr);
	return r.stdout;
}

test('pdf_zip with the queue filters: one organisers\' 申报书 per record, named by id and project', async () => {
	const job = await runJob(reviewer, { format: 'pdf_zip', status: 'submitted', track: 'transportation' });
	assert.equal(job.total, 3);
	assert.equal(job.done, 3);
	assert.equal(job.progress, 100);
	const day = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10).replaceAll('-', '');
	assert.equal(job.file_name, `申报书-guangdong-2026-${day}.zip`);
	assert.equal(job.expires_at, job.finished_at + 3600);
	const res = await reviewer.get(job.download_url, { timeout: 60000 });
	assert.equal(res.status, 200, res.text.slice(0, 300));
	assert.equal(res.headers['content-type'], 'application/zip');
	assert.equal(decodeURIComponent(res.headers['content-disposition'].split("UTF-8''")[1]), job.file_name);
	assert.equal(res.body.length, job.size);

	// unzip lists and tests every entry.
	const listing = unzip(['-l'], res.body);
	const ids = recs.map((r) => r.rec.id).sort((a, b) => a - b);
	for (const id of ids)
		assert.match(listing, new RegExp(`\\b${id}-\\S+\\.pdf`), listing);
	assert.match(unzip(['-t'], res.body), /No errors detected/);

	const entries = zipEntries(res.body);
	assert.deepEqual(entries.map((e) => Number(e.name.split('-')[0])), ids, 'in id order');
	for (const e of entries) {
		assert.equal(e.flags & 0x0800, 0x0800, `${e.name}: UTF-8 names`);
		assert.equal(e.method, 0, 'stored: PDFs are compressed already');
		assert.equal(e.data.subarray(0, 5).toString('latin1'), '%PDF-', e.name);
	}
	const byId = Object.fromEntries(recs.map((r) => [r.rec.id, r]));
	const first = entries[0];
	assert.equal(first.name, `${ids[0]}-${byId[ids[0]].doc.project.name}.pdf`);
	const odd = entries.find((e) => e.name.includes('数据_枢纽_调度_平台_'));
	assert.ok(odd, entries.map((e) => e.name).join(', '));
	// The organisers' copy: the project's name, identifiers masked.
	const text = squeeze(pdfText(first.data));
	const doc = byId[ids[0]].doc;
	assert.ok(text.includes(squeeze(doc.project.name)), 'the project name');
	assert.ok(text.includes('评审视图'), 'the review note');
	assert.ok(!text.includes(doc.members[0].id_number), 'ID numbers masked');
	assert.ok(text.includes(`${doc.members[0].id_number.slice(0, 4)}**`), 'masked as the review view');
});

test('pdf_zip by ids: picked records only, sorted, repeats dropped; an admin may unmask', async () => {
	const [a, b] = recs.map((r) => r.rec.id);
	let job = await runJob(reviewer, { format: 'pdf_zip', ids: [b, a, b] });
	assert.equal(job.total, 2);
	let res = await reviewer.get(job.download_url);
	assert.deepEqual(zipEntries(res.body).map((e) => Number(e.name.split('-')[0])), [a, b].sort((x, y) => x - y));

	job = await runJob(admin, { format: 'pdf_zip', ids: [a], unmask: true });
	res = await admin.get(job.download_url);
	const text = squeeze(pdfText(zipEntries(res.body)[0].data));
	assert.ok(text.includes(recs[0].doc.members[0].id_number), 'in full for an admin');
	const audit = await admin.get(`/api/v1/admin/audit?action=export_personal_data`);
	assert.equal(audit.status, 200, audit.text);
	assert.ok(audit.json.items.some((e) => e.detail.format === 'pdf_zip'), audit.text.slice(0, 400));
});

test('pdf_zip refusals: unknown or foreign ids, drafts, too many, nothing selected, and who may', async () => {
	const id = recs[0].rec.id;
	let res = await reviewer.post(`${GD}/exports`, { format: 'pdf_zip', ids: [id, draft.id, fjRec.id, 99999999] });
	assertError(res, 422, 'invalid');
	assert.deepEqual(res.json.error.fields.map((f) => [f.field, f.code]),
		[['ids[1]', 'not_found'], ['ids[2]', 'not_found'], ['ids[3]', 'not_found']]);
	assert.match(res.json.error.fields[0].message, new RegExp(`报名 ${draft.id} 不存在`));
	for (const ids of [[], Array.from({ length: 501 }, (_, i) => i + 1), 'x', [0], [1.5], ['1']])
		assertError(await reviewer.post(`${GD}/exports`, { format: 'pdf_zip', ids }), 422, 'invalid', JSON.stringify(ids).slice(0, 40));
	assertError(await reviewer.post(`${GD}/exports`, { format: 'xlsx', ids: [id] }), 422, 'invalid');
	assertError(await reviewer.post(`${GD}/exports`, { format: 'pdf_zip', track: 'medical-health' }), 422, 'no_records');
	assertError(await reviewer.post(`${GD}/exports`, { format: 'pdf_zip', region: '12345' }), 400, 'bad_query');
	assertError(await reviewer.post(`${GD}/exports`, { format: 'pdf_zip', unmask: true }), 403, 'forbidden');

	// More than 500 selected: copies of a record, returned, so the other
	// tests' filters never see them.
	sql(server, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 501)
		INSERT INTO applications (user_id, competition_id, track_id, topic_id, status, stage, tech_status,
			team_name, project_name, lead_unit_name, lead_uscc, doc, version, created_at, updated_at,
			submitted_at, first_submitted_at)
		SELECT user_id, competition_id, track_id, topic_id, 'returned', stage, tech_status, team_name,
			project_name || '-' || i, lead_unit_name, lead_uscc, doc, version, created_at, updated_at,
			submitted_at, first_submitted_at FROM applications, n WHERE id = ${id}`);
	res = await reviewer.post(`${GD}/exports`, { format: 'pdf_zip', status: 'returned' });
	assertError(res, 422, 'too_many_records');
	assert.match(res.json.error.message, /501 份.*最多 500 份/);
	sql(server, "DELETE FROM applications WHERE status = 'returned' AND project_name LIKE '%-%'");

	// Who may: the sub-contest's reviewers and admins; nobody else.
	const fj = await newStaff(server, ['reviewer:fujian-2026'], 'bzfj');
	const bob = await newApplicant(server);
	assertError(await fj.post(`${GD}/exports`, { format: 'pdf_zip', ids: [id] }), 404, 'not_found');
	assertError(await bob.post(`${GD}/exports`, { format: 'pdf_zip', ids: [id] }), 404, 'not_found');
	assertError(await request(server, `${GD}/exports`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } }), 401, 'login_required');
	// Fujian's reviewer cannot reach Guangdong's records by id through Fujian.
	res = await fj.post(`${FJ}/exports`, { format: 'pdf_zip', ids: [id] });
	assertError(res, 422, 'invalid');
	const job = await runJob(reviewer, { format: 'pdf_zip', ids: [id] });
	const other = await newStaff(server, ['reviewer:guangdong-2026'], 'bzoth');
	assertError(await other.get(job.download_url), 404, 'not_found');
	assertError(await fj.get(`${FJ}/exports/${job.id}/file`), 404, 'not_found');
});

test('retention: past export_retention_hours the file is deleted, the job expired, its file 410', async () => {
	const job = await runJob(reviewer, { format: 'csv', sheet: 'members' });
	const key = sql(server, `SELECT storage_key FROM export_jobs WHERE id = ${job.id}`);
	const file = path.join(server.dataDir, 'files', key);
	assert.ok(fs.existsSync(file), file);
	assert.equal((await reviewer.get(job.download_url)).status, 200);

	await advanceClock(reviewer, 3590);
	assert.equal((await reviewer.get(job.download_url)).status, 200, 'kept within the hour');
	await advanceClock(reviewer, 20);
	const url = `${GD}/exports/${job.id}`;
	let res = await reviewer.get(url);
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.status, 'expired');
	assert.equal(res.json.download_url, undefined);
	assert.equal(res.json.expires_at, job.finished_at + 3600);
	assert.match(res.json.error, /保留期限/);
	res = await reviewer.get(`${url}/file`);
	assertError(res, 410, 'export_expired');
	assert.match(res.json.error.message, /1 小时/);
	assert.ok(!fs.existsSync(file), 'the file is deleted');
	assert.equal(sql(server, `SELECT status FROM export_jobs WHERE id = ${job.id}`), 'expired');
	// Still the owner's only.
	assertError(await admin.get(url), 404, 'not_found');
});

test('retention: the sweeper deletes expired files when the server starts', async () => {
	const job = await runJob(reviewer, { format: 'csv' });
	const key = sql(server, `SELECT storage_key FROM export_jobs WHERE id = ${job.id}`);
	const file = path.join(server.dataDir, 'files', key);
	assert.ok(fs.existsSync(file));
	// Finished long ago, as far as a fresh process's clock can tell.
	sql(server, `UPDATE export_jobs SET finished_at = finished_at - 86400 WHERE id = ${job.id}`);
	const second = await startServer({ store: server.store, args: [...APP_ARGS, '--export-retention-hours', '1'] });
	try {
		for (let i = 0; i < 100 && fs.existsSync(file); i++)
			await sleep(50);
		assert.ok(!fs.existsSync(file), 'swept at start');
		assert.equal(sql(server, `SELECT status FROM export_jobs WHERE id = ${job.id}`), 'expired');
	} finally {
		const r = await second.stop();
		assert.equal(r.code, 0, second.stderr().slice(-2000));
	}
});
