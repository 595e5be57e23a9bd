// The organisers' console API (docs/API.md: Review decisions, The review
// queue, Batch decisions, Stages, Technical verification, Return-reason
// templates, Documents, Exports) and the pure helpers its pages share:
// the queue's filters ⇄ the address, the sub-contests a user may work on,
// the next stage, batch summaries. Every call goes through api/http.js.
import { api } from './http.js';
import { downloadFile as saveDownload, filenameFromDisposition } from './documents.js';

const REVIEW = '/api/v1/review';
const enc = encodeURIComponent;

// ---- labels (src/domain/lifecycle.c) -------------------------------------

export const QUEUE_STATUSES = [
	{ value: 'submitted', label: '已提交' },
	{ value: 'approved', label: '已通过' },
	{ value: 'returned', label: '已退回' },
];

export const STAGES = [
	{ value: 'unreviewed', label: '未审核' },
	{ value: 'preliminary', label: '初赛' },
	{ value: 'final', label: '决赛' },
	{ value: 'national', label: '国赛推送' },
];

export const TECH_STATUSES = [
	{ value: 'not_started', label: '未开始' },
	{ value: 'pending', label: '待提交' },
	{ value: 'verifying', label: '验证中' },
	{ value: 'passed', label: '已通过' },
	{ value: 'failed', label: '未通过' },
];

export const SORTS = [
	{ value: 'submitted_at', label: '提交时间' },
	{ value: 'saved_at', label: '保存时间' },
	{ value: 'project_name', label: '项目名称' },
];

const label = (list, v) => list.find((o) => o.value === v)?.label || v || '';
export const stageLabel = (v) => label(STAGES, v);
export const techLabel = (v) => label(TECH_STATUSES, v);

const TECH_TAGS = { not_started: 'info', pending: 'warning', verifying: 'primary', passed: 'success', failed: 'danger' };
export const techTagType = (v) => TECH_TAGS[v] || 'info';
const STAGE_TAGS = { unreviewed: 'info', preliminary: 'primary', final: 'warning', national: 'success' };
export const stageTagType = (v) => STAGE_TAGS[v] || 'info';

// The stage after `stage`, one step at a time; null after 国赛推送.
export function nextStage(stage) {
	const i = STAGES.findIndex((s) => s.value === stage);
	return i >= 0 && i < STAGES.length - 1 ? STAGES[i + 1].value : null;
}

// What a reviewer may do with a record now (the server decides again).
export function reviewActions(app) {
	if (!app)
		return {};
	const approved = app.status === 'approved';
	return {
		approve: app.status === 'submitted',
		return: app.status === 'submitted',
		stage: approved ? nextStage(app.stage) : null,
		techOpen: approved && (app.tech_status === 'not_started' || app.tech_status === 'failed'),
		techResult: app.tech_status === 'verifying',
	};
}

// ---- who works on which sub-contest -------------------------------------

const REVIEW_ROLES = ['reviewer', 'competition_admin'];

// The sub-contests of the console for these roles, in catalog order:
// {slug, name, short_name, review, admin, judge}. A platform admin has
// every sub-contest; a judge-only entry has review false (scoring is not
// open yet). `catalog` is GET /api/v1/competitions' items.
export function staffCompetitions(roles = [], catalog = []) {
	const platform = roles.some((r) => r.role === 'platform_admin');
	const out = [];
	const known = new Set();
	for (const c of catalog) {
		known.add(c.slug);
		const mine = roles.filter((r) => r.competition === c.slug);
		const review = platform || mine.some((r) => REVIEW_ROLES.includes(r.role));
		const admin = platform || mine.some((r) => r.role === 'competition_admin');
		const judge = mine.some((r) => r.role === 'judge');
		if (review || judge)
			out.push({ slug: c.slug, name: c.name, short_name: c.short_name || c.name, review, admin, judge });
	}
	// A role on a sub-contest the catalog no longer lists still shows.
	for (const r of roles)
		if (r.competition && !known.has(r.competition) && r.role !== 'applicant') {
			known.add(r.competition);
			const mine = roles.filter((x) => x.competition === r.competition);
			out.push({
				slug: r.competition, name: r.competition, short_name: r.competition,
				review: platform || mine.some((x) => REVIEW_ROLES.includes(x.role)),
				admin: platform || mine.some((x) => x.role === 'competition_admin'),
				judge: mine.some((x) => x.role === 'judge'),
			});
		}
	return out;
}

// ---- the queue's filters ⇄ the address ------------------------------------

export const QUEUE_PER_PAGE = [20, 50, 100];
export const QUEUE_DEFAULTS = Object.freeze({
	status: '', track: '', topic: '', stage: '', tech: '', region: '', unit: '',
	from: '', to: '', q: '', sort: 'submitted_at', order: 'desc', page: 1, perPage: 20,
});
// The server caps q at 200 bytes (400 bad_query beyond).
export const QUEUE_Q_MAX_BYTES = 200;

