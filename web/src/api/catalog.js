import { api } from './http.js';

// The public catalog: competitions, their tracks, the platform's windows
// and the service agreement. They change only when an operator imports a
// new catalog, so one answer per page load is enough; a failed request is
// forgotten so that the next call tries again. Requests are quiet: several
// parts of a page share one answer, so each caller shows a failure where
// it matters (a page in place, a frame not at all).
const cache = new Map();

function cached(key, load) {
	if (!cache.has(key)) {
		const p = load();
		cache.set(key, p);
		p.catch(() => {
			if (cache.get(key) === p)
				cache.delete(key);
		});
	}
	return cache.get(key);
}

const quiet = { quiet: true };
const slugPath = (slug) => `/api/v1/competitions/${encodeURIComponent(slug)}`;

export const listCompetitions = () =>
	cached('competitions', () => api.get('/api/v1/competitions', quiet).then((r) => r?.items || []));

export const getCompetition = (slug) => cached('competition:' + slug, () => api.get(slugPath(slug), quiet));

export const getTracks = (slug) =>
	cached('tracks:' + slug, () => api.get(slugPath(slug) + '/tracks', quiet).then((r) => r?.items || []));

export const getPlatform = () => cached('platform', () => api.get('/api/v1/platform', quiet));

export const getAgreement = () => cached('agreement', () => api.get('/api/v1/agreement', quiet));

// The window a sub-contest applies now, from GET /api/v1/platform.
export function registrationOf(platform, slug) {
	return platform?.registration?.find((r) => r.slug === slug) || null;
}

// 报名中 / 报名未开始 / 报名已截止 / 报名时间待公布, with the type of tag to show.
export function registrationState(reg, now) {
	if (!reg || !reg.opens || !reg.closes)
		return { key: 'unpublished', label: '报名时间待公布', type: 'info' };
	if (reg.open)
		return { key: 'open', label: '报名中', type: 'success' };
	const t = now ? Date.parse(now) : Date.now();
	if (t < Date.parse(reg.opens))
		return { key: 'not_started', label: '报名未开始', type: 'warning' };
	return { key: 'closed', label: '报名已截止', type: 'info' };
}

// '2026-06-13T00:00:00+08:00' → '2026年6月13日' (the date as published, China time).
export function formatDate(s) {
	const m = typeof s === 'string' && /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
	return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : '';
}

export function clearCatalogCache() {
	cache.clear();
}
