// 40-att-storage: attachments end to end on one blob driver. Every slot
// takes its kinds; caps are announced (413 on the headers) and enforced;
// the content decides the type (415), zip bombs are refused unopened; a
// refused or broken upload leaves no row, no temp file and no blob; only
// the owner and reviewers of the sub-contest see the files; names, ranges,
// types and hashes come back right; submit needs the required slots;
// delete and replace follow the record's state; the tech slot its own.
//
// The same file runs twice: `node --test` runs it on the local driver, and
// 41-att-s3.test.mjs imports it as 40-att-storage.test.mjs?storage=s3,
// which runs every test again against s3rver (tests/s3/start-s3rver.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { assertError, assertSecurityHeaders, eventually } from './lib.mjs';
import { Client } from './auth-lib.mjs';
import {
	APPS, completeDoc, createApp, getApp, newApplicant, newStaff, saveDoc, startAppServer, submitApp, submitted,
} from './app-fixtures.mjs';
import {
	FORM_SLOTS, MIME, attUrl, blobBytes, blobState, dispositionName, docx, docxEntries, download, elf,
	html, jpeg, listAtt, mp4, newKeys, ole2, openRaw, padTo, pdf, png, pptx, s3Args, sendRaw, setTechStatus, within,
	sha256, slotOf, startS3rver, upload, uploadOk, zip, zipBomb,
} from './att-lib.mjs';

const STORAGE = new URL(import.meta.url).searchParams.get('storage') || 'local';
assert.ok(STORAGE === 'local' || STORAGE === 's3', `storage=${STORAGE}`);
const MB = 1024 * 1024;

let server;
let s3 = null;
let alice;
let mallory;
let gdReviewer;
let fjReviewer, gdJudge;

before(async () => {
	if (STORAGE === 's3')
		s3 = await startS3rver();
	server = await startAppServer({ args: s3 ? s3Args(s3) : [] });
	alice = await newApplicant(server);
	mallory = await newApplicant(server);
	gdReviewer = await newStaff(server, ['reviewer:guangdong-2026'], 'gdrev');
	fjReviewer = await newStaff(server, ['reviewer:fujian-2026'], 'fjrev');
	// A judge of the same sub-contest with no assignment (assignments come
	// with judging): no access to anyone's files.
	gdJudge = await newStaff(server, ['judge:guangdong-2026'], 'gdjudge');
});

after(async () => {
	await server?.stop();
	await s3?.stop();
});

const draft = async (c = alice) => (await createApp(c, 'guangdong-2026', { attach: false })).id;

// Nothing of a refused upload remains: the temp directory is empty (once
// the server has cleaned up), the stored blobs and the list are as before.
async function assertNoTrace(id, beforeState, beforeList, what, { srv = server, c = alice, ms = 3000 } = {}) {
	await eventually(async () => {
		const now = await blobState(srv, s3);
		assert.deepEqual(now.tmp, [], `${what}: temp files left in DATA_DIR/tmp`);
		assert.deepEqual(now.blobs, beforeState.blobs, `${what}: blobs changed`);
	}, ms);
	const list = await listAtt(c, id);
	assert.deepEqual(list.files, beforeList.files, `${what}: the list changed`);
}

// The record's state before an operation that must change nothing.
async function snapshot(id, { srv = server, c = alice } = {}) {
	return { state: await blobState(srv, s3), list: await listAtt(c, id) };
}

test(`[${STORAGE}] the blobs live where the driver says`, async () => {
	const id = await draft();
	const before = await blobState(server, s3);
	const f = await uploadOk(alice, id, 'qualification', 'where.pdf', pdf('where'));
	const after = await blobState(server, s3);
	const keys = newKeys(before, after);
	assert.equal(keys.length, 1, JSON.stringify(after));
	assert.match(keys[0], /^[A-Za-z0-9_-]{2}\/[A-Za-z0-9_-]{41}$/, 'a random storage key, not the file name');
	assert.equal(sha256(await blobBytes(server, s3, keys[0])), f.sha256);
	const filesDir = path.join(server.dataDir, 'files');
	if (STORAGE === 's3')
		assert.ok(!fs.existsSync(filesDir) || fs.readdirSync(filesDir).length === 0, 'nothing in DATA_DIR/files with s3');
	else
		assert.ok(fs.existsSync(path.join(filesDir, keys[0])));
});

