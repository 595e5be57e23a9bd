// pdf.js for the attachment preview, set up for the site's CSP
// (script-src 'self', no eval, no WebAssembly): the worker and the data
// files (CMaps for Chinese fonts that are not embedded, the standard
// fonts) are bundled by Vite and served from this origin; nothing comes
// from a CDN. Loaded on first use: the library is large.
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

// File name → bundled URL. Vite emits each file as an asset; they are
// fetched only when a document needs them.
const CMAPS = import.meta.glob('/node_modules/pdfjs-dist/cmaps/*.bcmap', { query: '?url', import: 'default', eager: true });
const FONTS = import.meta.glob('/node_modules/pdfjs-dist/standard_fonts/*.{pfb,ttf}', { query: '?url', import: 'default', eager: true });

const byName = (files) => Object.fromEntries(Object.entries(files).map(([k, v]) => [k.slice(k.lastIndexOf('/') + 1), v]));
const TABLES = { cMapUrl: byName(CMAPS), standardFontDataUrl: byName(FONTS) };

export function decodeDataUrl(url) {
	const comma = url.indexOf(',');
	const head = url.slice(0, comma);
	const body = url.slice(comma + 1);
	if (!/;base64$/i.test(head))
		return new TextEncoder().encode(decodeURIComponent(body));
	const bin = atob(body);
	const out = new Uint8Array(bin.length);
	for (let i = 0; i < bin.length; i++)
		out[i] = bin.charCodeAt(i);
	return out;
}

// The interface pdf.js asks of a BinaryDataFactory: fetch({kind, filename})
// → Uint8Array. The main thread fetches (useWorkerFetch: false), so the
// bundled names can be looked up here.
export class BundledDataFactory {
	async fetch({ kind, filename }) {
		const url = TABLES[kind]?.[filename];
		if (!url)
			throw new Error(`pdf.js data not bundled: ${kind} ${filename}`);
		// Vite inlines the small files as data: URLs, which connect-src
		// 'self' would not let fetch() read.
		if (url.startsWith('data:'))
			return decodeDataUrl(url);
		const res = await fetch(url, { credentials: 'same-origin' });
		if (!res.ok)
			throw new Error(`pdf.js data ${filename}: HTTP ${res.status}`);
		return new Uint8Array(await res.arrayBuffer());
	}
}

let lib = null;

export function loadPdfjs() {
	if (!lib)
		lib = import('pdfjs-dist').then((m) => {
			m.GlobalWorkerOptions.workerSrc = workerUrl;
			return m;
		}).catch((e) => {
			lib = null;
			throw e;
		});
	return lib;
}

// Opens a PDF held in memory. No scripting, no eval, no WebAssembly (the
// CSP forbids them; JPEG 2000 images use the JavaScript decoder).
export async function openPdf(data) {
	const pdfjs = await loadPdfjs();
	return pdfjs.getDocument({
		data,
		isEvalSupported: false,
		useWasm: false,
		useWorkerFetch: false,
		// Non-empty placeholders: pdf.js asks for these data only when the
		// factory was given a base; ours resolves names itself.
		cMapUrl: 'bundled/',
		cMapPacked: true,
		standardFontDataUrl: 'bundled/',
		BinaryDataFactory: BundledDataFactory,
		enableXfa: false,
		stopAtErrors: false,
	}).promise;
}
