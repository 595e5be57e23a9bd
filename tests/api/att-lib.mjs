// att-lib.mjs: helpers of the attachment tests (40–45), on top of lib.mjs,
// auth-lib.mjs and app-fixtures.mjs. Built-ins only.
//
//   files      pdf(), png(), jpeg(), mp4(), docx(), pptx(), ole2(), elf(),
//              html(), zipBomb(), padTo(buf, size); zip(entries) writes a
//              zip by hand (stored or deflated) with crc32() computed here
//   uploads    upload(c, id, slot, name, body, {row, replace}) through
//              node:http; sendRaw(c, method, path, {contentLength, parts,
//              destroyAfterMs}) on a bare socket for what http would not
//              send (a lying Content-Length, half a body)
//   storage    startS3rver() runs tests/s3/start-s3rver.mjs; s3Args(s3);
//              blobState(server, s3) lists DATA_DIR/tmp and the stored
//              blobs (DATA_DIR/files, or the bucket)
//   database   sql(server, statement) runs SQL on the server's store
//              (sqlite3 or psql): for states no API sets yet
//   catalog    catalogCopy(patch) a copy of catalog/ with forms/2026.json
//              changed by patch(form)

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { CATALOG_DIR, REPO, parseRawResponse, tmpDir } from './lib.mjs';
import { APPS } from './app-fixtures.mjs';

// ---- bytes ------------------------------------------------------------

const CRC_TABLE = (() => {
	const t = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
		t[n] = c >>> 0;
	}
	return t;
})();

// CRC-32 (ISO 3309, as zip and PNG use it).
export function crc32(buf) {
	let c = 0xFFFFFFFF;
	for (let i = 0; i < buf.length; i++)
		c = CRC_TABLE[(c ^ buf[i]) & 0xFF] ^ (c >>> 8);
	return (c ^ 0xFFFFFFFF) >>> 0;
}
assert.equal(crc32(Buffer.from('123456789')), 0xCBF43926, 'CRC-32 check value');

export const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');
export const md5 = (buf) => crypto.createHash('md5').update(buf).digest('hex');

// buf followed by zero bytes up to size (libmagic looks at the start).
export function padTo(buf, size) {
	assert.ok(size >= buf.length, `padTo ${size} < ${buf.length}`);
	const out = Buffer.alloc(size);
	buf.copy(out);
	return out;
}

// ---- files -------------------------------------------------------------