test(`[${STORAGE}] every slot takes each of its kinds; answer, list, download and stored blob agree`, async () => {
	const id = await draft();
	const cases = [
		['qualification', '营业执照.pdf', pdf('营业执照'), 'pdf'],
		['qualification', '审计报告.docx', docx('审计报告'), 'docx'],
		['qualification', '信用报告.JPEG', jpeg('credit'), 'jpg'],
		['qualification', '资质证书.png', png(3, 3), 'png'],
		['qualification', '旧版材料.doc', ole2(), null],
		['ppt', '项目路演.pptx', pptx('路演'), 'pptx'],
		['declaration', '责任声明.jpg', jpeg('declaration'), 'jpg'],
		['authorization', '授权书.pdf', pdf('授权书'), 'pdf'],
		['ip_proof', '专利证书.png', png(4, 4), 'png', 'ip.property.patents[0]'],
		['contract', '服务合同.docx', docx('合同'), 'docx', 'value.cases[0]'],
		['other', '荣誉证书.pptx', pptx('荣誉'), 'pptx'],
		['video', '效果演示.mp4', mp4(300000), 'mp4'],
	];
	// Every slot of the form but tech (its own test) is covered.
	assert.deepEqual([...new Set(cases.map((c) => c[0]))].sort(),
		FORM_SLOTS.map((s) => s.key).filter((k) => k !== 'tech').sort());
	const uploaded = [];
	for (const [slot, name, body, kind, row] of cases) {
		const what = `${slot}/${name}`;
		const before = await blobState(server, s3);
		const res = await upload(alice, id, slot, name, body, { row });
		assert.equal(res.status, 201, `${what}: ${res.text}`);
		const f = res.json;
		assert.deepEqual(Object.keys(f).sort(),
			['file_name', 'id', 'kind', 'mime', 'row', 'sha256', 'size', 'slot', 'uploaded_at'], what);
		assert.equal(f.slot, slot, what);
		assert.equal(f.row, row ?? null, what);
		assert.equal(f.file_name, name, what);
		assert.equal(f.size, body.length, what);
		assert.equal(f.sha256, sha256(body), what);
		if (kind) {
			assert.equal(f.kind, kind, what);
			assert.equal(f.mime, MIME[kind], what);
		} else {
			// An OLE2 container libmagic cannot narrow down is kept as such.
			assert.ok(['doc', 'cdf'].includes(f.kind), `${what}: ${f.kind}`);
		}
		assert.equal(typeof f.uploaded_at, 'number', what);
		// One new blob holding exactly these bytes; no temp file left.
		const after = await blobState(server, s3);
		assert.deepEqual(after.tmp, [], what);
		const keys = newKeys(before, after);
		assert.equal(keys.length, 1, `${what}: one new blob`);
		assert.ok((await blobBytes(server, s3, keys[0])).equals(body), `${what}: stored bytes`);
		// The download is the same bytes, typed by the content.
		const d = await download(alice, id, f.id);
		assert.equal(d.status, 200, `${what}: ${d.text.slice(0, 200)}`);
		assert.ok(d.body.equals(body), `${what}: downloaded bytes`);
		assert.equal(d.headers['content-type'], f.mime, what);
		assert.equal(d.headers['content-length'], String(body.length), what);
		assert.equal(d.headers.etag, `"${f.sha256}"`, what);
		assert.equal(dispositionName(d.headers['content-disposition']), name, what);
		uploaded.push(f);
	}
	const list = await listAtt(alice, id);
	assert.deepEqual(list.files, uploaded, 'the list is the uploads, oldest first');
	assert.deepEqual(list.slots, FORM_SLOTS, 'the slots are the form\'s');
	assert.equal(list.total_bytes, cases.reduce((n, c) => n + c[2].length, 0));
	assert.equal(list.total_max_bytes, 1024 * MB);
});

test(`[${STORAGE}] declared too big: 413 on the headers, before any body is read`, async () => {
	const id = await draft();
	const snap = await snapshot(id);
	for (const [slot, len, code, text] of [
		['qualification', slotOf('qualification').max_bytes + 1, 'file_too_large', '20 MB'],
		['declaration', 30 * MB, 'file_too_large', '20 MB'],
		['ppt', slotOf('ppt').max_bytes + 1, 'file_too_large', '100 MB'],
		['video', slotOf('video').max_bytes + 1, 'file_too_large', '500 MB'],
		['video', 600 * MB + 1, 'body_too_large', null],
		['other', 40 * 1024 * MB, 'body_too_large', null],
	]) {
		const what = `${slot} Content-Length ${len}`;
		// A few bytes of a body that never comes: only an answer given on
		// the headers can arrive at all.
		const r = await openRaw(alice, 'PUT', attUrl(id, slot, 'big.pdf'), { contentLength: len });
		await r.write(pdf('only the start'));
		const t0 = Date.now();
		const res = await within(r.response, 5000, 'no answer');
		r.destroy();
		assert.notEqual(res, 'no answer', `${what}: the server waited for the body`);
		assert.ok(res, `${what}: connection closed without an answer`);
		assertError(res, 413, code, what);
		if (text)
			assert.ok(res.json.error.message.includes(text), `${what}: ${res.json.error.message}`);
		assert.ok(Date.now() - t0 < 2000, what);
	}
	// A client that asks first (Expect: 100-continue) gets the 413 instead of a 100.
	const r = await openRaw(alice, 'PUT', attUrl(id, 'qualification', 'big.pdf'),
		{ contentLength: 21 * MB, headers: { Expect: '100-continue' } });
	const res = await within(r.response, 5000, null);
	r.destroy();
	assertError(res, 413, 'file_too_large', 'Expect: 100-continue');
	// No Content-Length (chunked): uploads must announce their size.
	const ch = await openRaw(alice, 'PUT', attUrl(id, 'qualification', 'chunked.pdf'),
		{ headers: { 'Transfer-Encoding': 'chunked' } });
	const p = pdf('chunked');
	await ch.write(Buffer.concat([Buffer.from(`${p.length.toString(16)}\r\n`), p, Buffer.from('\r\n0\r\n\r\n')]));
	const chres = await within(ch.response, 5000, null);
	ch.destroy();
	assertError(chres, 400, 'length_required', 'chunked upload');
	await assertNoTrace(id, snap.state, snap.list, 'declared too big');
});

