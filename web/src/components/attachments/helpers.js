// Pure helpers of the attachments panel. The type table and the messages
// mirror src/files/filetype.c and src/api/attachments.c, so a file refused
// here reads exactly as the server would have refused it; the server still
// checks everything again (and sniffs the content, which we cannot).

export const FILE_TYPES = {
	pdf: { label: 'PDF', exts: ['pdf'], mime: 'application/pdf' },
	doc: { label: 'Word', exts: ['doc'], mime: 'application/msword' },
	docx: { label: 'Word', exts: ['docx'], mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
	ppt: { label: 'PPT', exts: ['ppt'], mime: 'application/vnd.ms-powerpoint' },
	pptx: { label: 'PPT', exts: ['pptx'], mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' },
	jpg: { label: 'JPG', exts: ['jpg', 'jpeg'], mime: 'image/jpeg' },
	png: { label: 'PNG', exts: ['png'], mime: 'image/png' },
	mp4: { label: 'MP4', exts: ['mp4'], mime: 'video/mp4' },
};

const MIB = 1024 * 1024;

// The server's total cap when the list has not told us yet (the schema's
// attachments_total_max_bytes default).
export const DEFAULT_TOTAL_MAX = 1024 * MIB;

// "2.4 MB", "512 KB", "800 B": binary units, as the server counts its limits.
export function formatBytes(n) {
	const v = Number(n);
	if (!Number.isFinite(v) || v < 0)
		return '';
	if (v < 1024)
		return `${Math.round(v)} B`;
	const units = ['KB', 'MB', 'GB', 'TB'];
	let x = v / 1024;
	let i = 0;
	while (x >= 1024 && i < units.length - 1) {
		x /= 1024;
		i++;
	}
	const s = x >= 100 ? String(Math.round(x)) : x.toFixed(1).replace(/\.0$/, '');
	return `${s} ${units[i]}`;
}

// A limit as the server words it: whole MB ("20 MB", "1024 MB").
export function limitMB(bytes) {
	if (bytes < MIB)
		return formatBytes(bytes);
	return `${Math.floor(bytes / MIB)} MB`;
}

// "PDF、Word、JPG": each label once (doc and docx are both Word).
export function typeLabels(types = []) {
	const seen = [];
	for (const t of types) {
		const label = FILE_TYPES[t]?.label;
		if (label && !seen.includes(label))
			seen.push(label);
	}
	return seen.join('、');
}

// The accept attribute of the file input: the extensions, plus the MIME
// types some phone pickers need to offer the files at all.
export function acceptString(types = []) {
	const exts = [];
	const mimes = [];
	for (const t of types) {
		const ft = FILE_TYPES[t];
		if (!ft)
			continue;
		for (const e of ft.exts)
			if (!exts.includes('.' + e))
				exts.push('.' + e);
		if (!mimes.includes(ft.mime))
			mimes.push(ft.mime);
	}
	return [...exts, ...mimes].join(',');
}

// Shown before anything is chosen: what the slot accepts.
export function limitText(slot) {
	const parts = [`支持 ${typeLabels(slot.types)}`, `单个文件不超过 ${limitMB(slot.max_bytes)}`];
	if (slot.max_files > 1)
		parts.push(`最多 ${slot.max_files} 个文件`);
	else
		parts.push('限 1 个文件');
	return parts.join('，');
}

export function extensionOf(name) {
	const dot = String(name || '').lastIndexOf('.');
	return dot < 0 ? '' : name.slice(dot + 1);
}

// The kind an extension names, or null (case-insensitive, as the server).
export function kindOfName(name) {
	const ext = extensionOf(name).toLowerCase();
	if (!ext)
		return null;
	for (const [kind, ft] of Object.entries(FILE_TYPES))
		if (ft.exts.includes(ext))
			return kind;
	return null;
}

// The server's filetype_name_ok(): null when the name is acceptable.
export function fileNameProblem(name) {
	const s = String(name ?? '');
	if (!s)
		return '文件名不能为空';
	const chars = Array.from(s);
	if (chars.length > 200)
		return '文件名过长：最多 200 个字符';
	if (s === '.' || s === '..')
		return '文件名无效';
	for (const ch of chars) {
		const c = ch.codePointAt(0);
		if (ch === '/' || ch === '\\')
			return '文件名不能包含 / 或 \\';
		if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0) ||
			(c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
			(c >= 0x2060 && c <= 0x2069) || c === 0xfeff)
			return '文件名不能包含控制字符或不可见字符';
	}
	return null;
}

// The server's filetype_accept() by name only: null when the extension is
// one of the slot's types.
export function typeProblem(name, types = []) {
	const labels = typeLabels(types);
	if (!labels)
		return '此处不接受上传文件';
	const ext = extensionOf(name);
	if (!ext)
		return `文件类型不符：仅接受 ${labels} 文件（文件名缺少扩展名）`;
	const kind = kindOfName(name);
	if (!kind || !types.includes(kind)) {
		const why = ext.length <= 16 ? `不接受扩展名 .${ext}` : '不接受该扩展名';
		return `文件类型不符：仅接受 ${labels} 文件（${why}）`;
	}
	return null;
}

// Every check the server makes before reading the body, in its order.
// ctx: { inSlot, usedBytes, totalMaxBytes, replacing }. Returns the
// message the server would answer with, or null.
export function precheck(file, slot, ctx = {}) {
	const name = file?.name ?? '';
	const size = Number(file?.size ?? 0);
	const p = fileNameProblem(name);
	if (p)
		return p;
	if (size === 0)
		return '文件为空';
	if (size > slot.max_bytes)
		return `${slot.label}单个文件不能超过 ${limitMB(slot.max_bytes)}`;
	const t = typeProblem(name, slot.types);
	if (t)
		return t;
	if (!ctx.replacing && (ctx.inSlot ?? 0) >= slot.max_files)
		return `${slot.label}最多上传 ${slot.max_files} 个文件，请先删除或替换`;
	const max = ctx.totalMaxBytes ?? DEFAULT_TOTAL_MAX;
	if ((ctx.usedBytes ?? 0) + size > max)
		return `全部附件合计不能超过 ${limitMB(max)}`;
	return null;
}

// Unix seconds → "2026-06-14 09:05", Beijing time like the rest of the
// platform, whatever the browser's zone.
export { formatChinaMinute as formatTime } from '../../util/chinaTime.js';

// Whether uploads into the slot are open now (the server's owned_editable).
export function slotOpen(slot, { editable, techStatus }) {
	if (slot.only_when === 'tech_pending')
		return techStatus === 'pending';
	return !!editable;
}

// Required slots without a live file.
export function missingRequired(slots = [], files = []) {
	return slots.filter((s) => s.required && !files.some((f) => f.slot === s.key));
}

function findField(fields, key) {
	return (fields || []).find((f) => f.key === key);
}

// The table field a row path ("ip.property.patents") names in the form
// schema's sections, or null.
function tableField(sections, path) {
	const [sec, ...rest] = path.split('.');
	const section = (sections || []).find((s) => s.key === sec);
	if (!section)
		return null;
	let fields = section.fields;
	let f = null;
	for (const k of rest) {
		f = findField(fields, k);
		if (!f)
			return null;
		fields = f.fields || f.columns;
	}
	return f;
}

function valueAt(doc, path) {
	return path.split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), doc);
}