// A small but well-formed PDF (xref offsets computed); `text` lands in a
// comment, so two calls with different texts have different hashes.
export function pdf(text = 'saiwu') {
	const objs = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
	];
	let out = `%PDF-1.4\n%${text.replace(/[\r\n]/g, ' ')}\n`;
	const offs = [];
	objs.forEach((o, i) => {
		offs.push(Buffer.byteLength(out, 'latin1'));
		out += `${i + 1} 0 obj\n${o}\nendobj\n`;
	});
	const xref = Buffer.byteLength(out, 'latin1');
	out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
	for (const o of offs)
		out += `${String(o).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

function pngChunk(type, data) {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(td));
	return Buffer.concat([len, td, crc]);
}

// A w×h RGB PNG of one colour.
export function png(w = 2, h = 2, rgb = [0x1E, 0x90, 0xFF]) {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(w, 0);
	ihdr.writeUInt32BE(h, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // RGB
	const rows = [];
	for (let y = 0; y < h; y++) {
		rows.push(Buffer.from([0])); // filter: none
		for (let x = 0; x < w; x++)
			rows.push(Buffer.from(rgb));
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

// A JFIF header, a comment and the end marker: what libmagic calls image/jpeg.
export function jpeg(comment = 'saiwu') {
	const app0 = Buffer.from([0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00,
		0x01, 0x01, 0x00, 0x00, 0x48, 0x00, 0x48, 0x00, 0x00]);
	const c = Buffer.from(comment, 'latin1');
	const com = Buffer.concat([Buffer.from([0xFF, 0xFE, (c.length + 2) >> 8, (c.length + 2) & 0xFF]), c]);
	return Buffer.concat([Buffer.from([0xFF, 0xD8]), app0, com, Buffer.from([0xFF, 0xD9])]);
}

function box(type, payload) {
	const h = Buffer.alloc(8);
	h.writeUInt32BE(8 + payload.length);
	h.write(type, 4, 'latin1');
	return Buffer.concat([h, payload]);
}

// An ISO base media file: ftyp (isom, mp41) and an mdat of size bytes total.
export function mp4(size = 0) {
	const ftyp = box('ftyp', Buffer.concat([Buffer.from('isom', 'latin1'),
		Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2avc1mp41', 'latin1')]));
	const free = box('free', Buffer.alloc(0));
	const head = Buffer.concat([ftyp, free]);
	const mdatLen = Math.max(8 + 16, size - head.length);
	const mdat = Buffer.alloc(mdatLen);
	mdat.writeUInt32BE(mdatLen);
	mdat.write('mdat', 4, 'latin1');
	mdat.write('saiwu-video-data', 8, 'latin1');
	return Buffer.concat([head, mdat]);
}

function dosTime() {
	// 2026-03-01 12:00:00
	return { time: (12 << 11), date: ((2026 - 1980) << 9) | (3 << 5) | 1 };
}

// Writes a zip by hand. entries: [{name, data, method (0 stored, 8
// deflate), usize (declared uncompressed size, default the real one)}].
export function zip(entries) {
	const locals = [];
	const central = [];
	let offset = 0;
	const { time, date } = dosTime();
	for (const e of entries) {
		const name = Buffer.from(e.name, 'utf8');
		const data = Buffer.from(e.data);
		const method = e.method || 0;
		const body = method === 8 ? zlib.deflateRawSync(data) : data;
		const crc = crc32(data);
		const usize = e.usize ?? data.length;
		const lh = Buffer.alloc(30);
		lh.writeUInt32LE(0x04034B50, 0);
		lh.writeUInt16LE(20, 4);
		lh.writeUInt16LE(0x0800, 6); // UTF-8 names
		lh.writeUInt16LE(method, 8);
		lh.writeUInt16LE(time, 10);
		lh.writeUInt16LE(date, 12);
		lh.writeUInt32LE(crc, 14);
		lh.writeUInt32LE(body.length, 18);
		lh.writeUInt32LE(usize, 22);
		lh.writeUInt16LE(name.length, 26);
		lh.writeUInt16LE(0, 28);
		const ch = Buffer.alloc(46);
		ch.writeUInt32LE(0x02014B50, 0);
		ch.writeUInt16LE(20, 4);
		ch.writeUInt16LE(20, 6);
		ch.writeUInt16LE(0x0800, 8);
		ch.writeUInt16LE(method, 10);
		ch.writeUInt16LE(time, 12);
		ch.writeUInt16LE(date, 14);
		ch.writeUInt32LE(crc, 16);
		ch.writeUInt32LE(body.length, 20);
		ch.writeUInt32LE(usize, 24);
		ch.writeUInt16LE(name.length, 28);
		ch.writeUInt32LE(offset, 42);
		locals.push(lh, name, body);
		central.push(ch, name);
		offset += lh.length + name.length + body.length;
	}
	const cd = Buffer.concat(central);
	const eocd = Buffer.alloc(22);
	eocd.writeUInt32LE(0x06054B50, 0);
	eocd.writeUInt16LE(entries.length, 8);
	eocd.writeUInt16LE(entries.length, 10);
	eocd.writeUInt32LE(cd.length, 12);
	eocd.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, cd, eocd]);
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const OFFICE_DOC = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument';

function contentTypes(part, type) {
	return XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
		'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
		'<Default Extension="xml" ContentType="application/xml"/>' +
		`<Override PartName="/${part}" ContentType="${type}"/></Types>`;
}

function rels(part) {
	return XML + `<Relationships xmlns="${REL_NS}"><Relationship Id="rId1" Type="${OFFICE_DOC}" Target="${part}"/></Relationships>`;
}

// The entries of a minimal Word document (main part word/document.xml).
export function docxEntries(text = '数据要素×') {
	return [
		{ name: '[Content_Types].xml', data: contentTypes('word/document.xml',
			'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml') },
		{ name: '_rels/.rels', data: rels('word/document.xml') },
		{ name: 'word/document.xml', data: XML +
			'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
			`<w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>` },
	];
}

// A real (stored) .docx.
export const docx = (text) => zip(docxEntries(text));

// A real (stored) .pptx with one empty presentation part.
export function pptx(text = 'saiwu') {
	return zip([
		{ name: '[Content_Types].xml', data: contentTypes('ppt/presentation.xml',
			'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml') },
		{ name: '_rels/.rels', data: rels('ppt/presentation.xml') },
		{ name: 'ppt/presentation.xml', data: XML +
			'<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">' +
			`<!-- ${text} --><p:sldIdLst/></p:presentation>` },
	]);
}

// A .docx whose word/document.xml declares (in its local header and in the
// central directory alike) ~4 GB uncompressed from a few hundred bytes.
export function zipBomb() {
	const entries = docxEntries();
	entries[2] = { name: 'word/document.xml', data: Buffer.alloc(64 * 1024, 0x41), method: 8, usize: 0xFFFFFF00 };
	return zip(entries);
}

// A 64-bit x86-64 ELF executable header with one program header.
export function elf() {
	const b = Buffer.alloc(4096);
	Buffer.from([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0]).copy(b, 0);
	b.writeUInt16LE(2, 16); // ET_EXEC
	b.writeUInt16LE(0x3E, 18); // x86-64
	b.writeUInt32LE(1, 20); // EV_CURRENT
	b.writeBigUInt64LE(0x401000n, 24); // entry
	b.writeBigUInt64LE(64n, 32); // phoff
	b.writeUInt16LE(64, 52); // ehsize
	b.writeUInt16LE(56, 54); // phentsize
	b.writeUInt16LE(1, 56); // phnum
	b.writeUInt16LE(64, 58); // shentsize
	// PT_LOAD, R+X, the whole file at 0x400000
	b.writeUInt32LE(1, 64);
	b.writeUInt32LE(5, 68);
	b.writeBigUInt64LE(0x400000n, 80);
	b.writeBigUInt64LE(0x400000n, 88);
	b.writeBigUInt64LE(4096n, 96);
	b.writeBigUInt64LE(4096n, 104);
	b.writeBigUInt64LE(0x1000n, 112);
	b.fill(0x90, 0x1000 - 64); // nops
	return b;
}

export const html = () => Buffer.from('<!DOCTYPE html>\n<html><head><title>x</title></head>' +
	'<body><script>alert(document.cookie)</script></body></html>\n');

// An OLE2 compound file header (what an old .doc/.ppt starts with).
export function ole2() {
	const b = Buffer.alloc(1536, 0);
	Buffer.from([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).copy(b, 0);
	b.writeUInt16LE(0x3E, 24); // minor version
	b.writeUInt16LE(3, 26); // major version 3
	b.writeUInt16LE(0xFFFE, 28); // little-endian
	b.writeUInt16LE(9, 30); // 512-byte sectors
	b.writeUInt16LE(6, 32); // 64-byte mini sectors
	b.writeUInt32LE(1, 44); // one FAT sector
	b.writeUInt32LE(1, 48); // directory at sector 1
	b.writeUInt32LE(4096, 56); // mini stream cutoff
	b.writeInt32LE(-2, 60); // no mini FAT
	b.writeInt32LE(-2, 68); // no DIFAT
	b.writeUInt32LE(0, 76); // FAT at sector 0
	for (let i = 80; i < 512; i += 4)
		b.writeInt32LE(-1, i);
	// FAT (sector 0): sector 0 is FAT, sector 1 end of chain
	b.writeInt32LE(-3, 512);
	b.writeInt32LE(-2, 516);
	for (let i = 520; i < 1024; i += 4)
		b.writeInt32LE(-1, i);
	// directory (sector 1): the root entry
	const name = Buffer.from('Root Entry\0', 'utf16le');
	name.copy(b, 1024);
	b.writeUInt16LE(name.length, 1024 + 64);
	b[1024 + 66] = 5; // root storage
	b[1024 + 67] = 1; // black
	b.writeInt32LE(-1, 1024 + 68);
	b.writeInt32LE(-1, 1024 + 72);
	b.writeInt32LE(-1, 1024 + 76);
	b.writeInt32LE(-2, 1024 + 116);
	for (let k = 1; k < 4; k++) {
		b.writeInt32LE(-1, 1024 + k * 128 + 68);
		b.writeInt32LE(-1, 1024 + k * 128 + 72);
		b.writeInt32LE(-1, 1024 + k * 128 + 76);
	}
	return b;
}

// ---- uploads -----------------------------------------------------------

export function attUrl(id, slot, name, { row, replace } = {}) {
	let q = `name=${encodeURIComponent(name)}`;
	if (row !== undefined)
		q += `&row=${encodeURIComponent(row)}`;
	if (replace !== undefined)
		q += `&replace=${encodeURIComponent(replace)}`;
	return `${APPS}/${id}/attachments/${slot}?${q}`;
}

// PUT one file through node:http (which sets Content-Length).
export function upload(c, id, slot, name, body, { row, replace, contentType = 'application/octet-stream', timeout = 60000 } = {}) {
	return c.req('PUT', attUrl(id, slot, name, { row, replace }), {
		body, headers: { 'Content-Type': contentType }, timeout,
	});
}

// Upload asserting a 201; returns the file's JSON.
export async function uploadOk(c, id, slot, name, body, opts = {}) {
	const res = await upload(c, id, slot, name, body, opts);
	assert.equal(res.status, 201, `upload ${name} to ${slot} of ${id}: ${res.text}`);
	return res.json;
}

export async function listAtt(c, id) {
	const res = await c.get(`${APPS}/${id}/attachments`);
	assert.equal(res.status, 200, `attachments of ${id}: ${res.text}`);
	return res.json;
}

export const download = (c, id, attId, headers = {}) =>
	c.get(`${APPS}/${id}/attachments/${attId}`, { headers });

// A request on a bare socket whose body the test writes itself: the
// declared Content-Length need not be what is sent. Returns {write(buf)
// (resolves false once the socket is gone), end(), destroy(), response}
// where response resolves to the parsed answer, or null when the socket
// closed without a complete one.
export async function openRaw(c, method, pathname, { contentLength, headers = {} } = {}) {
	if (!c.csrf)
		await c.session();
	const h = {
		Host: '127.0.0.1',
		Connection: 'close',
		Cookie: c.cookieHeader(),
		'X-CSRF-Token': c.csrf,
		'Content-Type': 'application/octet-stream',
		...(contentLength === undefined ? {} : { 'Content-Length': String(contentLength) }),
		...headers,
	};
	let head = `${method} ${pathname} HTTP/1.1\r\n`;
	for (const [k, v] of Object.entries(h))
		head += `${k}: ${v}\r\n`;
	head += '\r\n';
	const sock = net.connect(c.server.port, '127.0.0.1');
	const chunks = [];
	let closed = false;
	let answered = false;
	const response = new Promise((resolve) => {
		const tryParse = (final) => {
			const buf = Buffer.concat(chunks);
			try {
				const r = parseRawResponse(buf, !final);
				if (r) {
					answered = true;
					return resolve(r);
				}
			} catch {
				// not a response (yet)
			}
			if (final)
				resolve(null);
		};
		sock.on('data', (d) => {
			chunks.push(d);
			tryParse(false);
		});
		sock.on('error', () => {});
		sock.on('close', () => {
			closed = true;
			tryParse(true);
		});
	});
	await new Promise((resolve, reject) => {
		sock.once('connect', resolve);
		sock.once('error', reject);
	});
	sock.write(head);
	return {
		sock,
		response,
		get closed() {
			return closed;
		},
		get answered() {
			return answered;
		},
		// Like a browser, stops sending once the server has answered: an
		// early answer (413 on the headers) is read, not lost to EPIPE.
		async write(buf) {
			if (closed || answered || sock.destroyed)
				return false;
			if (!sock.write(buf))
				await new Promise((r) => {
					sock.once('drain', r);
					sock.once('close', r);
				});
			// A timer turn polls the socket: an answer that came is read
			// before the next write can fail with EPIPE and drop it.
			await new Promise((r) => setTimeout(r, 1));
			return !closed && !answered && !sock.destroyed;
		},
		destroy() {
			sock.destroy();
		},
	};
}

// Resolves to what p resolves to, or to `late` after ms; the timer is
// cleared either way, so nothing keeps the process alive afterwards.
export async function within(p, ms, late = null) {
	let timer;
	try {
		return await Promise.race([p, new Promise((resolve) => {
			timer = setTimeout(() => resolve(late), ms);
		})]);
	} finally {
		clearTimeout(timer);
	}
}

// Sends body (a Buffer) in 256 KiB pieces after declaring contentLength
// (default body.length); resolves to the response, or null.
export async function sendRaw(c, method, pathname, body, { contentLength = body.length, timeout = 60000 } = {}) {
	const r = await openRaw(c, method, pathname, { contentLength });
	const step = 256 << 10;
	for (let i = 0; i < body.length; i += step)
		if (!(await r.write(body.subarray(i, i + step))))
			break;
	const res = await within(r.response, timeout, 'timeout');
	r.destroy();
	if (res === 'timeout')
		throw new Error(`${method} ${pathname}: no answer within ${timeout} ms`);
	return res;
}

// ---- storage -----------------------------------------------------------

// Starts the fake S3 with tests/s3/start-s3rver.mjs (a fresh bucket in a
// temporary directory); fails loudly when it cannot.
export async function startS3rver(bucket = 'saiwu-att') {
	const dir = path.join(REPO, 'tests', 's3');
	const script = path.join(dir, 'start-s3rver.mjs');
	if (!fs.existsSync(script))
		throw new Error(`${script} is missing`);
	if (!fs.existsSync(path.join(dir, 'node_modules', 's3rver')))
		throw new Error('s3rver is not installed: run "npm ci" in tests/s3');
	const proc = spawn(process.execPath, [script, bucket], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	let err = '';
	proc.stdout.setEncoding('utf8');
	proc.stderr.setEncoding('utf8');
	proc.stderr.on('data', (d) => { err += d; });
	const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
	const port = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			proc.kill('SIGKILL');
			reject(new Error(`s3rver did not start within 20 s\nstderr:\n${err}`));
		}, 20000);
		proc.stdout.on('data', (d) => {
			out += d;
			const m = /^port (\d+)$/m.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve(Number(m[1]));
			}
		});
		exited.then(({ code, signal }) => {
			clearTimeout(timer);
			reject(new Error(`s3rver exited (${code ?? signal}) before listening\nstderr:\n${err}`));
		});
	});
	const get = (p) => new Promise((resolve, reject) => {
		http.get({ host: '127.0.0.1', port, path: p, agent: false }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
		}).on('error', reject);
	});
	return {
		port,
		bucket,
		endpoint: `http://127.0.0.1:${port}`,
		stderr: () => err,
		// The object keys in the bucket (anonymous requests pass s3rver).
		async keys() {
			const res = await get(`/${bucket}?list-type=2&max-keys=1000`);
			assert.equal(res.status, 200, `list ${bucket}: ${res.body}`);
			const xml = res.body.toString('utf8');
			assert.ok(!/<IsTruncated>true</.test(xml), 'bucket listing truncated');
			return [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]).sort();
		},
		async object(key) {
			const res = await get(`/${bucket}/${key}`);
			assert.equal(res.status, 200, `GET ${key}: ${res.body}`);
			return res.body;
		},
		async stop() {
			if (proc.exitCode === null && proc.signalCode === null)
				proc.kill('SIGTERM');
			return exited;
		},
	};
}