test(`[${STORAGE}] actually too big: 21 MB sent in full with a matching Content-Length → 413, no row, no file`, async () => {
	const id = await draft();
	const snap = await snapshot(id);
	const body = padTo(pdf('twenty-one'), 21 * MB);
	const res = await sendRaw(alice, 'PUT', attUrl(id, 'qualification', '超大文件.pdf'), body);
	assert.ok(res, 'the connection closed without an answer');
	assertError(res, 413, 'file_too_large', '21 MB');
	assert.match(res.json.error.message, /资格证明.*20 MB/);
	await assertNoTrace(id, snap.state, snap.list, '21 MB upload');
	// Exactly the cap is fine.
	const exact = padTo(pdf('exactly twenty'), slotOf('declaration').max_bytes);
	const ok = await uploadOk(alice, id, 'declaration', '刚好20MB.pdf', exact);
	assert.equal(ok.size, exact.length);
	assert.equal(ok.sha256, sha256(exact));
});

test(`[${STORAGE}] a type the slot does not take: 415 naming the accepted types, before the body`, async () => {
	const id = await draft();
	const snap = await snapshot(id);
	for (const [slot, name, accepted, why] of [
		['declaration', '声明.docx', 'PDF、JPG、PNG', '.docx'],
		['qualification', 'setup.exe', 'PDF、Word、JPG、PNG', '.exe'],
		['qualification', 'notes.txt', 'PDF、Word、JPG、PNG', '.txt'],
		['qualification', '没有扩展名', 'PDF、Word、JPG、PNG', '缺少扩展名'],
		['video', '演示.pdf', 'MP4', '.pdf'],
		['ppt', '路演.docx', 'PPT、PDF', '.docx'],
		['authorization', 'photo.gif', 'PDF、JPG、PNG', '.gif'],
	]) {
		const what = `${slot}/${name}`;
		const r = await openRaw(alice, 'PUT', attUrl(id, slot, name), { contentLength: 1 * MB });
		const res = await within(r.response, 5000, null);
		r.destroy();
		assert.ok(res, `${what}: no answer on the headers`);
		assertError(res, 415, 'file_type', what);
		const m = res.json.error.message;
		assert.ok(m.includes(`仅接受 ${accepted} 文件`), `${what}: ${m}`);
		assert.ok(m.includes(why), `${what}: ${m}`);
	}
	await assertNoTrace(id, snap.state, snap.list, 'wrong types');
});

test(`[${STORAGE}] the content decides: a renamed program, a PNG or a web page called .pdf → 415, nothing kept`, async () => {
	const id = await draft();
	const snap = await snapshot(id);
	const plainZip = zip([{ name: 'readme.txt', data: 'not a document' }, { name: 'data/a.csv', data: 'a,b\n1,2\n' }]);
	for (const [slot, name, body, says] of [
		['qualification', '营业执照.pdf', elf(), '可执行程序'],
		['qualification', 'scan.pdf', png(), 'PNG 图片'],
		['qualification', 'page.pdf', html(), '.pdf'],
		['declaration', '声明.png', pdf('declared png'), 'PDF 文档'],
		['declaration', '声明.jpg', mp4(), 'MP4 视频'],
		['qualification', '报告.docx', pptx('a pptx'), 'PPT'],
		['qualification', '报告.docx', plainZip, 'ZIP 压缩包'],
		['video', 'video.mp4', pdf('not a video'), 'PDF 文档'],
		['ppt', '路演.pptx', docx('a docx'), 'Word'],
	]) {
		const what = `${slot}/${name} (${says})`;
		const res = await upload(alice, id, slot, name, body);
		assertError(res, 415, 'file_type', what);
		assert.ok(res.json.error.message.includes(says), `${what}: ${res.json.error.message}`);
		assert.ok(res.json.error.message.includes('仅接受'), what);
	}
	await assertNoTrace(id, snap.state, snap.list, 'sniffed types');
});

