import { describe, it, expect, vi, beforeEach } from 'vitest';

const get = vi.fn();
vi.mock('../api/http.js', () => ({ api: { get: (...a) => get(...a) } }));

const {
	useApplicationsList, fromQuery, toQuery, formatTime, trackTopicText, statusTagType, clampQuery, Q_MAX_BYTES,
} = await import('./useApplicationsList.js');

function page(items, total, p = 1, per = 10) {
	return { items, total, page: p, per_page: per };
}

const item = (id) => ({ id, team_name: `团队${id}`, project_name: `项目${id}` });

beforeEach(() => {
	get.mockReset();
});

describe('formatTime', () => {
	it('shows China time whatever the zone of the machine', () => {
		// 2026-06-13 00:00:00 +08:00 is 2026-06-12 16:00 UTC.
		expect(formatTime(1781280000)).toBe('2026-06-13 00:00');
		expect(formatTime(1781280000 + 23 * 3600 + 59 * 60 + 59)).toBe('2026-06-13 23:59');
	});
	it('is empty for no time', () => {
		expect(formatTime(null)).toBe('');
		expect(formatTime(undefined)).toBe('');
		expect(formatTime('x')).toBe('');
	});
});

describe('helpers', () => {
	it('joins track and topic', () => {
		expect(trackTopicText({ track: { name: '交通运输' }, topic: { title: '枢纽调度' } })).toBe('交通运输 / 枢纽调度');
		expect(trackTopicText({ track: { name: '交通运输' }, topic: null })).toBe('交通运输');
		expect(trackTopicText({ track: null, topic: null })).toBe('');
	});
	it('colours the statuses as the spec asks', () => {
		expect(statusTagType('draft')).toBe('info');
		expect(statusTagType('submitted')).toBe('primary');
		expect(statusTagType('approved')).toBe('success');
		expect(statusTagType('returned')).toBe('danger');
		expect(statusTagType('nonsense')).toBe('info');
	});
	it('cuts a keyword to the server limit without splitting a character', () => {
		const long = '数'.repeat(100); // 300 bytes
		const cut = clampQuery(`  ${long}  `);
		expect(new TextEncoder().encode(cut).length).toBeLessThanOrEqual(Q_MAX_BYTES);
		expect(cut).toBe('数'.repeat(66));
		expect(clampQuery('  智联 ')).toBe('智联');
	});
	it('reads the address and writes it back without defaults', () => {
		expect(fromQuery({ status: 'returned', q: '智联', page: '3', per_page: '20' }))
			.toEqual({ status: 'returned', q: '智联', page: 3, perPage: 20 });
		expect(fromQuery({ status: 'bogus', page: '-1', per_page: '7' }))
			.toEqual({ status: '', q: '', page: 1, perPage: 10 });
		expect(fromQuery({ page: '2.5' }).page).toBe(1);
		expect(toQuery({ status: '', q: '', page: 1, perPage: 10 })).toEqual({});
		expect(toQuery({ status: 'draft', q: 'x', page: 2, perPage: 50 }))
			.toEqual({ status: 'draft', q: 'x', page: '2', per_page: '50' });
	});
});

describe('useApplicationsList', () => {
	it('loads the first page and reports the query', async () => {
		get.mockResolvedValueOnce(page([item(1), item(2)], 2));
		const onChange = vi.fn();
		const l = useApplicationsList({ onChange });
		await l.load();
		expect(get).toHaveBeenCalledWith('/api/v1/applications', {
			query: { status: '', q: '', page: 1, per_page: 10 }, quiet: true,
		});
		expect(l.items.value.map((x) => x.id)).toEqual([1, 2]);
		expect(l.total.value).toBe(2);
		expect(l.loaded.value).toBe(true);
		expect(l.loading.value).toBe(false);
		expect(onChange).toHaveBeenLastCalledWith({});
	});

	it('applies typed filters only on search, from page 1', async () => {
		get.mockResolvedValue(page([], 0));
		const l = useApplicationsList({ initial: fromQuery({ page: '4' }) });
		l.form.status = 'returned';
		l.form.q = '  智联 ';
		expect(l.applied.status).toBe('');
		await l.search();
		expect(get).toHaveBeenLastCalledWith('/api/v1/applications', {
			query: { status: 'returned', q: '智联', page: 1, per_page: 10 }, quiet: true,
		});
		expect(l.form.q).toBe('智联');
		expect(l.filtered()).toBe(true);
		await l.reset();
		expect(get).toHaveBeenLastCalledWith('/api/v1/applications', {
			query: { status: '', q: '', page: 1, per_page: 10 }, quiet: true,
		});
		expect(l.form.status).toBe('');
		expect(l.filtered()).toBe(false);
	});

	it('pages and changes the page size', async () => {
		get.mockResolvedValue(page([item(1)], 25));
		const onChange = vi.fn();
		const l = useApplicationsList({ onChange });
		await l.setPage(3);
		expect(get.mock.calls.at(-1)[1].query.page).toBe(3);
		expect(onChange).toHaveBeenLastCalledWith({ page: '3' });
		await l.setPerPage(20);
		expect(get.mock.calls.at(-1)[1].query).toMatchObject({ page: 1, per_page: 20 });
	});

	it('steps back to the last page when the asked one is past the end', async () => {
		get.mockResolvedValueOnce(page([], 12, 3, 10));
		get.mockResolvedValueOnce(page([item(11), item(12)], 12, 2, 10));
		const l = useApplicationsList({ initial: fromQuery({ page: '3' }) });
		await l.load();
		expect(get).toHaveBeenCalledTimes(2);
		expect(get.mock.calls[1][1].query.page).toBe(2);
		expect(l.page.value).toBe(2);
		expect(l.items.value.map((x) => x.id)).toEqual([11, 12]);
	});

	it('keeps the error for the page to show and keeps the old rows', async () => {
		get.mockResolvedValueOnce(page([item(1)], 1));
		const l = useApplicationsList();
		await l.load();
		const err = Object.assign(new Error('网络连接失败，请检查网络后重试'), { code: 'network' });
		get.mockRejectedValueOnce(err);
		await l.load();
		expect(l.error.value).toBe(err);
		expect(l.items.value).toHaveLength(1);
		expect(l.loading.value).toBe(false);
	});

	it('restores a state read from the address', async () => {
		get.mockResolvedValue(page([], 0));
		const l = useApplicationsList();
		l.form.q = '未搜索的字';
		await l.restore(fromQuery({ status: 'draft', q: '智联', page: '2' }));
		expect(l.form).toEqual({ status: 'draft', q: '智联' });
		expect(l.applied).toEqual({ status: 'draft', q: '智联' });
		expect(get).toHaveBeenLastCalledWith('/api/v1/applications', {
			query: { status: 'draft', q: '智联', page: 2, per_page: 10 }, quiet: true,
		});
	});

	it('ignores an answer that a newer request overtook', async () => {
		let resolveFirst;
		get.mockImplementationOnce(() => new Promise((r) => { resolveFirst = r; }));
		get.mockResolvedValueOnce(page([item(2)], 1));
		const l = useApplicationsList();
		const first = l.load();
		await l.load();
		resolveFirst(page([item(1)], 1));
		await first;
		expect(l.items.value.map((x) => x.id)).toEqual([2]);
	});
});