export const s3Args = (s3) => ['--storage', 's3', '--s3-endpoint', s3.endpoint, '--s3-bucket', s3.bucket,
	'--s3-access-key', 'S3RVER', '--s3-secret-key', 'S3RVER', '--s3-region', 'us-east-1'];

function walk(dir, base = dir) {
	if (!fs.existsSync(dir))
		return [];
	const out = [];
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		if (e.isDirectory())
			out.push(...walk(p, base));
		else
			out.push(path.relative(base, p));
	}
	return out.sort();
}

// What is on disk and in the store: {tmp: names in DATA_DIR/tmp, blobs:
// the storage keys (files under DATA_DIR/files, or the bucket's keys)}.
export async function blobState(server, s3 = null) {
	return {
		tmp: walk(path.join(server.dataDir, 'tmp')),
		blobs: s3 ? await s3.keys() : walk(path.join(server.dataDir, 'files')),
	};
}

// The bytes stored under a key.
export async function blobBytes(server, s3, key) {
	return s3 ? s3.object(key) : fs.readFileSync(path.join(server.dataDir, 'files', key));
}

// The keys of `after` not in `before`.
export const newKeys = (before, after) => after.blobs.filter((k) => !before.blobs.includes(k));

// ---- database ------------------------------------------------------------

// Runs one SQL statement on the server's store; returns its output.
export function sql(server, statement) {
	const r = server.databaseUrl
		? spawnSync('psql', [server.databaseUrl, '-v', 'ON_ERROR_STOP=1', '-qAtc', statement], { encoding: 'utf8' })
		: spawnSync('sqlite3', ['-cmd', '.timeout 5000', path.join(server.dataDir, 'saiwu.db'), statement], { encoding: 'utf8' });
	if (r.error || r.status !== 0)
		throw new Error(`sql ${statement}: ${r.error || r.stderr}`);
	return r.stdout.trim();
}