// "专利 1：一种数据调度方法" — the table's row_label, the row number and
// the row's first column, so the applicant recognises the row.
function describeRow(table, row, i) {
	const first = (table?.columns || [])[0];
	const v = first && row && typeof row === 'object' ? row[first.key] : '';
	const text = typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '';
	const head = `${table?.row_label || table?.label || '第'} ${i + 1}${table ? '' : ' 行'}`;
	return text ? `${head}：${text}` : head;
}

// For a slot that declares rows: the rows of the document a file may be
// tied to, as [{ value: 'value.cases[0]', label: '案例 1：广州地铁集团' }].
export function rowChoices(slot, doc, sections) {
	const out = [];
	for (const path of slot.rows || []) {
		const rows = valueAt(doc, path);
		if (!Array.isArray(rows))
			continue;
		const table = tableField(sections, path);
		rows.forEach((row, i) => out.push({ value: `${path}[${i}]`, label: describeRow(table, row, i) }));
	}
	return out;
}

// The label of a file's row ("value.cases[0]") for display.
export function rowLabel(row, doc, sections) {
	const m = /^(.*)\[(\d+)\]$/.exec(row || '');
	if (!m)
		return '';
	const i = Number(m[2]);
	const rows = valueAt(doc, m[1]);
	return describeRow(tableField(sections, m[1]), Array.isArray(rows) ? rows[i] : null, i);
}
