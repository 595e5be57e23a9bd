// 42-att-caps: the per-application total and the per-slot file counts.
// The real form allows 1 GiB per record, which no test should upload, so
// the server here reads a copy of the catalog whose form sets
// attachments_total_max_bytes to 3 MiB (everything else is the real form).
// Caps hold on the headers (413 before the body) and again when the file is
// stored, so uploads running side by side cannot pass them together.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError } from './lib.mjs';
import { createApp, newApplicant, startAppServer } from './app-fixtures.mjs';
import {
	attUrl, blobState, catalogCopy, jpeg, listAtt, newKeys, openRaw, padTo, pdf, upload, uploadOk, within,
} from './att-lib.mjs';

const MB = 1024 * 1024;
const CAP = 3 * MB;

let server;
let catalog;
let alice;

before(async () => {
	catalog = catalogCopy((form) => {
		form.attachments_total_max_bytes = CAP;
	});
	server = await startAppServer({ args: ['--catalog-dir', catalog.dir] });
	alice = await newApplicant(server);
});

after(async () => {
	await server?.stop();
	catalog?.destroy();
});

const draft = async () => (await createApp(alice, 'guangdong-2026', { attach: false })).id;

// The answer to an upload that declares len bytes and sends only a few.
async function declare(id, slot, name, len) {
	const r = await openRaw(alice, 'PUT', attUrl(id, slot, name), { contentLength: len });
	await r.write(pdf('start'));
	const res = await within(r.response, 5000, null);
	r.destroy();
	assert.ok(res, `${slot} ${len}: no answer on the headers`);
	return res;
}

// Starts an upload and sends all of body but its last byte.
async function startUpload(id, slot, name, body) {
	const r = await openRaw(alice, 'PUT', attUrl(id, slot, name), { contentLength: body.length });
	for (let i = 0; i < body.length - 1; i += 256 * 1024)
		assert.ok(await r.write(body.subarray(i, Math.min(i + 256 * 1024, body.length - 1))), `${name}: refused early`);
	return r;
}

async function finish(r, body) {
	await r.write(body.subarray(body.length - 1));
	const res = await within(r.response, 20000, null);
	r.destroy();
	assert.ok(res, 'no answer');
	return res;
}

test('the per-application total: 413 on the headers past it, exactly the cap is fine, a delete frees room', async () => {
	const id = await draft();
	const first = await uploadOk(alice, id, 'qualification', '两兆.pdf', padTo(pdf('2'), 2 * MB));
	let list = await listAtt(alice, id);
	assert.equal(list.total_bytes, 2 * MB);
	assert.equal(list.total_max_bytes, CAP);
	const st = await blobState(server);
	const over = await declare(id, 'other', '一兆半.pdf', 1.5 * MB);
	assertError(over, 413, 'total_too_large', '2 + 1.5 MiB');
	assert.match(over.json.error.message, /全部附件合计不能超过 3 MB/);
	assert.deepEqual(await blobState(server), st, 'nothing stored');
	// Up to the cap exactly.
	const second = await uploadOk(alice, id, 'other', '一兆.pdf', padTo(pdf('1'), MB));
	list = await listAtt(alice, id);
	assert.equal(list.total_bytes, CAP);
	assertError(await upload(alice, id, 'declaration', '一点点.jpg', jpeg('x')), 413, 'total_too_large', 'one more byte');
	// The cap is per record: another record of the same applicant is empty.
	const other = await draft();
	await uploadOk(alice, other, 'qualification', '另一份.pdf', padTo(pdf('o'), 2 * MB));
	// Deleted files no longer count.
	const del = await alice.req('DELETE', `/api/v1/applications/${id}/attachments/${first.id}`);
	assert.equal(del.status, 204, del.text);
	await uploadOk(alice, id, 'other', '一兆半.pdf', padTo(pdf('1.5'), 1.5 * MB));
	list = await listAtt(alice, id);
	assert.equal(list.total_bytes, 2.5 * MB);
	assert.deepEqual(list.files.map((f) => f.id).slice(0, 1), [second.id]);
});

test('uploads running side by side cannot pass the total together: one 201, one 413, one blob', async () => {
	const id = await draft();
	const a = padTo(pdf('a'), 2 * MB);
	const b = padTo(pdf('b'), 2 * MB);
	const st = await blobState(server);
	// Both start while the record is empty, so both pass the check on the headers.
	const ra = await startUpload(id, 'qualification', 'a.pdf', a);
	const rb = await startUpload(id, 'other', 'b.pdf', b);
	const [resA, resB] = [await finish(ra, a), await finish(rb, b)];
	assert.equal(resA.status, 201, resA.text);
	assertError(resB, 413, 'total_too_large', 'the second to finish');
	const list = await listAtt(alice, id);
	assert.deepEqual(list.files.map((f) => f.file_name), ['a.pdf']);
	assert.ok(list.total_bytes <= CAP);
	const now = await blobState(server);
	assert.deepEqual(now.tmp, []);
	assert.equal(newKeys(st, now).length, 1, 'the refused file was not kept');
});

test('a slot\'s file count: 409 past max_files, also for uploads side by side', async () => {
	const id = await draft();
	for (let i = 0; i < 3; i++)
		await uploadOk(alice, id, 'declaration', `声明${i}.jpg`, jpeg(`d${i}`));
	const full = await upload(alice, id, 'declaration', '声明3.jpg', jpeg('d3'));
	assertError(full, 409, 'slot_full', 'the fourth declaration');
	assert.match(full.json.error.message, /最多上传 3 个文件/);
	// ppt takes one file (PDF too): two started at once end as one 201 and one 409.
	const p1 = padTo(pdf('one'), 256 * 1024);
	const p2 = padTo(pdf('two'), 256 * 1024);
	const st = await blobState(server);
	const r1 = await startUpload(id, 'ppt', 'one.pdf', p1);
	const r2 = await startUpload(id, 'ppt', 'two.pdf', p2);
	const res1 = await finish(r1, p1);
	const res2 = await finish(r2, p2);
	assert.equal(res1.status, 201, res1.text);
	assertError(res2, 409, 'slot_full', 'the second ppt');
	const list = await listAtt(alice, id);
	assert.deepEqual(list.files.filter((f) => f.slot === 'ppt').map((f) => f.file_name), ['one.pdf']);
	const now = await blobState(server);
	assert.deepEqual(now.tmp, []);
	assert.equal(newKeys(st, now).length, 1, 'the refused file was not kept');
});
