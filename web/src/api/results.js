// 获奖名单: the public results of a sub-contest, GET
// /api/v1/competitions/{slug}/results (no session; 404
// results_not_published until the organisers publish them), and the
// award an applicant sees on their own application ("award", null until
// published).
import { api } from './http.js';

export function getResults(slug, opts = { quiet: true }) {
	return api.get(`/api/v1/competitions/${encodeURIComponent(slug)}/results`, opts);
}

export const LEVEL_LABELS = { first: '一等奖', second: '二等奖', third: '三等奖' };
export const SPECIAL_LABELS = {
	most_valuable: '最具价值奖',
	practice: '应用实践奖',
	potential: '发展潜力奖',
	innovation: '科技创新奖',
};
const LEVEL_ORDER = ['first', 'second', 'third'];

// Whether the results are out: false for 404 results_not_published (or an
// unknown sub-contest), the error itself for anything else.
export async function resultsPublished(slug) {
	try {
		await getResults(slug);
		return true;
	} catch (e) {
		if (e?.status === 404)
			return false;
		throw e;
	}
}

// One track of the answer as the page lists it: the levels in order, each
// with its winners (levels nobody won are left out), then the specials
// grouped by award.
export function groupTrack(track) {
	const awards = Array.isArray(track?.awards) ? track.awards : [];
	const levels = [];
	for (const level of LEVEL_ORDER) {
		const items = awards.filter((a) => a.level === level);
		if (items.length)
			levels.push({ level, label: items[0].level_label || LEVEL_LABELS[level], items });
	}
	// Levels this page does not know yet still show, after the known ones.
	const other = awards.filter((a) => !LEVEL_ORDER.includes(a.level));
	for (const a of other) {
		let g = levels.find((x) => x.level === a.level);
		if (!g)
			levels.push(g = { level: a.level, label: a.level_label || a.level, items: [] });
		g.items.push(a);
	}
	const specials = [];
	for (const s of Array.isArray(track?.specials) ? track.specials : []) {
		let g = specials.find((x) => x.code === s.code);
		if (!g)
			specials.push(g = { code: s.code, label: s.label || SPECIAL_LABELS[s.code] || s.code, items: [] });
		g.items.push(s);
	}
	return {
		id: track?.track_id,
		name: track?.track_name || '',
		levels,
		specials,
		empty: !levels.length && !specials.length,
	};
}

// The award of an application in words: "一等奖、最具价值奖"; '' when none
// (null before publication, or published without an award).
export function awardText(award) {
	if (!award)
		return '';
	const parts = [];
	if (award.level)
		parts.push(award.level_label || LEVEL_LABELS[award.level] || award.level);
	for (const s of Array.isArray(award.specials) ? award.specials : [])
		parts.push(s.label || SPECIAL_LABELS[s.code] || s.code);
	return parts.join('、');
}

// 获奖情况 of an application: null before publication (nothing to show),
// otherwise { text, awarded, tag }.
export function awardStatus(award) {
	if (!award)
		return null;
	const text = awardText(award);
	return text
		? { text, awarded: true, tag: 'warning' }
		: { text: '未获奖', awarded: false, tag: 'info' };
}