test(`[${STORAGE}] zip bombs in a .docx are refused unopened (415), nothing kept`, async () => {
	const id = await draft();
	const snap = await snapshot(id);
	// One entry declaring ~4 GB from 64 KiB of deflated 'A's (~54 million : 1).
	const ratio = await upload(alice, id, 'qualification', '炸弹.docx', zipBomb());
	assertError(ratio, 415, 'bad_container', 'ratio bomb');
	assert.match(ratio.json.error.message, /压缩炸弹/);
	// Entries each under the ratio limit whose declared sizes add up past 512 MiB.
	const entries = docxEntries('total');
	for (let i = 0; i < 3; i++)
		entries.push({ name: `word/media/image${i}.bin`, data: crypto.randomBytes(MB + 65536), method: 8, usize: 200 * MB });
	const total = await upload(alice, id, 'qualification', '总量炸弹.docx', zip(entries));
	assertError(total, 415, 'bad_container', 'total bomb');
	assert.match(total.json.error.message, /总大小超过上限/);
	await assertNoTrace(id, snap.state, snap.list, 'zip bombs');
	// The same container, honest, is a fine .docx.
	await uploadOk(alice, id, 'qualification', '正常.docx', docx('正常'));
});

// A server of its own with a short connection timeout: see the next test
// for why the timeout is what bounds the clean-up today.
const QUICK_TIMEOUT = 3;

// Sends the first half of a 6 MiB upload and closes the socket while the
// server still has part of it to read. Returns when the socket is gone.
async function halfUpload(srv, c, id, body) {
	const r = await openRaw(c, 'PUT', attUrl(id, 'qualification', '半截.pdf'), { contentLength: body.length });
	for (let i = 0; i < 3 * MB; i += 256 * 1024)
		assert.ok(await r.write(body.subarray(i, i + 256 * 1024)), 'the server is reading');
	// The upload is under way: its temp file exists.
	await eventually(async () => {
		const st = await blobState(srv, s3);
		assert.equal(st.tmp.length, 1, JSON.stringify(st.tmp));
		assert.match(st.tmp[0], /^blob-[A-Za-z0-9_-]+\.tmp$/);
	}, 5000);
	r.destroy();
	assert.equal(r.answered, false, 'no answer to half a body');
	return Date.now();
}

test(`[${STORAGE}] a truncated upload (half the body, then the socket is gone) leaves no row, temp file or blob`, async (t) => {
	const srv = await startAppServer({ args: [...(s3 ? s3Args(s3) : []), '--connection-timeout', String(QUICK_TIMEOUT)] });
	try {
		const c = await newApplicant(srv);
		const id = await draft(c);
		const snap = await snapshot(id, { srv, c });
		const body = padTo(pdf('truncated'), 6 * MB);
		const gone = await halfUpload(srv, c, id, body);
		await assertNoTrace(id, snap.state, snap.list, 'truncated upload', { srv, c, ms: QUICK_TIMEOUT * 1000 + 3000 });
		t.diagnostic(`temp file removed ${Date.now() - gone} ms after the client went away`);
		// The same file in full goes through.
		const f = await uploadOk(c, id, 'qualification', '完整.pdf', body);
		assert.equal(f.sha256, sha256(body));
	} finally {
		await srv.stop();
	}
});

// libmicrohttpd 0.9.75 in MHD_USE_EPOLL_INTERNAL_THREAD mode (edge-
// triggered) stops reading at a short read; a close that came in behind the
// data raises no new event, so the connection (its temp file, descriptor
// and worker state) is held until connection_timeout (30 s by default).
// The same code with MHD_USE_POLL_INTERNAL_THREAD notices in ~50 ms.
test(`[${STORAGE}] a client that vanishes mid-upload is noticed at once, not at the connection timeout`, {
	todo: 'src/http/server.c: MHD epoll mode notices the close only at connection_timeout',
}, async () => {
	const srv = await startAppServer({ args: [...(s3 ? s3Args(s3) : []), '--connection-timeout', String(QUICK_TIMEOUT)] });
	try {
		const c = await newApplicant(srv);
		const id = await draft(c);
		const gone = await halfUpload(srv, c, id, padTo(pdf('vanish'), 6 * MB));
		await eventually(async () => {
			assert.deepEqual((await blobState(srv, s3)).tmp, [], 'temp file still there');
		}, QUICK_TIMEOUT * 1000 + 3000);
		const ms = Date.now() - gone;
		assert.ok(ms < 1000, `the temp file went ${ms} ms after the client (connection_timeout is ${QUICK_TIMEOUT} s)`);
	} finally {
		await srv.stop();
	}
});

