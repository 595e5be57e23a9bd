// Judging and awards (docs/API.md: Judging): rubrics, judges, assignment,
// the judges' score sheets, ranking and awards, and the pure helpers the
// pages share (labels, the weighted total, the scoring window's state).
// Every call is quiet: the pages show refusals in place (a field's error
// under the field, a conflict in its dialog), so the global notifier would
// only say the same thing twice. Callers show whatever they catch.
import { api } from './http.js';
import { formatChinaMinute } from '../util/chinaTime.js';

const quiet = { quiet: true };
const enc = encodeURIComponent;
const ADMIN = '/api/v1/admin/competitions';
const JUDGE = '/api/v1/judge/assignments';

// ---- labels ------------------------------------------------------------------

export const SCORING_STAGES = [
	{ value: 'preliminary', label: '初赛' },
	{ value: 'final', label: '决赛' },
];
export const scoringStageLabel = (v) => SCORING_STAGES.find((s) => s.value === v)?.label || v || '';
export const isScoringStage = (v) => SCORING_STAGES.some((s) => s.value === v);

export const SHEET_STATUSES = {
	assigned: { label: '未评分', type: 'info' },
	saved: { label: '已保存', type: 'warning' },
	submitted: { label: '已提交', type: 'success' },
	declined: { label: '已回避', type: 'danger' },
};
export const sheetStatusLabel = (s) => SHEET_STATUSES[s]?.label || s || '';
export const sheetStatusType = (s) => SHEET_STATUSES[s]?.type || 'info';

export const AWARD_LEVELS = [
	{ value: 'first', label: '一等奖' },
	{ value: 'second', label: '二等奖' },
	{ value: 'third', label: '三等奖' },
];
export const SPECIAL_AWARDS = [
	{ value: 'most_valuable', label: '最具价值奖' },
	{ value: 'practice', label: '应用实践奖' },
	{ value: 'potential', label: '发展潜力奖' },
	{ value: 'innovation', label: '科技创新奖' },
];
export const awardLevelLabel = (v) => AWARD_LEVELS.find((l) => l.value === v)?.label || '';
export const specialLabel = (v) => SPECIAL_AWARDS.find((l) => l.value === v)?.label || v || '';

export const AWARD_STATES = {
	open: { label: '编辑中', type: 'info' },
	locked: { label: '已锁定', type: 'warning' },
	published: { label: '已发布', type: 'success' },
};

export const METHOD_LABELS = { trimmed_mean: '去掉最高分和最低分后平均', mean: '平均' };

// ---- scores --------------------------------------------------------------

// A score as the server takes it: a number 0..max with at most one decimal.
export function validScore(v, max) {
	if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max)
		return false;
	return Math.abs(Math.round(v * 10) - v * 10) < 1e-9;
}

// Σ weight × score / max over the criteria scored so far (the judge's
// total, 0–100), rounded to 2 decimals as the server shows it; null when
// nothing is scored. `complete` says whether every criterion is.
export function weightedTotal(criteria = [], scores = {}) {
	let sum = 0;
	let scored = 0;
	for (const c of criteria) {
		const v = scores?.[c.key];
		if (typeof v !== 'number' || !Number.isFinite(v))
			continue;
		sum += (c.weight * v) / c.max;
		scored++;
	}
	return {
		total: scored ? Math.round(sum * 100) / 100 : null,
		scored,
		complete: criteria.length > 0 && scored === criteria.length,
	};
}

export const weightSum = (criteria = []) => criteria.reduce((s, c) => s + (Number(c.weight) || 0), 0);

// Every criterion of the sheet: a number, or null for an empty input. The
// server merges a save into the stored sheet, so a cleared input must say
// null or the old score would come back.
export function scoresBody(criteria = [], scores = {}) {
	const out = {};
	for (const c of criteria)
		out[c.key] = typeof scores?.[c.key] === 'number' && Number.isFinite(scores[c.key]) ? scores[c.key] : null;
	return out;
}

// What the judge may do with the window {opens, closes, open} (the server
// decides `open` with its own clock; `now` only words why it is shut).
export function windowState(w, now = Date.now() / 1000) {
	if (!w)
		return { open: false, code: 'unset', text: '评分时间尚未设置' };
	const range = w.opens && w.closes ? `${formatChinaMinute(w.opens)} 至 ${formatChinaMinute(w.closes)}` : '';
	if (w.open)
		return { open: true, code: 'open', range, text: `评分进行中，截止时间 ${formatChinaMinute(w.closes)}` };
	if (!w.opens || !w.closes)
		return { open: false, code: 'unset', range, text: '评分时间尚未设置，请等待组织方通知' };
	if (now < w.opens)
		return { open: false, code: 'not_open', range, text: `评分尚未开始，将于 ${formatChinaMinute(w.opens)} 开始` };
	if (now >= w.closes)
		return { open: false, code: 'closed', range, text: `评分时间已于 ${formatChinaMinute(w.closes)} 结束` };
	return { open: false, code: 'shut', range, text: '当前不在评分时间内' };
}

// A new criterion's key: [a-z0-9_], unused in the list.
export function newCriterionKey(criteria = []) {
	const used = new Set(criteria.map((c) => c.key));
	let n = criteria.length + 1;
	while (used.has(`item_${n}`))
		n++;
	return `item_${n}`;
}