// Technical verification is opened by the organisers; no endpoint does it yet.
export function setTechStatus(server, id, status) {
	assert.match(status, /^[a-z_]+$/);
	sql(server, `UPDATE applications SET tech_status = '${status}' WHERE id = ${Number(id)}`);
}

// ---- catalog -------------------------------------------------------------

// A copy of catalog/ with forms/2026.json passed through patch(form).
export function catalogCopy(patch) {
	const dir = tmpDir('saiwu-catalog-');
	fs.cpSync(CATALOG_DIR, dir, { recursive: true });
	const file = path.join(dir, 'forms', '2026.json');
	const form = JSON.parse(fs.readFileSync(file, 'utf8'));
	fs.writeFileSync(file, JSON.stringify(patch(form) || form, null, 1));
	return { dir, destroy: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

// The attachment slots of the real form, for expectations.
export const FORM_SLOTS = JSON.parse(fs.readFileSync(path.join(CATALOG_DIR, 'forms', '2026.json'), 'utf8')).attachments;
export const slotOf = (key) => FORM_SLOTS.find((s) => s.key === key);

// Content-Disposition's filename*=UTF-8''…, decoded.
export function dispositionName(header) {
	const m = /filename\*=UTF-8''([^;\s]+)/i.exec(header || '');
	assert.ok(m, `no filename* in ${header}`);
	return decodeURIComponent(m[1]);
}

export const MIME = {
	pdf: 'application/pdf',
	png: 'image/png',
	jpg: 'image/jpeg',
	mp4: 'video/mp4',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};