test(`[${STORAGE}] the owner and reviewers of the sub-contest see the files; another applicant or sub-contest gets 404`, async () => {
	const id = await draft();
	const body = pdf('secret');
	const f = await uploadOk(alice, id, 'qualification', '机密.pdf', body);
	const other = await uploadOk(mallory, await draft(mallory), 'qualification', 'mallory.pdf', pdf('m'));
	const snap = await snapshot(id);

	const missing = await mallory.get(`${APPS}/987654/attachments`);
	assertError(missing, 404, 'not_found', 'a record that does not exist');
	for (const [who, c] of [['another applicant', mallory], ['a fujian-2026 reviewer', fjReviewer],
		['an unassigned guangdong-2026 judge', gdJudge]]) {
		const list = await c.get(`${APPS}/${id}/attachments`);
		assertError(list, 404, 'not_found', `${who}: list`);
		assert.equal(list.json.error.message, missing.json.error.message, `${who}: as if absent`);
		assertError(await download(c, id, f.id), 404, 'not_found', `${who}: GET`);
		assertError(await download(c, id, f.id, { Range: 'bytes=0-3' }), 404, 'not_found', `${who}: GET range`);
		assertError(await c.req('DELETE', `${APPS}/${id}/attachments/${f.id}`), 404, 'not_found', `${who}: DELETE`);
		assertError(await upload(c, id, 'qualification', 'x.pdf', pdf('x')), 404, 'not_found', `${who}: PUT`);
		assertError(await upload(c, id, 'qualification', 'x.pdf', pdf('x'), { replace: f.id }), 404, 'not_found', `${who}: replace`);
	}
	// A reviewer of guangdong-2026 reads, but does not write.
	const list = await gdReviewer.get(`${APPS}/${id}/attachments`);
	assert.equal(list.status, 200, list.text);
	assert.deepEqual(list.json.files.map((x) => x.id), [f.id]);
	assert.equal(list.json.files[0].deleted_at, null, 'reviewers see the history fields');
	const d = await download(gdReviewer, id, f.id);
	assert.equal(d.status, 200, d.text);
	assert.ok(d.body.equals(body));
	assertError(await gdReviewer.req('DELETE', `${APPS}/${id}/attachments/${f.id}`), 404, 'not_found', 'reviewer DELETE');
	assertError(await upload(gdReviewer, id, 'qualification', 'r.pdf', pdf('r')), 404, 'not_found', 'reviewer PUT');
	// Nobody signed in: 401.
	const anon = new Client(server);
	assertError(await anon.get(`${APPS}/${id}/attachments`), 401, 'login_required', 'anonymous list');
	assertError(await anon.get(`${APPS}/${id}/attachments/${f.id}`), 401, 'login_required', 'anonymous GET');
	// Someone else's file through my own record: not found (no IDOR).
	assertError(await download(alice, id, other.id), 404, 'not_found', 'another record\'s file id');
	assertError(await alice.req('DELETE', `${APPS}/${id}/attachments/${other.id}`), 404, 'not_found', 'another record\'s file id');
	for (const bad of ['abc', '0', '-1', '99999999999999999999'])
		assertError(await download(alice, id, bad), 404, 'not_found', bad);
	await assertNoTrace(id, snap.state, snap.list, 'access');
});

test(`[${STORAGE}] file names round-trip: filename*=UTF-8''… decodes to the original`, async () => {
	const id = await draft();
	for (const name of [
		'2026年数据要素×大赛 资格证明（盖章版）.pdf',
		'quote"semi;colon,comma 空格%25.pdf',
		'报名材料📎 emoji.pdf',
		'Ünïcödé résumé.pdf',
	]) {
		const f = await uploadOk(alice, id, 'qualification', name, pdf(name));
		assert.equal(f.file_name, name);
		const d = await download(alice, id, f.id);
		assert.equal(d.status, 200, d.text);
		const cd = d.headers['content-disposition'];
		assert.match(cd, /^attachment; /, cd);
		assert.equal(dispositionName(cd), name, cd);
		// The plain filename is an ASCII stand-in that cannot break the header.
		const plain = /filename="([^"]*)"/.exec(cd);
		assert.ok(plain, cd);
		assert.match(plain[1], /^[\x20-\x7e]*$/, cd);
		assert.ok(!plain[1].includes('\\'), cd);
		assert.ok(plain[1].endsWith('.pdf'), cd);
	}
	const list = await listAtt(alice, id);
	assert.ok(list.files.some((x) => x.file_name === '2026年数据要素×大赛 资格证明（盖章版）.pdf'));
	// The name may also come in X-File-Name (ASCII).
	const h = await alice.req('PUT', `${APPS}/${id}/attachments/qualification`,
		{ body: pdf('header'), headers: { 'Content-Type': 'application/pdf', 'X-File-Name': 'from-header.pdf' } });
	assert.equal(h.status, 201, h.text);
	assert.equal(h.json.file_name, 'from-header.pdf');
	// Names that are refused before the body.
	const snap = await snapshot(id);
	for (const [name, code] of [
		['a/b.pdf', 'bad_file_name'],
		['a\\b.pdf', 'bad_file_name'],
		['..', 'bad_file_name'],
		['文件\u202Efdp.exe.pdf', 'bad_file_name'],
		['tab\there.pdf', 'bad_file_name'],
		[`${'长'.repeat(201)}.pdf`, 'bad_file_name'],
		['', 'file_name_required'],
	])
		assertError(await upload(alice, id, 'qualification', name, pdf('n')), 400, code, JSON.stringify(name));
	assertError(await alice.req('PUT', `${APPS}/${id}/attachments/qualification`,
		{ body: pdf('no name'), headers: { 'Content-Type': 'application/pdf' } }), 400, 'file_name_required', 'no name');
	assertError(await alice.req('PUT', `${APPS}/${id}/attachments/qualification?name=%E4%B8`,
		{ body: pdf('bad utf8'), headers: { 'Content-Type': 'application/pdf' } }), 400, null, 'broken percent-encoding');
	assertError(await upload(alice, id, 'no_such_slot', 'a.pdf', pdf('x')), 404, 'slot_not_found', 'unknown slot');
	await assertNoTrace(id, snap.state, snap.list, 'bad names');
});

