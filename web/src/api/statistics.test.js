import { describe, it, expect, vi, beforeEach } from 'vitest';

vi.mock('./http.js', () => ({ api: { get: vi.fn() } }));
const { api } = await import('./http.js');
const { getStatistics, regionName, dailySeries, shapeStatistics, topWithOthers } = await import('./statistics.js');

// 2026-06-20 23:59:59 in China.
const DEADLINE = Date.UTC(2026, 5, 20, 15, 59, 59) / 1000;

describe('api/statistics', () => {
	beforeEach(() => api.get.mockReset().mockResolvedValue({}));

	it('reads the statistics of one sub-contest, quietly (the page shows a refusal itself)', async () => {
		await getStatistics('guangdong-2026');
		expect(api.get).toHaveBeenCalledWith('/api/v1/admin/competitions/guangdong-2026/statistics', { quiet: true });
	});

	it('names city-level region codes with their province, municipalities once', () => {
		expect(regionName('440300')).toBe('广东省深圳市');
		expect(regionName('440100')).toBe('广东省广州市');
		expect(regionName('110100')).toBe('北京市');
		expect(regionName('350000')).toBe('福建省');
		expect(regionName('')).toBe('未填写');
		expect(regionName(null)).toBe('未填写');
		expect(regionName('999900')).toBe('999900');
		expect(regionName('x1')).toBe('x1');
	});

	it('fills quiet days with 0 and stretches the axis to the deadline day', () => {
		const d = dailySeries([
			{ date: '2026-06-15', created: 3, submitted: 0 },
			{ date: '2026-06-17', created: 1, submitted: 2 },
		], DEADLINE, '2026-06-20');
		expect(d.days).toEqual(['2026-06-15', '2026-06-16', '2026-06-17', '2026-06-18', '2026-06-19', '2026-06-20']);
		expect(d.created).toEqual([3, 0, 1, 0, 0, 0]);
		expect(d.submitted).toEqual([0, 0, 2, 0, 0, 0]);
		expect(d.deadlineDay).toBe('2026-06-20');
		expect(d.deadlineText).toBe('2026-06-20 23:59');
		// Seen on the 18th: the days still to come have no value yet.
		const early = dailySeries([{ date: '2026-06-15', created: 3, submitted: 0 }], DEADLINE, '2026-06-18');
		expect(early.created).toEqual([3, 0, 0, 0, null, null]);
		expect(early.submitted).toEqual([0, 0, 0, 0, null, null]);
	});

	it('leaves a deadline far from the data off the axis, and has no axis without data', () => {
		const far = dailySeries([{ date: '2026-03-01', created: 1, submitted: 1 }], DEADLINE);
		expect(far.days).toEqual(['2026-03-01']);
		expect(far.deadlineDay).toBe(null);
		const none = dailySeries([], null);
		expect(none.days).toEqual([]);
		expect(none.deadlineDay).toBe(null);
		expect(none.deadlineText).toBe('');
	});

	it('shapes the answer: totals, regions by name, unit types, review and scoring rows named by track', () => {
		const s = shapeStatistics({
			deadline: DEADLINE,
			by_track: [
				{ track_id: 1, track_name: '工业制造', total: 5, draft: 1, submitted: 2, approved: 1, returned: 1 },
				{ track_id: 2, track_name: '现代农业', total: 2, draft: 0, submitted: 0, approved: 2, returned: 0 },
				{ track_id: null, track_name: null, total: 1, draft: 1, submitted: 0, approved: 0, returned: 0 },
			],
			by_region: [{ code: '440300', count: 2 }, { code: '440100', count: 4 }, { code: '', count: 1 }],
			by_unit_type: [{ nature: '企业', count: 5 }, { nature: '', count: 1 }, { nature: '高校', count: 1 }],
			daily: [{ date: '2026-06-19', created: 7, submitted: 3 }],
			review: [
				{ track_id: 1, unreviewed: 2, approved: 1, returned: 1 },
				{ track_id: 9, unreviewed: 0, approved: 0, returned: 0 },
				{ track_id: null, unreviewed: 0, approved: 0, returned: 0 },
			],
			scoring: [{ track_id: 2, stage: 'preliminary', applications: 2, assignments: 10, submitted: 3 }],
		});
		expect(s.totals).toEqual({ total: 8, draft: 2, submitted: 2, approved: 3, returned: 1 });
		expect(s.tracks[2]).toMatchObject({ id: null, name: '未选赛道' });
		expect(s.regions).toEqual([
			{ name: '广东省广州市', count: 4 },
			{ name: '广东省深圳市', count: 2 },
			{ name: '未填写', count: 1 },
		]);
		expect(s.unitTypes.map((u) => u.name)).toEqual(['企业', '未填写', '高校']);
		expect(s.review.map((r) => r.name)).toEqual(['工业制造', '赛道 9', '未选赛道']);
		expect(s.scoring).toEqual([{
			id: 2, name: '现代农业', stage: 'preliminary', stageLabel: '初赛',
			applications: 2, assignments: 10, submitted: 3, pending: 7, percent: 30,
		}]);
		expect(s.daily.days).toEqual(['2026-06-19', '2026-06-20']);
	});

	it('shapes an empty answer without failing', () => {
		const s = shapeStatistics({});
		expect(s.tracks).toEqual([]);
		expect(s.totals.total).toBe(0);
		expect(s.daily.days).toEqual([]);
	});

	it('folds the tail of a long list into 其他', () => {
		const rows = Array.from({ length: 12 }, (_, i) => ({ name: `r${i}`, count: 12 - i }));
		const top = topWithOthers(rows, 10);
		expect(top).toHaveLength(10);
		expect(top[9]).toEqual({ name: '其他', count: 3 + 2 + 1 });
		expect(topWithOthers(rows.slice(0, 3), 10)).toHaveLength(3);
	});
});
