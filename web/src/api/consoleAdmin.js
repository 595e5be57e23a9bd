import { api, request } from './http.js';

// The console's administration calls (docs/API.md: Return-reason
// templates, SMS notices, The audit log, Staff, Schedule, Unit lists).
// Every call is quiet: the pages show a refusal in place of the page and
// a form's errors under its fields, so the global notifier would only say
// the same thing twice. Callers show whatever they catch.

const quiet = { quiet: true };
const enc = encodeURIComponent;
const REVIEW = '/api/v1/review/competitions';
const ADMIN = '/api/v1/admin';

export const STAFF_ROLES = [
	{ value: 'reviewer', label: '审核员' },
	{ value: 'judge', label: '评审专家' },
	{ value: 'competition_admin', label: '分赛管理员' },
];

export function roleLabel(role) {
	return STAFF_ROLES.find((r) => r.value === role)?.label || role;
}

export const UNIT_LIST_KINDS = {
	exclusion: { label: '组织单位名单', long: '组织单位及其下属、关联单位' },
	dishonest: { label: '失信名单', long: '失信被执行人等失信主体' },
};

// ---- return-reason templates ----------------------------------------------

export const getReturnReasons = (slug) => api.get(`${REVIEW}/${enc(slug)}/return-reasons`, quiet);

export const putReturnReasons = (slug, reasons) =>
	api.put(`${REVIEW}/${enc(slug)}/return-reasons`, { reasons }, quiet);

// ---- staff ------------------------------------------------------------------

const staffPath = (slug) => `${ADMIN}/competitions/${enc(slug)}/staff`;

export const listStaff = (slug) => api.get(staffPath(slug), quiet).then((r) => r?.items || []);

// who: { phone } or { account }.
export function addStaff(slug, role, who) {
	const body = { role };
	if (who.phone !== undefined)
		body.phone = who.phone;
	else
		body.account = who.account;
	return api.post(staffPath(slug), body, quiet);
}

// Without role the server takes the reviewer and judge roles (and, for a
// platform admin, the admin role).
export const removeStaff = (slug, userId, role) =>
	api.del(`${staffPath(slug)}/${enc(userId)}`, { ...quiet, query: role ? { role } : undefined });

// ---- schedule -----------------------------------------------------------

const schedulePath = (slug) => `${ADMIN}/competitions/${enc(slug)}/schedule`;

export const getSchedule = (slug) => api.get(schedulePath(slug), quiet);

export const putSchedule = (slug, body) => api.put(schedulePath(slug), body, quiet);

// ---- unit lists and verified credit codes ----------------------------------

// The CSV goes as it is (the server reads UTF-8 and reports each bad line).
// With dryRun nothing is stored: the answer previews rows and errors.
export function importUnitList(kind, file, { competition, dryRun = false } = {}) {
	return request('POST', `${ADMIN}/unit-lists/${enc(kind)}`, {
		...quiet,
		query: { competition, dry_run: dryRun ? 1 : undefined },
		body: file,
		contentType: 'text/csv; charset=utf-8',
	});
}

export const listUnitList = (kind, { competition, q, page, perPage } = {}) =>
	api.get(`${ADMIN}/unit-lists/${enc(kind)}`, {
		...quiet,
		query: { competition, q, page, per_page: perPage },
	});

// A plain link: the browser downloads the file with the session cookie.
export function unitListExportUrl(kind, competition) {
	const q = competition ? `?competition=${enc(competition)}` : '';
	return `${ADMIN}/unit-lists/${enc(kind)}/export.csv${q}`;
}

export function verifyUscc(uscc, note) {
	const body = { uscc };
	if (note)
		body.note = note;
	return api.post(`${ADMIN}/uscc-verified`, body, quiet);
}

// ---- audit log ------------------------------------------------------------

// filters: actor, action, object_type, object_id, from, to, competition,
// page, per_page; empty ones are left out.
export const listAudit = (filters = {}) => api.get(`${ADMIN}/audit`, { ...quiet, query: filters });

// ---- SMS templates --------------------------------------------------------

export const getSmsTemplates = () => api.get(`${ADMIN}/sms-templates`, quiet);

// templates: { event: text, or null for the built-in text }.
export const putSmsTemplates = (templates) => api.put(`${ADMIN}/sms-templates`, { templates }, quiet);
