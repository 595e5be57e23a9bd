// docs-lib.mjs: what the 6x document tests share — reading PDFs with
// poppler-utils (pdftotext, pdfinfo, pdftoppm) and spreadsheets with
// unzip, as a person checking the files would. A missing tool fails
// loudly: nothing is skipped.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tmpDir } from './lib.mjs';

for (const tool of ['pdftotext', 'pdfinfo', 'pdftoppm', 'unzip']) {
	const r = spawnSync('sh', ['-c', `command -v ${tool}`]);
	if (r.status !== 0)
		throw new Error(`${tool} is missing: apt-get install poppler-utils unzip`);
}

const work = tmpDir('saiwu-docs-');
let fileNo = 0;

export function saveTmp(buf, ext) {
	const file = path.join(work, `f${fileNo++}.${ext}`);
	fs.writeFileSync(file, buf);
	return file;
}

function run(cmd, args) {
	const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
	assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
	return r.stdout;
}

// The text of a PDF, in reading order; with layout, line by line as
// printed (spaced-out lines such as "2026 年　　月　　日" stay whole).
export function pdfText(buf, { layout = false } = {}) {
	assert.equal(buf.subarray(0, 5).toString('latin1'), '%PDF-', 'a PDF');
	return run('pdftotext', ['-enc', 'UTF-8', ...(layout ? ['-layout'] : []), saveTmp(buf, 'pdf'), '-']);
}

// Whitespace (and U+3000) removed: lines wrap where the layout says.
export const squeeze = (s) => s.replace(/[\s\u3000]+/g, '');

export function pdfPages(buf) {
	const info = run('pdfinfo', [saveTmp(buf, 'pdf')]);
	const m = info.match(/^Pages:\s+(\d+)/m);
	assert.ok(m, info);
	return Number(m[1]);
}

// Renders one page with pdftoppm (as the tests' "look at it" step) and
// returns the PNG; a PDF poppler cannot draw fails here.
export function renderPage(buf, page = 1) {
	const pdf = saveTmp(buf, 'pdf');
	const out = path.join(work, `page${fileNo++}`);
	run('pdftoppm', ['-png', '-r', '50', '-f', String(page), '-l', String(page), '-singlefile', pdf, out]);
	const png = fs.readFileSync(`${out}.png`);
	assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
	return png;
}

// The names in a zip (an XLSX), and one entry's text.
export function zipNames(buf) {
	const out = run('unzip', ['-Z1', saveTmp(buf, 'zip')]);
	return out.split('\n').filter(Boolean);
}

export function zipEntry(buf, name) {
	return run('unzip', ['-p', saveTmp(buf, 'zip'), name]);
}

// The inline strings of a sheet XML (constant-memory mode writes them
// in place), in order.
export function sheetStrings(xml) {
	const out = [];
	for (const m of xml.matchAll(/<is><t[^>]*>([^<]*)<\/t><\/is>/g))
		out.push(m[1].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"'));
	return out;
}

// The rows of a CSV (RFC 4180, the BOM dropped).
export function parseCsv(text) {
	assert.equal(text.charCodeAt(0), 0xFEFF, 'a UTF-8 BOM');
	const rows = [];
	let row = [], field = '', q = false;
	for (let i = 1; i < text.length; i++) {
		const c = text[i];
		if (q) {
			if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
			else if (c === '"') q = false;
			else field += c;
		} else if (c === '"') q = true;
		else if (c === ',') { row.push(field); field = ''; }
		else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
		else field += c;
	}
	if (field || row.length)
		rows.push([...row, field]);
	return rows;
}

export function cleanupDocs() {
	fs.rmSync(work, { recursive: true, force: true });
}