// Server field errors of the rubric body: criteria[i].x → rows[i][x];
// the rest by name (criteria, scoring_opens, …).
export function rubricErrors(fields = []) {
	const rows = {};
	const byField = {};
	for (const f of fields) {
		const m = /^criteria\[(\d+)\](?:\.(\w+))?$/.exec(f.field || '');
		if (m) {
			const i = Number(m[1]);
			const k = m[2] || 'row';
			rows[i] = rows[i] || {};
			rows[i][k] = rows[i][k] ? `${rows[i][k]}；${f.message}` : f.message;
		} else {
			const k = f.field || '';
			byField[k] = byField[k] ? `${byField[k]}；${f.message}` : f.message;
		}
	}
	return { rows, byField };
}

// Server field errors of a score sheet: scores.KEY → byKey[KEY]; comment.
export function sheetErrors(fields = []) {
	const byKey = {};
	let comment = '';
	const other = [];
	for (const f of fields) {
		const m = /^scores\.(\w+)$/.exec(f.field || '');
		if (m)
			byKey[m[1]] = byKey[m[1]] ? `${byKey[m[1]]}；${f.message}` : f.message;
		else if (f.field === 'comment')
			comment = comment ? `${comment}；${f.message}` : f.message;
		else
			other.push(f.message);
	}
	return { byKey, comment, other: other.join('；') };
}

// ---- rubrics (admin) -------------------------------------------------------

const comp = (slug) => `${ADMIN}/${enc(slug)}`;

export const getRubric = (slug, stage) => api.get(`${comp(slug)}/rubrics/${enc(stage)}`, quiet);

// body: { criteria?, scoring_opens?, scoring_closes? } (times as
// "YYYY-MM-DDTHH:MM:SS+08:00" or null).
export const putRubric = (slug, stage, body) => api.put(`${comp(slug)}/rubrics/${enc(stage)}`, body, quiet);

// ---- judges (admin) --------------------------------------------------------

export const listJudges = (slug) => api.get(`${comp(slug)}/judges`, quiet).then((r) => r?.items || []);

export const putJudge = (slug, userId, body) => api.put(`${comp(slug)}/judges/${enc(userId)}`, body, quiet);

// ---- assignment (admin) ----------------------------------------------------

const judging = (slug, stage) => `${comp(slug)}/judging/${enc(stage)}`;

export const listAssignments = (slug, stage, track) =>
	api.get(`${judging(slug, stage)}/assignments`, { ...quiet, query: { track } });

export function autoAssign(slug, stage, { track, perProject } = {}) {
	const body = {};
	if (track)
		body.track_id = Number(track);
	if (perProject)
		body.per_project = Number(perProject);
	return api.post(`${judging(slug, stage)}/assign`, body, quiet);
}

export const addAssignment = (slug, stage, applicationId, judgeId) =>
	api.post(`${judging(slug, stage)}/assignments`, { application_id: Number(applicationId), judge_id: Number(judgeId) }, quiet);

export const removeAssignment = (slug, assignmentId) =>
	api.del(`${comp(slug)}/judging/assignments/${enc(assignmentId)}`, quiet);

// ---- ranking (admin) -------------------------------------------------------

export const getRanking = (slug, stage, track) =>
	api.get(`${judging(slug, stage)}/ranking`, { ...quiet, query: { track } });

// ---- awards (admin) --------------------------------------------------------

const awards = (slug) => `${comp(slug)}/awards`;

export const getAwards = (slug) => api.get(awards(slug), quiet);

// tracks: [{track_id, first, second, third}]
export const putQuotas = (slug, tracks) => api.put(`${awards(slug)}/quotas`, { tracks }, quiet);

export const proposeAwards = (slug, stage) => api.post(`${awards(slug)}/propose`, { stage }, quiet);

export const putAward = (slug, applicationId, { level = null, specials = [] } = {}) =>
	api.put(`${awards(slug)}/${enc(applicationId)}`, { level: level || null, specials }, quiet);

const ROUND_ACTIONS = ['lock', 'unlock', 'publish'];
export function awardRound(slug, action) {
	if (!ROUND_ACTIONS.includes(action))
		throw new Error(`unknown award action ${action}`);
	return api.post(`${awards(slug)}/${action}`, {}, quiet);
}

// ---- the judge's own assignments -------------------------------------------

export const myAssignments = (stage) => api.get(JUDGE, { ...quiet, query: { stage } });

export const getMyAssignment = (id) => api.get(`${JUDGE}/${enc(id)}`, quiet);

export const judgeAttachmentUrl = (id, att) => `${JUDGE}/${enc(id)}/attachments/${enc(att)}`;

export const judgePdfUrl = (id) => `${JUDGE}/${enc(id)}/pdf`;

export const saveScore = (id, { scores, comment }) => api.put(`${JUDGE}/${enc(id)}/score`, { scores, comment }, quiet);

export const submitScore = (id, { scores, comment }) => api.post(`${JUDGE}/${enc(id)}/submit`, { scores, comment }, quiet);

export const declareConflict = (id, reason) => api.post(`${JUDGE}/${enc(id)}/conflict`, { reason }, quiet);