test(`[${STORAGE}] submit needs the four required slots: 422 lists exactly them, 200 once uploaded; then 409`, async () => {
	const id = await draft();
	const saved = await saveDoc(alice, id, (await getApp(alice, id)).version, completeDoc());
	const res = await submitApp(alice, id, { version: saved.version });
	assertError(res, 422, 'incomplete', 'submit without files');
	const fields = res.json.error.fields;
	assert.deepEqual(fields.map((f) => f.field).sort(),
		['attachments.authorization', 'attachments.declaration', 'attachments.ppt', 'attachments.qualification'],
		JSON.stringify(fields));
	for (const f of fields) {
		assert.equal(f.code, 'required', JSON.stringify(f));
		const slot = slotOf(f.field.slice('attachments.'.length));
		assert.ok(f.message.includes(slot.label), f.message);
	}
	const q = await uploadOk(alice, id, 'qualification', '营业执照.pdf', pdf('q'));
	await uploadOk(alice, id, 'ppt', '路演.pptx', pptx('p'));
	await uploadOk(alice, id, 'declaration', '声明.jpg', jpeg('d'));
	const partial = await submitApp(alice, id, { version: saved.version });
	assertError(partial, 422, 'incomplete', 'one slot still empty');
	assert.deepEqual(partial.json.error.fields.map((f) => f.field), ['attachments.authorization']);
	await uploadOk(alice, id, 'authorization', '授权书.png', png());
	const ok = await submitApp(alice, id, { version: saved.version });
	assert.equal(ok.status, 200, ok.text);
	assert.equal(ok.json.status, 'submitted');

	// Submitted: no upload, delete or replace (409), and nothing changes.
	const snap = await snapshot(id);
	for (const [what, r] of [
		['upload', await upload(alice, id, 'other', '补充.pdf', pdf('late'))],
		['replace', await upload(alice, id, 'qualification', '新版.pdf', pdf('late'), { replace: q.id })],
		['delete', await alice.req('DELETE', `${APPS}/${id}/attachments/${q.id}`)],
	])
		assertError(r, 409, 'not_editable', `after submit: ${what}`);
	await assertNoTrace(id, snap.state, snap.list, 'after submit');
	assert.equal((await download(alice, id, q.id)).status, 200, 'the owner still reads');

	// Returned for changes, it is editable again.
	const ret = await gdReviewer.post(`/api/v1/review/applications/${id}/return`, { reason: '请更新营业执照' });
	assert.equal(ret.status, 200, ret.text);
	const rep = await uploadOk(alice, id, 'qualification', '新版营业执照.pdf', pdf('new'), { replace: q.id });
	const list = await listAtt(alice, id);
	assert.equal(list.files.filter((f) => f.slot === 'qualification').length, 1);
	assert.equal(list.files.find((f) => f.slot === 'qualification').id, rep.id);
});

