// 数据统计 of one sub-contest: GET /api/v1/admin/competitions/{slug}/statistics
// (docs/API.md "Statistics"), open to its reviewers and admins, and the
// plain shaping of that answer into the dashboard's rows. The charts
// (views/console/statistics) draw these rows and list them as tables.
import { areaList } from '@vant/area-data';
import { api } from './http.js';
import { formatChinaTime, chinaToday } from '../util/chinaTime.js';

export function getStatistics(slug, opts = { quiet: true }) {
	return api.get(`/api/v1/admin/competitions/${encodeURIComponent(slug)}/statistics`, opts);
}

export const STAGE_LABELS = { preliminary: '初赛', final: '决赛' };

const num = (v) => (Number.isFinite(Number(v)) ? Number(v) : 0);

// The server cuts region codes to the city ("440305" → "440300"): the
// city with its province ("广东省深圳市"), a municipality once ("北京市"),
// a province alone when only that is known; an unknown code as it is.
export function regionName(code) {
	const c = typeof code === 'string' ? code.trim() : '';
	if (!/^\d{6}$/.test(c))
		return c ? c : '未填写';
	const province = areaList.province_list[`${c.slice(0, 2)}0000`];
	if (c.endsWith('0000'))
		return province || c;
	const city = areaList.city_list[`${c.slice(0, 4)}00`];
	if (!city)
		return province || c;
	if (!province || city === province)
		return city;
	return `${province}${city}`;
}

// "2026-06-13" + n days, in UTC arithmetic (the strings are China days; no
// zone is involved in counting them).
function addDays(day, n) {
	const t = Date.parse(`${day}T00:00:00Z`) + n * 86400000;
	return new Date(t).toISOString().slice(0, 10);
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const STRETCH_DAYS = 62;
// Days filled in between the first and the last, so that a quiet day shows
// as 0 rather than being skipped; the deadline's day joins the axis when it
// is within two months of the data, so that its mark has a place (further
// away it would squash the data into a corner; the caption still names it).
// Days after today have no value (null: no point drawn), not a misleading 0.
export function dailySeries(daily, deadline, today = chinaToday()) {
	const rows = (Array.isArray(daily) ? daily : []).filter((d) => d && DAY_RE.test(d.date));
	const deadlineDay = deadline ? formatChinaTime(deadline).slice(0, 10) : null;
	if (!rows.length)
		return { days: [], created: [], submitted: [], deadlineDay, deadlineText: deadline ? formatChinaTime(deadline).slice(0, 16) : '' };
	const byDay = new Map(rows.map((d) => [d.date, d]));
	const sorted = [...byDay.keys()].sort();
	let first = sorted[0];
	let last = sorted[sorted.length - 1];
	if (deadlineDay) {
		const span = (a, b) => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000;
		if (deadlineDay > last && span(last, deadlineDay) <= STRETCH_DAYS)
			last = deadlineDay;
		if (deadlineDay < first && span(deadlineDay, first) <= STRETCH_DAYS)
			first = deadlineDay;
	}
	const days = [];
	for (let d = first; d <= last && days.length < 800; d = addDays(d, 1))
		days.push(d);
	return {
		days,
		created: days.map((d) => (d > today && !byDay.has(d) ? null : num(byDay.get(d)?.created))),
		submitted: days.map((d) => (d > today && !byDay.has(d) ? null : num(byDay.get(d)?.submitted))),
		deadlineDay: deadlineDay && days.includes(deadlineDay) ? deadlineDay : null,
		deadlineText: deadline ? formatChinaTime(deadline).slice(0, 16) : '',
	};
}

// The whole answer as the dashboard shows it. Tracks are named from
// by_track (the review and scoring rows carry ids only).
export function shapeStatistics(s) {
	// Records without a track come as track_id null (未选赛道).
	const fallbackName = (id) => (id === null || id === undefined ? '未选赛道' : `赛道 ${id}`);
	const tracks = (s?.by_track || []).map((t) => ({
		id: t.track_id ?? null,
		name: t.track_name || fallbackName(t.track_id),
		total: num(t.total),
		draft: num(t.draft),
		submitted: num(t.submitted),
		approved: num(t.approved),
		returned: num(t.returned),
	}));
	const trackName = (id) => tracks.find((t) => t.id === (id ?? null))?.name || fallbackName(id);

	// Codes that name the same place (a province given alone twice) add up.
	const regionMap = new Map();
	for (const r of s?.by_region || []) {
		const name = regionName(r.code);
		regionMap.set(name, (regionMap.get(name) || 0) + num(r.count));
	}
	const regions = [...regionMap].map(([name, count]) => ({ name, count }))
		.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'zh-CN'));

	const natureMap = new Map();
	for (const u of s?.by_unit_type || []) {
		const name = typeof u.nature === 'string' && u.nature.trim() ? u.nature.trim() : '未填写';
		natureMap.set(name, (natureMap.get(name) || 0) + num(u.count));
	}
	const unitTypes = [...natureMap].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count);

	const review = (s?.review || []).map((r) => ({
		id: r.track_id,
		name: trackName(r.track_id),
		unreviewed: num(r.unreviewed),
		approved: num(r.approved),
		returned: num(r.returned),
	}));

	const scoring = (s?.scoring || []).map((r) => {
		const assignments = num(r.assignments);
		const submitted = num(r.submitted);
		return {
			id: r.track_id,
			name: trackName(r.track_id),
			stage: r.stage,
			stageLabel: STAGE_LABELS[r.stage] || r.stage,
			applications: num(r.applications),
			assignments,
			submitted,
			pending: Math.max(0, assignments - submitted),
			percent: assignments ? Math.round((submitted / assignments) * 1000) / 10 : 0,
		};
	});

	const sum = (k) => tracks.reduce((a, t) => a + t[k], 0);
	return {
		tracks,
		regions,
		unitTypes,
		daily: dailySeries(s?.daily, s?.deadline),
		review,
		scoring,
		totals: {
			total: sum('total'),
			draft: sum('draft'),
			submitted: sum('submitted'),
			approved: sum('approved'),
			returned: sum('returned'),
		},
		deadline: s?.deadline ?? null,
	};
}

// Long tails fold into 其他 so that a pie stays readable; the table keeps
// every row.
export function topWithOthers(rows, n = 10) {
	if (rows.length <= n)
		return rows;
	const head = rows.slice(0, n - 1);
	const rest = rows.slice(n - 1).reduce((a, r) => a + r.count, 0);
	return [...head, { name: '其他', count: rest }];
}
