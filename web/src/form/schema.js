// Pure helpers over the form schema (docs/FORM-SCHEMA.md) and the document.
// Where the server decides something (counting characters, which fields a
// `when` hides, what counts as filled), the code here mirrors
// src/domain/form.c line by line, so the page shows what the server will say.

// The ID types src/domain/ident.c accepts (the `id_type` kind has no
// options in the schema: the server knows them).
export const ID_TYPES = ['居民身份证', '护照', '港澳居民来往内地通行证', '台湾居民来往大陆通行证', '外国人永久居留身份证'];

// Kinds whose value is an object or an array: "filled" differs for them.
const OBJECT_KINDS = new Set(['group', 'year_month_range']);

// form.c trim_head/trim_tail: space, tab, CR, LF and U+3000 only.
const TRIMMED = new Set([' ', '\t', '\r', '\n', '\u3000']);

// form_count_chars(): code points after trimming, a CRLF counted once.
export function countChars(str) {
	if (typeof str !== 'string' || !str)
		return 0;
	const cp = Array.from(str);
	let i = 0;
	let end = cp.length;
	while (i < end && TRIMMED.has(cp[i]))
		i++;
	while (end > i && TRIMMED.has(cp[end - 1]))
		end--;
	let n = 0;
	for (let k = i; k < end; k++) {
		if (cp[k] === '\r' && k + 1 < end && cp[k + 1] === '\n')
			continue;
		n++;
	}
	return n;
}

// check_text(): control characters other than tab, CR and LF are refused.
export function hasControlChars(str) {
	// eslint-disable-next-line no-control-regex
	return typeof str === 'string' && /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(str);
}

export const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// filled(): absent, null, blank text, an empty array and (for object kinds)
// an empty object are "not filled".
export function isFilled(field, v) {
	if (v === undefined || v === null)
		return false;
	if (typeof v === 'string')
		return countChars(v) > 0;
	if (Array.isArray(v))
		return v.length > 0;
	if (isPlainObject(v) && OBJECT_KINDS.has(field?.kind))
		return Object.keys(v).length > 0;
	return true;
}

// json_equal() for the JSON values a `when` compares.
function jsonEqual(a, b) {
	if (a === b)
		return true;
	if (Array.isArray(a) && Array.isArray(b))
		return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
	if (isPlainObject(a) && isPlainObject(b)) {
		const ka = Object.keys(a);
		return ka.length === Object.keys(b).length && ka.every((k) => k in b && jsonEqual(a[k], b[k]));
	}
	return false;
}

// matches(): an array sibling (multiselect) matches when it holds the value.
function matches(v, want) {
	if (Array.isArray(v))
		return v.some((e) => jsonEqual(e, want));
	return v !== undefined && jsonEqual(v, want);
}

// active(): whether fields[i] is shown, checked and required for the
// object `obj` holding its siblings. A field whose condition's sibling is
// itself hidden is hidden too.
export function isActive(fields, obj, i, depth = 0) {
	const f = fields[i];
	const w = f?.when;
	if (!w)
		return true;
	const j = fields.findIndex((s) => s.key === w.field);
	if (j < 0 || depth > fields.length || !isActive(fields, obj, j, depth + 1))
		return false;
	const v = isPlainObject(obj) ? obj[w.field] : undefined;
	if ('equals' in w)
		return matches(v, w.equals);
	if ('in' in w)
		return Array.isArray(w.in) && w.in.some((e) => matches(v, e));
	if ('is_true' in w)
		return w.is_true ? v === true : v !== true;
	return true;
}

// The select/multiselect whose `other_key` names fields[i], if any.
export function otherOwnerIndex(fields, i) {
	const key = fields[i]?.key;
	return fields.findIndex((f) => f.other && f.other_key === key);
}

// chosen(): the owner's "other" option is selected.
export function otherChosen(owner, v) {
	if (!owner?.other)
		return false;
	if (typeof v === 'string')
		return v === owner.other;
	return Array.isArray(v) && v.includes(owner.other);
}