test(`[${STORAGE}] delete and replace while editable: replace keeps the count, organisers keep the history`, async () => {
	const id = await draft();
	const A = await uploadOk(alice, id, 'qualification', 'A.pdf', pdf('A'));
	const B = await uploadOk(alice, id, 'qualification', 'B.pdf', pdf('B'));
	const C = await uploadOk(alice, id, 'qualification', 'C.pdf', pdf('C'), { replace: A.id });
	let list = await listAtt(alice, id);
	assert.deepEqual(list.files.map((f) => f.id), [B.id, C.id], 'replace keeps the count');
	assert.equal(list.total_bytes, B.size + C.size);
	assertError(await download(alice, id, A.id), 404, 'not_found', 'the owner no longer sees A');
	const hist = await gdReviewer.get(`${APPS}/${id}/attachments`);
	const a = hist.json.files.find((f) => f.id === A.id);
	assert.ok(a, hist.text);
	assert.equal(a.replaced_by, C.id);
	assert.equal(typeof a.deleted_at, 'number');
	const old = await download(gdReviewer, id, A.id);
	assert.equal(old.status, 200, 'organisers still read the replaced version');
	assert.ok(old.body.equals(pdf('A')));

	// A replace must retire a live file of the same slot, or it is refused.
	const P = await uploadOk(alice, id, 'ppt', 'P.pptx', pptx('P'));
	const snap = await snapshot(id);
	const full = await upload(alice, id, 'ppt', 'Q.pptx', pptx('Q'));
	assertError(full, 409, 'slot_full', 'ppt takes one file');
	assert.match(full.json.error.message, /最多上传 1 个文件/);
	for (const [what, rep] of [['a file that does not exist', 999999], ['a file of another slot', B.id], ['a replaced file', A.id]]) {
		const r = await upload(alice, id, 'ppt', 'Q.pptx', pptx('Q'), { replace: rep });
		assertError(r, 404, 'replace_not_found', what);
	}
	assertError(await upload(alice, id, 'ppt', 'Q.pptx', pptx('Q'), { replace: 'abc' }), 400, 'bad_replace', 'replace=abc');
	await assertNoTrace(id, snap.state, snap.list, 'refused replaces');
	const Q = await uploadOk(alice, id, 'ppt', 'Q.pptx', pptx('Q'), { replace: P.id });
	list = await listAtt(alice, id);
	assert.deepEqual(list.files.filter((f) => f.slot === 'ppt').map((f) => f.id), [Q.id]);

	// Delete: gone for the owner, kept for the organisers; twice is 404.
	const del = await alice.req('DELETE', `${APPS}/${id}/attachments/${B.id}`);
	assert.equal(del.status, 204, del.text);
	assert.equal(del.body.length, 0);
	list = await listAtt(alice, id);
	assert.deepEqual(list.files.map((f) => f.id), [C.id, Q.id]);
	assertError(await alice.req('DELETE', `${APPS}/${id}/attachments/${B.id}`), 404, 'not_found', 'deleted twice');
	assertError(await download(alice, id, B.id), 404, 'not_found', 'deleted file');
	const h2 = await gdReviewer.get(`${APPS}/${id}/attachments`);
	assert.equal(typeof h2.json.files.find((f) => f.id === B.id).deleted_at, 'number');
	assert.equal(h2.json.files.find((f) => f.id === B.id).replaced_by, null);
	// The freed place takes a new file.
	await uploadOk(alice, id, 'qualification', 'D.pdf', pdf('D'));
});

test(`[${STORAGE}] per-row slots take row=; rows that are not the slot's are 400`, async () => {
	const id = await draft();
	const rows = [
		['contract', 'value.cases[0]'],
		['contract', 'value.cases[1]'],
		['contract', 'ip.contracts[0]'],
		['ip_proof', 'ip.property.patents[0]'],
		['ip_proof', 'ip.property.software_copyrights[2]'],
		['contract', 'value.cases[999]'],
	];
	const got = [];
	for (const [slot, row] of rows) {
		const f = await uploadOk(alice, id, slot, `${row}.pdf`, pdf(row), { row });
		assert.equal(f.row, row);
		got.push(f);
	}
	const list = await listAtt(alice, id);
	assert.deepEqual(list.files.map((f) => [f.slot, f.row]), rows);
	const snap = await snapshot(id);
	for (const [slot, row, what] of [
		['contract', 'value.cases', 'no index'],
		['contract', 'value.cases[]', 'empty index'],
		['contract', 'value.cases[-1]', 'negative'],
		['contract', 'value.cases[1000]', 'above 999'],
		['contract', 'value.cases[0].x', 'past the row'],
		['contract', 'value.cases[0', 'unclosed'],
		['contract', 'members[0]', 'a table of no slot'],
		['contract', 'ip.property.patents[0]', 'another slot\'s table'],
		['ip_proof', 'value.cases[0]', 'another slot\'s table'],
		['ip_proof', '', 'empty'],
		['qualification', 'value.cases[0]', 'a slot without rows'],
	]) {
		const r = await upload(alice, id, slot, 'r.pdf', pdf('r'), { row });
		assertError(r, 400, 'bad_row', `${slot} row=${row} (${what})`);
	}
	await assertNoTrace(id, snap.state, snap.list, 'bad rows');
});

