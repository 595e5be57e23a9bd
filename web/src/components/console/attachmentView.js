// Pure helpers of the reviewers' attachment list and preview.

// Larger files are only offered for download: a preview holds the whole
// file in the browser's memory.
export const PREVIEW_MAX_BYTES = 60 * 1024 * 1024;

const IMAGE_MIME = new Set(['image/jpeg', 'image/png']);

// 'image', 'pdf', or '' (download only), from the stored type (the server
// sniffed it) rather than the name.
export function previewKind(file) {
	if (!file)
		return '';
	if (file.kind === 'pdf' || file.mime === 'application/pdf')
		return 'pdf';
	if (file.kind === 'jpg' || file.kind === 'png' || IMAGE_MIME.has(file.mime))
		return 'image';
	return '';
}

// live, deleted or replaced: organisers see all three.
export function fileState(file) {
	if (file?.replaced_by)
		return 'replaced';
	if (file?.deleted_at)
		return 'deleted';
	return 'live';
}

export const FILE_STATE_LABELS = { live: '', deleted: '已删除', replaced: '已被替换' };

// The files of GET …/attachments grouped by slot, in the slots' order
// (a slot the schema no longer has comes last under its key); live files
// first in each slot, then the retired ones, each group oldest first.
export function groupFiles(slots = [], files = []) {
	const groups = slots.map((s) => ({ key: s.key, label: s.label || s.key, files: [] }));
	const byKey = new Map(groups.map((g) => [g.key, g]));
	for (const f of files) {
		let g = byKey.get(f.slot);
		if (!g) {
			g = { key: f.slot, label: f.slot, files: [] };
			groups.push(g);
			byKey.set(f.slot, g);
		}
		g.files.push({ ...f, state: fileState(f) });
	}
	for (const g of groups)
		g.files.sort((a, b) => (a.state === 'live' ? 0 : 1) - (b.state === 'live' ? 0 : 1) || (a.uploaded_at - b.uploaded_at) || (a.id - b.id));
	return groups.filter((g) => g.files.length > 0);
}

// "value.cases[0]" → "案例 第 1 行"; other rows as they are.
const ROW_NAMES = { 'value.cases': '案例', 'ip.contracts': '合同', 'ip.property.patents': '专利', 'ip.property.software_copyrights': '软著' };
export function rowLabel(row) {
	const m = /^(.+)\[(\d+)\]$/.exec(row || '');
	if (!m)
		return row || '';
	return `${ROW_NAMES[m[1]] || m[1]} 第 ${Number(m[2]) + 1} 行`;
}