// required(): required in the schema, or the text of an "其他" that is chosen.
export function isRequired(fields, obj, i) {
	const f = fields[i];
	if (f.required)
		return true;
	const k = otherOwnerIndex(fields, i);
	return k >= 0 && isActive(fields, obj, k) &&
		otherChosen(fields[k], isPlainObject(obj) ? obj[fields[k].key] : undefined);
}

// load_limits() for text and textarea: max 200 unless the schema says.
export function textLimits(f) {
	return { min: f.min ?? null, max: f.max ?? 200 };
}

// The most items a multiselect or industries field takes.
export function itemsLimit(f) {
	if (f.max_items)
		return f.max_items;
	return f.kind === 'multiselect' ? allOptions(f).length : 1000;
}

export function numberLimits(f) {
	if (f.kind === 'integer')
		return { min: f.min ?? 0, max: f.max ?? null, scale: 0 };
	const max = f.max ?? (f.kind === 'percent' ? 100 : null);
	return { min: f.min ?? 0, max, scale: f.scale ?? 2 };
}

export function allOptions(f) {
	if (Array.isArray(f.options))
		return f.options;
	if (Array.isArray(f.groups))
		return f.groups.flatMap((g) => g.options || []);
	return [];
}

// ---- paths ---------------------------------------------------------------

export const joinPath = (base, key) => (base ? `${base}.${key}` : key);
export const rowPath = (base, i) => `${base}[${i}]`;