const first = (v) => (Array.isArray(v) ? v[0] : v);
const str = (v) => (typeof first(v) === 'string' ? first(v).trim() : '');
const isDay = (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
const oneOf = (list, v) => (list.some((o) => o.value === v) ? v : '');

function posInt(v, fallback, max = 100000) {
	const n = Number(first(v));
	return Number.isInteger(n) && n >= 1 && n <= max ? n : fallback;
}

// Cuts a keyword to what the server takes, at a character boundary.
export function clampKeyword(q) {
	let s = String(q ?? '').trim();
	const te = new TextEncoder();
	while (te.encode(s).length > QUEUE_Q_MAX_BYTES)
		s = Array.from(s).slice(0, -1).join('');
	return s;
}

// Route query → filter state; what is malformed falls back to the default
// (an old or hand-edited address still opens).
export function fromQueueQuery(query = {}) {
	const s = { ...QUEUE_DEFAULTS };
	s.status = oneOf(QUEUE_STATUSES, str(query.status));
	s.track = /^[a-z0-9-]{1,64}$/.test(str(query.track)) ? str(query.track) : '';
	s.topic = s.track && /^\d{1,2}$/.test(str(query.topic)) && Number(str(query.topic)) >= 1 && Number(str(query.topic)) <= 64 ? str(query.topic) : '';
	s.stage = oneOf(STAGES, str(query.stage));
	s.tech = oneOf(TECH_STATUSES, str(query.tech_status));
	s.region = /^\d{6}$/.test(str(query.region)) ? str(query.region) : '';
	s.unit = str(query.unit_type).slice(0, 40);
	s.from = isDay(str(query.from)) ? str(query.from) : '';
	s.to = isDay(str(query.to)) ? str(query.to) : '';
	if (s.from && s.to && s.from > s.to)
		[s.from, s.to] = [s.to, s.from];
	s.q = clampKeyword(str(query.q));
	s.sort = oneOf(SORTS, str(query.sort)) || QUEUE_DEFAULTS.sort;
	s.order = str(query.order) === 'asc' ? 'asc' : 'desc';
	s.page = posInt(query.page, 1);
	const pp = posInt(query.per_page, QUEUE_DEFAULTS.perPage, 100);
	s.perPage = QUEUE_PER_PAGE.includes(pp) ? pp : QUEUE_DEFAULTS.perPage;
	return s;
}

// Filter state → route query, leaving out the defaults.
export function toQueueQuery(s) {
	const out = {};
	const put = (k, v, def = '') => {
		if (v !== def && v !== '' && v !== null && v !== undefined)
			out[k] = String(v);
	};
	put('status', s.status);
	put('track', s.track);
	if (s.track)
		put('topic', s.topic);
	put('stage', s.stage);
	put('tech_status', s.tech);
	put('region', s.region);
	put('unit_type', s.unit);
	put('from', s.from);
	put('to', s.to);
	put('q', s.q);
	put('sort', s.sort, QUEUE_DEFAULTS.sort);
	put('order', s.order, QUEUE_DEFAULTS.order);
	put('page', s.page, 1);
	put('per_page', s.perPage, QUEUE_DEFAULTS.perPage);
	return out;
}

// Filter state → the queue endpoint's parameters.
export function toApiQuery(s) {
	return {
		status: s.status,
		track: s.track,
		topic: s.track ? s.topic : '',
		stage: s.stage,
		tech_status: s.tech,
		region: s.region,
		unit_type: s.unit,
		submitted_from: s.from,
		submitted_to: s.to,
		q: s.q,
		sort: s.sort,
		order: s.order,
		page: s.page,
		per_page: s.perPage,
	};
}

// The queue's filters as an export takes them (docs/API.md Exports: the
// same names and rules as the queue's, except that sort and page do not
// apply; topic does not need a track there, but the queue only sets one
// with its track).
export function exportFilters(s) {
	return {
		track: s.track,
		topic: s.track ? s.topic : '',
		status: s.status,
		stage: s.stage,
		tech_status: s.tech,
		region: s.region,
		unit_type: s.unit,
		submitted_from: s.from,
		submitted_to: s.to,
		q: s.q,
	};
}

// A 6-digit region code → its cascader path ["440000","440300","440305"].
export function regionPath(code) {
	if (!/^\d{6}$/.test(code || ''))
		return [];
	const p = [`${code.slice(0, 2)}0000`];
	if (code.slice(2, 4) !== '00')
		p.push(`${code.slice(0, 4)}00`);
	if (code.slice(4) !== '00')
		p.push(code);
	return p;
}

// ---- calls -----------------------------------------------------------------

export const getQueue = (slug, state, opts) =>
	api.get(`${REVIEW}/competitions/${enc(slug)}/applications`, { ...opts, query: toApiQuery(state) });

export const getReviewApplication = (id, { unmask = false, ...opts } = {}) =>
	api.get(`${REVIEW}/applications/${enc(id)}`, { ...opts, query: unmask ? { unmask: 1 } : undefined });

export const approveApplication = (id, reason, opts) =>
	api.post(`${REVIEW}/applications/${enc(id)}/approve`, reason ? { reason } : {}, opts);

export const returnApplication = (id, reason, opts) =>
	api.post(`${REVIEW}/applications/${enc(id)}/return`, { reason }, opts);

export const moveStage = (id, stage, opts) =>
	api.post(`${REVIEW}/applications/${enc(id)}/stage`, { stage }, opts);

export const openTechVerification = (id, { instructions, due_at }, opts) =>
	api.post(`${REVIEW}/applications/${enc(id)}/tech-verification`, { instructions, due_at }, opts);

export const recordTechResult = (id, { result, comment }, opts) =>
	api.post(`${REVIEW}/applications/${enc(id)}/tech-verification/result`,
		comment ? { result, comment } : { result }, opts);

// body: {action, ids, reason?, stage?}
export const batchDecide = (slug, body, opts) =>
	api.post(`${REVIEW}/competitions/${enc(slug)}/batch`, body, opts);

const reasonsCache = new Map();
// The return-reason templates; cached per sub-contest for the page's life
// (an admin's edit shows after a reload), a failure is not cached.
export function getReturnReasons(slug, opts) {
	if (!reasonsCache.has(slug))
		reasonsCache.set(slug, api.get(`${REVIEW}/competitions/${enc(slug)}/return-reasons`, opts)
			.catch((e) => {
				reasonsCache.delete(slug);
				throw e;
			}));
	return reasonsCache.get(slug);
}
export const forgetReturnReasons = () => reasonsCache.clear();

export const reviewPdfUrl = (id, unmask = false) => `${REVIEW}/applications/${enc(id)}/pdf${unmask ? '?unmask=1' : ''}`;

function exportQuery(filters, extra) {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries({ ...filters, ...extra }))
		if (v !== '' && v !== null && v !== undefined && v !== false)
			q.set(k, v === true ? '1' : String(v));
	return q.toString();
}

