// 附件: docs/API.md "Attachments (附件)", src/api/attachments.c.
import { api, upload } from './http.js';

const base = (id) => `/api/v1/applications/${encodeURIComponent(id)}/attachments`;

// → { slots, files: [Attachment…], total_bytes, total_max_bytes }
export function listAttachments(id, opts) {
	return api.get(base(id), opts);
}

// The URL a 下载 link points at; the server answers with
// Content-Disposition: attachment and the original name.
export function attachmentUrl(id, attId) {
	return `${base(id)}/${encodeURIComponent(attId)}`;
}

// The upload URL: the file name travels in ?name= (the body is the bare
// file), ?row= ties it to a table row, ?replace= retires an older file.
export function uploadUrl(id, slot, { name, row, replace } = {}) {
	const q = [`name=${encodeURIComponent(name)}`];
	if (row)
		q.push(`row=${encodeURIComponent(row)}`);
	if (replace)
		q.push(`replace=${encodeURIComponent(replace)}`);
	return `${base(id)}/${encodeURIComponent(slot)}?${q.join('&')}`;
}

// Streams the file as the PUT body (XMLHttpRequest sends Content-Length).
// → { promise (Attachment), abort }
export function uploadAttachment(id, slot, file, { name, row, replace, onProgress, quiet } = {}) {
	return upload(uploadUrl(id, slot, { name: name ?? file.name, row, replace }), file, { onProgress, quiet });
}

// → null (204)
export function deleteAttachment(id, attId, opts) {
	return api.del(attachmentUrl(id, attId), opts);
}
