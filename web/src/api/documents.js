// Documents: docs/API.md "Documents (申报书 PDF, letters, verification)",
// src/api/documents.c. The PDFs are fetched as blobs rather than opened
// with a plain link, so that a refusal (404, 500 pdf…) reaches the user
// as the API's Chinese message instead of a page of raw JSON.
import { api, errorFrom, networkError, fail } from './http.js';

const APPS = '/api/v1/applications';

export const applicationPdfPath = (id) => `${APPS}/${encodeURIComponent(id)}/pdf`;
export const letterPath = (id, file) => `${APPS}/${encodeURIComponent(id)}/letters/${encodeURIComponent(file)}`;

// The pre-filled letters, keyed by the attachment slot their stamped scan
// goes into (the form schema's `attachments`).
export const LETTERS = {
	declaration: { file: 'declaration.pdf', label: '下载责任声明模板', title: '申报主体责任声明' },
	authorization: { file: 'authorization.pdf', label: '下载授权书模板', title: '参赛单位授权书' },
};

export const letterForSlot = (slotKey) => LETTERS[slotKey] || null;

// GET /api/v1/verify/{code}, no session needed:
// → { valid: true, code, status, status_label, content_sha256 }; a forged or
// retired code is 404 verify_not_found.
export function verifyCode(code, opts) {
	return api.get(`/api/v1/verify/${encodeURIComponent(code)}`, opts);
}

// A file name a browser can save: no directories, no control characters.
function cleanName(s) {
	const base = String(s).replace(/^.*[\\/]/, '');
	// eslint-disable-next-line no-control-regex
	return base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
}

// RFC 5987 ext-value: charset'language'percent-encoded.
function decodeExtValue(v) {
	const m = /^([A-Za-z0-9!#$%&+^_`{}~-]+)'[^']*'(.*)$/.exec(v.trim());
	if (!m)
		return null;
	const charset = m[1].toLowerCase();
	const raw = m[2];
	if (charset === 'utf-8') {
		try {
			return decodeURIComponent(raw);
		} catch {
			return null;
		}
	}
	if (charset === 'iso-8859-1') {
		try {
			return unescape(raw);
		} catch {
			return null;
		}
	}
	return null;
}

// The parameters of a Content-Disposition header: quoted strings with their
// backslash escapes, or tokens. Names are lower-cased.
function dispositionParams(header) {
	const out = {};
	const re = /;\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;
	let m;
	while ((m = re.exec(header))) {
		const key = m[1].toLowerCase();
		let val = m[2].trim();
		if (val.startsWith('"'))
			val = val.slice(1, -1).replace(/\\(.)/g, '$1');
		if (!(key in out))
			out[key] = val;
	}
	return out;
}

// The file name a response names: filename* (RFC 5987, UTF-8 for the
// Chinese names the server sends) before the ASCII fallback filename;
// `fallback` when there is neither.
export function filenameFromDisposition(header, fallback = 'download') {
	if (!header)
		return fallback;
	const p = dispositionParams(header);
	let name = null;
	if (p['filename*'])
		name = decodeExtValue(p['filename*']);
	if (!name && p.filename)
		name = p.filename;
	name = name ? cleanName(name) : '';
	return name || fallback;
}

// Hands a blob to the browser as a download named `name`.
export function saveBlob(blob, name) {
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	a.rel = 'noopener';
	a.style.display = 'none';
	document.body.appendChild(a);
	a.click();
	a.remove();
	// Revoked later: the download starts after click() returns.
	setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// Fetches `path` (GET, with the session cookie) as a blob. Failures become
// ApiErrors and are reported as every other request's are (shown, or the
// sign-in prompt for an ended session), unless quiet.
// → { blob, name, headers }
export async function download(path, { fallbackName = 'download', quiet = false, signal } = {}) {
	let res;
	try {
		res = await fetch(path, {
			method: 'GET',
			headers: { Accept: 'application/pdf, application/octet-stream, application/json' },
			credentials: 'same-origin',
			signal,
		});
	} catch (err) {
		if (err?.name === 'AbortError')
			throw err;
		return fail(networkError(), quiet);
	}
	if (!res.ok) {
		const text = await res.text().catch(() => '');
		return fail(errorFrom(res.status, text, { 'retry-after': res.headers.get('Retry-After') }), quiet);
	}
	let blob;
	try {
		blob = await res.blob();
	} catch {
		return fail(networkError(), quiet);
	}
	return { blob, name: filenameFromDisposition(res.headers.get('Content-Disposition'), fallbackName), headers: res.headers };
}

// download() and save: → the saved file's name.
export async function downloadFile(path, opts = {}) {
	const r = await download(path, opts);
	saveBlob(r.blob, r.name);
	return r.name;
}

export const downloadApplicationPdf = (id, opts = {}) =>
	downloadFile(applicationPdfPath(id), { fallbackName: `申报书-${id}.pdf`, ...opts });

export function downloadLetter(id, slotKey, opts = {}) {
	const l = letterForSlot(slotKey);
	if (!l)
		throw new Error(`no letter for slot ${slotKey}`);
	return downloadFile(letterPath(id, l.file), { fallbackName: `${l.title}-${id}.pdf`, ...opts });
}