test(`[${STORAGE}] the tech slot takes files only while technical verification is pending (409 otherwise)`, async () => {
	const id = await draft();
	const snap = await snapshot(id);
	const closed = await upload(alice, id, 'tech', '验证.pdf', pdf('tech'));
	assertError(closed, 409, 'tech_not_open', 'tech before verification');
	await assertNoTrace(id, snap.state, snap.list, 'tech refused');
	setTechStatus(server, id, 'pending');
	const t1 = await uploadOk(alice, id, 'tech', '验证报告.pdf', pdf('tech'));
	const t2 = await uploadOk(alice, id, 'tech', '演示.mp4', mp4(50000));
	assert.equal(t2.kind, 'mp4');
	// Pending verification on a submitted (not editable) record: tech only.
	const s = await submitted(alice, completeDoc());
	setTechStatus(server, s.id, 'pending');
	await uploadOk(alice, s.id, 'tech', '技术验证.pptx', pptx('tech'));
	assertError(await upload(alice, s.id, 'other', '其他.pdf', pdf('o')), 409, 'not_editable', 'other slot while submitted');
	for (const st of ['verifying', 'passed', 'failed', 'not_started']) {
		setTechStatus(server, s.id, st);
		assertError(await upload(alice, s.id, 'tech', '晚了.pdf', pdf('late')), 409, 'tech_not_open', `tech ${st}`);
	}
	const list = await listAtt(alice, id);
	assert.deepEqual(list.files.map((f) => f.id), [t1.id, t2.id]);
	// The tech slot's types are its own.
	setTechStatus(server, id, 'pending');
	assertError(await upload(alice, id, 'tech', 'x.zip', pdf('z')), 415, 'file_type', 'tech .zip');
});

test(`[${STORAGE}] Range: 206 with Content-Range; an unsatisfiable range is 416`, async () => {
	const id = await draft();
	const body = Buffer.concat([pdf('range'), crypto.randomBytes(10000 - pdf('range').length)]);
	assert.equal(body.length, 10000);
	const f = await uploadOk(alice, id, 'qualification', 'range.pdf', body);
	const full = await download(alice, id, f.id);
	assert.equal(full.status, 200);
	assert.equal(full.headers['accept-ranges'], 'bytes');
	for (const [range, from, to] of [
		['bytes=0-99', 0, 99],
		['bytes=9990-', 9990, 9999],
		['bytes=-16', 9984, 9999],
		['bytes=9000-20000', 9000, 9999],
		['bytes=5-5', 5, 5],
		['bytes=-20000', 0, 9999],
	]) {
		const r = await download(alice, id, f.id, { Range: range });
		assert.equal(r.status, 206, `${range}: ${r.text.slice(0, 200)}`);
		assert.equal(r.headers['content-range'], `bytes ${from}-${to}/10000`, range);
		assert.equal(r.headers['content-length'], String(to - from + 1), range);
		assert.ok(r.body.equals(body.subarray(from, to + 1)), range);
		assert.equal(r.headers['content-type'], 'application/pdf', range);
		assert.equal(r.headers['x-content-type-options'], 'nosniff', range);
		assert.ok(r.headers['content-disposition'], range);
	}
	for (const range of ['bytes=10000-', 'bytes=20000-30000', 'bytes=5-2', 'bytes=-0', 'bytes=abc-def', 'bytes=1-x']) {
		const r = await download(alice, id, f.id, { Range: range });
		assertError(r, 416, 'bad_range', range);
		assert.equal(r.headers['content-range'], 'bytes */10000', range);
	}
});

test(`[${STORAGE}] Content-Type comes from the content, not the client; nosniff; private`, async () => {
	const id = await draft();
	for (const [name, body, claimed, mime] of [
		['photo.png', png(5, 5), 'text/html', 'image/png'],
		['photo.jpg', jpeg('x'), 'application/pdf', 'image/jpeg'],
		['doc.docx', docx('x'), 'text/plain', MIME.docx],
		['a.pdf', pdf('x'), 'image/svg+xml', 'application/pdf'],
	]) {
		const f = await uploadOk(alice, id, 'qualification', name, body, { contentType: claimed });
		assert.equal(f.mime, mime, name);
		const d = await download(alice, id, f.id);
		assert.equal(d.status, 200);
		assert.equal(d.headers['content-type'], mime, name);
		assert.equal(d.headers['x-content-type-options'], 'nosniff', name);
		assert.equal(d.headers['cache-control'], 'private, no-store', name);
		assert.match(d.headers['content-disposition'], /^attachment;/, name);
		assertSecurityHeaders(d, name);
	}
});

test(`[${STORAGE}] the SHA-256 in the answer is the file's (over many chunks), and the ETag`, async () => {
	const id = await draft();
	const body = Buffer.concat([pdf('hash'), crypto.randomBytes(3 * MB + 12345)]);
	const before = await blobState(server, s3);
	const f = await uploadOk(alice, id, 'other', '大文件.pdf', body);
	const expect = sha256(body);
	assert.equal(f.sha256, expect);
	assert.equal(f.size, body.length);
	const d = await download(alice, id, f.id);
	assert.equal(sha256(d.body), expect);
	assert.equal(d.headers.etag, `"${expect}"`);
	const keys = newKeys(before, await blobState(server, s3));
	assert.equal(keys.length, 1);
	assert.equal(sha256(await blobBytes(server, s3, keys[0])), expect);
	// Through the raw path too (paced pieces, as a slow client sends them).
	const g = await sendRaw(alice, 'PUT', attUrl(id, 'other', '慢速.pdf'), body);
	assert.equal(g.status, 201, g.text);
	assert.equal(g.json.sha256, expect);
});