// GET export.xlsx / export.csv with the export filters and options.
export function exportUrl(slug, format, filters, { sheet, columns, unmask } = {}) {
	const qs = exportQuery(filters, { sheet: format === 'csv' ? sheet : '', columns, unmask });
	return `${REVIEW}/competitions/${enc(slug)}/export.${format === 'csv' ? 'csv' : 'xlsx'}${qs ? `?${qs}` : ''}`;
}

// The body of POST …/exports: only the keys that are set (the server
// refuses unknown ones and empty values mean "no filter"). `ids` (pdf_zip
// only) names the records instead of the filters.
export function exportJobBody(format, filters, { sheet, columns, unmask, ids } = {}) {
	const body = { format };
	if (Array.isArray(ids) && ids.length)
		body.ids = ids;
	else
		for (const [k, v] of Object.entries(filters))
			if (v !== '' && v !== null && v !== undefined)
				body[k] = k === 'topic' ? Number(v) : String(v);
	if (format === 'csv' && sheet)
		body.sheet = sheet;
	if (columns && format !== 'pdf_zip')
		body.columns = columns;
	if (unmask)
		body.unmask = true;
	return body;
}

// At most this many 申报书 in one pdf_zip job (422 too_many_records beyond).
export const PDF_ZIP_MAX = 500;

export const startExportJob = (slug, body, opts) =>
	api.post(`${REVIEW}/competitions/${enc(slug)}/exports`, body, opts);

export const getExportJob = (slug, job, opts) =>
	api.get(`${REVIEW}/competitions/${enc(slug)}/exports/${enc(job)}`, opts);

// ---- downloads ---------------------------------------------------------------

// The file name of a Content-Disposition header ('' when none) and the
// download that shows a refusal instead of saving a page of JSON: the
// participant site's (api/documents.js), under the console's signatures.
export const dispositionName = (header) => filenameFromDisposition(header, '');

// Resolves to the saved file's name; throws ApiError (already shown).
export const downloadFile = (url, fallbackName, { signal } = {}) =>
	saveDownload(url, { fallbackName, signal });

// ---- batch results ---------------------------------------------------------

// The answer of a batch with each id's project name (from the rows the
// user selected) and a line to show.
export function describeBatch(res, rows = []) {
	const names = new Map(rows.map((r) => [r.id, r.project_name || r.team_name || '']));
	const items = (res?.results || []).map((r) => ({
		id: r.id,
		name: names.get(r.id) || '',
		ok: !!r.ok,
		message: r.ok ? '成功' : (r.error?.message || r.error?.code || '失败'),
	}));
	return {
		succeeded: res?.succeeded ?? items.filter((i) => i.ok).length,
		failed: res?.failed ?? items.filter((i) => !i.ok).length,
		items,
	};
}

// ---- time ------------------------------------------------------------------

// A picker value "YYYY-MM-DDTHH:mm:ss" meant as China time → the ISO time
// the API takes, whatever the browser's zone.
export function chinaIso(local) {
	if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local || ''))
		return '';
	return `${local.length === 16 ? `${local}:00` : local}+08:00`;
}

// Unix seconds of such a value (to check it is in the future).
export function chinaSeconds(local) {
	const iso = chinaIso(local);
	return iso ? Math.floor(Date.parse(iso) / 1000) : NaN;
}