// "value.cases[0].period.start" → [{key:'value'}, {key:'cases', index:0}, …]
export function parsePath(path) {
	const out = [];
	if (typeof path !== 'string' || !path)
		return out;
	for (const part of path.split('.')) {
		const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
		if (!m)
			return out;
		const seg = { key: m[1] };
		const idx = [...m[2].matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
		if (idx.length)
			seg.index = idx[0];
		out.push(seg);
	}
	return out;
}

// Which step a section belongs to: 0 (01 基础信息) or 1 (02 项目申报信息).
export const stepOfSection = (section) => (section.page === 'basic' ? 0 : 1);
export const ATTACHMENTS_STEP = 2;

// A section as the field it is to the validator: a group or a table.
export function sectionAsField(section) {
	if (section.table)
		return { key: section.key, label: section.title, kind: 'table', ...section.table };
	return { key: section.key, label: section.title, kind: 'group', fields: section.fields };
}

// Maps a server error path to the place that shows it: the deepest field
// the schema knows (what the page's data-field attributes name), its
// section and its step. Unknown tails (an option index, `.start` of a
// year-month range, a key the schema lacks) fall back to their owner.
export function resolveErrorPath(schema, path) {
	const segs = parsePath(path);
	if (!segs.length)
		return null;
	if (segs[0].key === 'attachments')
		return { section: 'attachments', step: ATTACHMENTS_STEP, target: segs.length > 1 ? `attachments.${segs[1].key}` : 'attachments' };
	const section = (schema?.sections || []).find((s) => s.key === segs[0].key);
	if (!section)
		return null;
	let field = sectionAsField(section);
	let target = section.key;
	let seg = segs[0];
	for (let k = 1; ; k++) {
		// A table segment may carry its row.
		if (field.kind === 'table') {
			if (seg.index === undefined)
				break;
			target = rowPath(target, seg.index);
		} else if (seg.index !== undefined) {
			break;
		}
		const list = field.kind === 'table' ? field.columns : field.kind === 'group' ? field.fields : null;
		const next = segs[k];
		if (!list || !next)
			break;
		const child = list.find((f) => f.key === next.key);
		if (!child)
			break;
		field = child;
		seg = next;
		target = joinPath(target, child.key);
	}
	return { section: section.key, step: stepOfSection(section), target };
}

// ---- tables ----------------------------------------------------------------

export function tableLimits(f) {
	return { min: f.min_rows ?? 0, max: f.max_rows ?? 200 };
}

export const canAddRow = (f, n) => n < tableLimits(f).max;
export const canRemoveRow = (f, n) => n > tableLimits(f).min;

// A new row: empty, with its own tables given their minimum rows.
export function newRow(columns) {
	const row = {};
	fillMinRows(columns, row);
	return row;
}

// Adds empty rows to the tables of `obj` (and of its groups and rows) up
// to their min_rows, so a form shows the rows it needs. Returns obj.
export function fillMinRows(fields, obj) {
	if (!isPlainObject(obj))
		return obj;
	for (const f of fields || []) {
		if (f.kind === 'group') {
			if (isPlainObject(obj[f.key]))
				fillMinRows(f.fields, obj[f.key]);
		} else if (f.kind === 'table') {
			const min = tableLimits(f).min;
			if (min > 0 && !Array.isArray(obj[f.key]))
				obj[f.key] = [];
			const rows = obj[f.key];
			if (Array.isArray(rows)) {
				while (rows.length < min)
					rows.push({});
				rows.forEach((r) => fillMinRows(f.columns, r));
			}
		}
	}
	return obj;
}

// The document with every table section and table field at its minimum.
export function prepareDoc(schema, doc) {
	const out = isPlainObject(doc) ? doc : {};
	for (const s of schema?.sections || []) {
		if (s.table) {
			fillMinRows([sectionAsField(s)], out);
		} else if (isPlainObject(out[s.key])) {
			fillMinRows(s.fields, out[s.key]);
		} else if ((s.fields || []).some((f) => f.kind === 'table' && (f.min_rows ?? 0) > 0)) {
			out[s.key] = fillMinRows(s.fields, {});
		}
	}
	return out;
}

// Whether a row holds anything typed (deleting it then asks first).
export function hasContent(v) {
	if (v === null || v === undefined)
		return false;
	if (typeof v === 'string')
		return countChars(v) > 0;
	if (Array.isArray(v))
		return v.some(hasContent);
	if (isPlainObject(v))
		return Object.values(v).some(hasContent);
	return true;
}

// ---- numbers ---------------------------------------------------------------

const FULL_WIDTH = /[\uff10-\uff19\uff0e\uff0d]/g;

// What a number box holds for the document: null when empty, a number when
// the text is one, the text itself otherwise (the server then says what
// is wrong with it, and nothing typed is silently dropped).
export function parseNumberText(kind, text) {
	if (text === null || text === undefined)
		return null;
	const s = String(text)
		.replace(FULL_WIDTH, (c) => (c === '\uff0e' ? '.' : c === '\uff0d' ? '-' : String(c.charCodeAt(0) - 0xff10)))
		.trim();
	if (!s)
		return null;
	if (kind === 'integer') {
		if (/^-?\d+$/.test(s)) {
			const n = Number(s);
			if (Number.isSafeInteger(n))
				return n;
		}
		return s;
	}
	if (/^-?\d+(\.\d*)?$/.test(s) && s.replace(/^-/, '').split('.')[0].length <= 15)
		return Number(s);
	return s;
}

export function formatNumber(v) {
	if (v === null || v === undefined)
		return '';
	return String(v);
}

// ---- rules the API checks outside the schema (docs/FORM-SCHEMA.md) ----------

// project.track_direction must name basic.track's track (a trailing 赛道
// ignored): the option that does, if the schema has one.
export function trackDirectionOption(options, trackName) {
	if (!trackName)
		return null;
	const bare = (s) => String(s).replace(/赛道$/, '');
	return (options || []).find((o) => bare(o) === bare(trackName)) || null;
}

// Finds the field at a dotted schema path (no row indexes), e.g.
// "project.track_direction".
export function fieldAt(schema, path) {
	const [sec, ...rest] = path.split('.');
	const section = (schema?.sections || []).find((s) => s.key === sec);
	if (!section)
		return null;
	let list = section.fields || section.table?.columns || [];
	let f = null;
	for (const k of rest) {
		f = list.find((x) => x.key === k);
		if (!f)
			return null;
		list = f.fields || f.columns || [];
	}
	return f;
}
