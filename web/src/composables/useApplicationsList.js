import { ref, reactive } from 'vue';
import { api } from '../api/http.js';

// 我的赛事: the caller's records, filtered and paged by the server
// (GET /api/v1/applications). The filters live in the address too, so a
// reload or the back button from 查看 returns to the same page.

// The server's statuses and labels (docs/API.md, src/domain/lifecycle.c).
export const STATUS_OPTIONS = [
	{ value: 'draft', label: '草稿' },
	{ value: 'submitted', label: '已提交' },
	{ value: 'approved', label: '已通过' },
	{ value: 'returned', label: '已退回' },
];

const TAG_TYPES = { draft: 'info', submitted: 'primary', approved: 'success', returned: 'danger' };

export function statusTagType(status) {
	return TAG_TYPES[status] || 'info';
}

export const PER_PAGE_CHOICES = [10, 20, 50];
export const DEFAULT_PER_PAGE = 10;
// The server caps q at 200 bytes (400 bad_query beyond).
export const Q_MAX_BYTES = 200;

// Unix seconds → "YYYY-MM-DD HH:mm", China time whatever the browser's zone;
// '' for none.
export { formatChinaMinute as formatTime } from '../util/chinaTime.js';

// "交通运输 / 赛题标题" from a list item; '' until chosen.
export function trackTopicText(item) {
	const t = item?.track?.name || '';
	const s = item?.topic?.title || '';
	if (t && s)
		return `${t} / ${s}`;
	return t || s;
}

// Cuts a keyword to what the server accepts, at a character boundary.
export function clampQuery(q) {
	let s = String(q ?? '').trim();
	const enc = new TextEncoder();
	while (enc.encode(s).length > Q_MAX_BYTES)
		s = Array.from(s).slice(0, -1).join('');
	return s;
}

function positiveInt(v, fallback) {
	const n = Number(Array.isArray(v) ? v[0] : v);
	return Number.isInteger(n) && n >= 1 ? n : fallback;
}

// Route query → list state; anything malformed falls back to the default.
export function fromQuery(query = {}) {
	const status = Array.isArray(query.status) ? query.status[0] : query.status;
	const q = Array.isArray(query.q) ? query.q[0] : query.q;
	const perPage = positiveInt(query.per_page, DEFAULT_PER_PAGE);
	return {
		status: STATUS_OPTIONS.some((o) => o.value === status) ? status : '',
		q: typeof q === 'string' ? clampQuery(q) : '',
		page: Math.min(positiveInt(query.page, 1), 100000),
		perPage: PER_PAGE_CHOICES.includes(perPage) ? perPage : DEFAULT_PER_PAGE,
	};
}

// List state → route query, leaving out the defaults.
export function toQuery({ status, q, page, perPage }) {
	const out = {};
	if (status)
		out.status = status;
	if (q)
		out.q = q;
	if (page > 1)
		out.page = String(page);
	if (perPage !== DEFAULT_PER_PAGE)
		out.per_page = String(perPage);
	return out;
}

// initial: a fromQuery() result; onChange(query) is told the applied
// filters after each successful load (the page puts them in the address).
export function useApplicationsList({ initial = fromQuery({}), onChange = () => {} } = {}) {
	// What the user types; applied by search().
	const form = reactive({ status: initial.status, q: initial.q });
	// What the shown rows were asked with.
	const applied = reactive({ status: initial.status, q: initial.q });
	const page = ref(initial.page);
	const perPage = ref(initial.perPage);
	const items = ref([]);
	const total = ref(0);
	const loading = ref(false);
	const loaded = ref(false);
	const error = ref(null);
	let seq = 0;

	async function load() {
		const mine = ++seq;
		loading.value = true;
		error.value = null;
		try {
			const res = await api.get('/api/v1/applications', {
				query: { status: applied.status, q: applied.q, page: page.value, per_page: perPage.value },
				quiet: true,
			});
			if (mine !== seq)
				return;
			// A page past the end (after a delete, or an old address): show
			// the last one that has rows.
			const pages = Math.max(1, Math.ceil(res.total / res.per_page));
			if (res.items.length === 0 && res.total > 0 && page.value > pages) {
				page.value = pages;
				return load();
			}
			items.value = res.items;
			total.value = res.total;
			loaded.value = true;
			onChange(toQuery({ ...applied, page: page.value, perPage: perPage.value }));
		} catch (e) {
			if (mine !== seq)
				return;
			error.value = e;
		} finally {
			if (mine === seq)
				loading.value = false;
		}
	}

	function search() {
		form.q = clampQuery(form.q);
		applied.status = form.status;
		applied.q = form.q;
		page.value = 1;
		return load();
	}

	function reset() {
		form.status = '';
		form.q = '';
		return search();
	}

	function setPage(p) {
		page.value = p;
		return load();
	}

	function setPerPage(n) {
		perPage.value = n;
		page.value = 1;
		return load();
	}

	// Back to a state read from the address (the back button, or a link
	// to 我的赛事 without filters while a filtered list is shown).
	function restore(state) {
		form.status = applied.status = state.status;
		form.q = applied.q = state.q;
		page.value = state.page;
		perPage.value = state.perPage;
		return load();
	}

	// True when filters narrow the list (an empty result then means "no
	// match", not "no records yet").
	const filtered = () => !!(applied.status || applied.q);

	return { form, applied, page, perPage, items, total, loading, loaded, error, load, search, reset, setPage, setPerPage, restore, filtered };
}
