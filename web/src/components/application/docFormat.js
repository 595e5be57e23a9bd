// Turns an application document into what 查看 shows, guided by the form
// schema (docs/FORM-SCHEMA.md): which fields are shown (their `when`
// holds) and filled, and each value as text.

const SCALAR_KINDS = new Set(['text', 'textarea', 'integer', 'decimal', 'percent', 'date', 'year_month_range',
	'select', 'multiselect', 'boolean', 'region', 'industries', 'uscc', 'id_type', 'id_number', 'mobile', 'email',
	'competition', 'track', 'topic']);

const isPlain = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// The server's notion of filled: not absent, null, blank, [] or {}.
export function isFilled(v) {
	if (v === undefined || v === null)
		return false;
	if (typeof v === 'string')
		return v.replace(/[\s\u3000]+/g, '') !== '';
	if (Array.isArray(v))
		return v.length > 0;
	if (isPlain(v))
		return Object.keys(v).length > 0;
	return true;
}

// A field's `when` against the values of its siblings.
export function whenHolds(field, siblings) {
	const w = field.when;
	if (!w)
		return true;
	const v = isPlain(siblings) ? siblings[w.field] : undefined;
	if ('equals' in w)
		return v === w.equals;
	if ('in' in w)
		return Array.isArray(w.in) && w.in.includes(v);
	if ('is_true' in w)
		return w.is_true ? v === true : v !== true;
	return true;
}

// "1. 项目服务对象", "（1）自有数据", "一、（一）项目背景".
export function fieldLabel(field) {
	const n = field.number || '';
	if (!n)
		return field.label;
	return /[.．]$/.test(n) ? `${n} ${field.label}` : `${n}${field.label}`;
}

export function isScalar(field) {
	return SCALAR_KINDS.has(field.kind);
}

// A group of a few short values (数据量, 增速 …) reads best on one line:
// "是；数据量 860 GB；增速 12%".
export function isCompactGroup(field) {
	return field.kind === 'group' && Array.isArray(field.fields) && field.fields.length <= 8 &&
		field.fields.every((f) => isScalar(f) && f.kind !== 'textarea');
}

// Shown as one value of a description list.
export function isInline(field) {
	return isScalar(field) || isCompactGroup(field);
}

// Whether anything under a value is worth showing for this field.
function hasContent(field, value) {
	if (!isFilled(value))
		return false;
	if (field.kind === 'group')
		return isPlain(value) && visibleEntries(field.fields || [], value).length > 0;
	if (field.kind === 'table')
		return Array.isArray(value) && value.some((row) => isPlain(row) && visibleEntries(field.columns || [], row).length > 0);
	return true;
}

// The fields of one object that are shown: their condition holds and they
// hold something. [{ field, value }]
export function visibleEntries(fields, obj) {
	const o = isPlain(obj) ? obj : {};
	return fields
		.filter((f) => whenHolds(f, o) && hasContent(f, o[f.key]))
		.map((f) => ({ field: f, value: o[f.key] }));
}

// Groups consecutive scalar entries so that a page can render them as one
// description list between groups and tables.
export function runs(entries) {
	const out = [];
	for (const e of entries) {
		if (isInline(e.field)) {
			const last = out[out.length - 1];
			if (last && last.kind === 'values')
				last.entries.push(e);
			else
				out.push({ kind: 'values', entries: [e] });
		} else {
			out.push({ kind: e.field.kind, entries: [e] });
		}
	}
	return out;
}

// A table reads well as a grid when its cells are plain values and at
// most one of them is long text; otherwise each row gets its own block.
export function tableAsGrid(columns) {
	return columns.every(isScalar) && columns.filter((c) => c.kind === 'textarea').length <= 1;
}

// The columns of a grid that any row fills.
export function filledColumns(columns, rows) {
	return columns.filter((c) => rows.some((r) => isPlain(r) && whenHolds(c, r) && isFilled(r[c.key])));
}

function withUnit(n, unit) {
	if (!unit)
		return String(n);
	return unit === '%' ? `${n}%` : `${n} ${unit}`;
}

// ctx: { competition (the catalog's Competition), regionName(code),
// industryName(code) }; siblings: the object the value sits in (a topic
// needs its track).
export function formatValue(field, value, siblings = {}, ctx = {}) {
	if (!isFilled(value))
		return '';
	switch (field.kind) {
	case 'group':
		// A compact group: its filled values, the flag named like the group
		// (its "selected") without repeating the name.
		return visibleEntries(field.fields || [], value)
			.map((e) => {
				const v = formatValue(e.field, e.value, value, ctx);
				return e.field.label === field.label ? v : `${e.field.label} ${v}`;
			})
			.join('；');
	case 'boolean':
		return value === true ? '是' : value === false ? '否' : String(value);
	case 'integer':
	case 'decimal':
	case 'percent':
		return withUnit(value, field.unit);
	case 'multiselect':
		return Array.isArray(value) ? value.join('、') : String(value);
	case 'year_month_range':
		if (isPlain(value))
			return [value.start || '', value.end || ''].filter(Boolean).join(' 至 ');
		return String(value);
	case 'region':
		if (!Array.isArray(value))
			return String(value);
		return value.map((c) => (ctx.regionName && ctx.regionName(c)) || c).join(' / ');
	case 'industries':
		if (!Array.isArray(value))
			return String(value);
		return value.map((c) => {
			const name = ctx.industryName && ctx.industryName(c);
			return name ? `${c} ${name}` : c;
		}).join('；');
	case 'competition':
		return ctx.competition?.slug === value ? ctx.competition.name : String(value);
	case 'track': {
		const t = findTrack(ctx.competition, value);
		return t ? t.heading || t.name : String(value);
	}
	case 'topic': {
		const t = findTrack(ctx.competition, siblings.track);
		const topic = t?.topics?.find((x) => x.no === value);
		return topic ? `赛题${value}：${topic.title}` : `赛题${value}`;
	}
	default:
		if (isPlain(value) || Array.isArray(value))
			return JSON.stringify(value);
		return String(value);
	}
}

export function findTrack(competition, key) {
	return competition?.tracks?.find((t) => t.key === key) || null;
}
