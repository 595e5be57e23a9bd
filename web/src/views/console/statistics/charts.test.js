import { describe, it, expect } from 'vitest';
import { shapeStatistics } from '../../../api/statistics.js';
import { trackChart, regionChart, unitTypeChart, dailyChart, reviewChart, scoringChart } from './charts.js';

// 2026-06-20 23:59:59 in China.
const DEADLINE = Date.UTC(2026, 5, 20, 15, 59, 59) / 1000;

const stats = shapeStatistics({
	deadline: DEADLINE,
	by_track: [
		{ track_id: 1, track_name: '工业制造', total: 5, draft: 1, submitted: 2, approved: 1, returned: 1 },
		{ track_id: 2, track_name: '现代农业', total: 3, draft: 0, submitted: 1, approved: 2, returned: 0 },
		{ track_id: 3, track_name: '商贸流通', total: 0, draft: 0, submitted: 0, approved: 0, returned: 0 },
	],
	// Twenty real cities of Hebei and Shanxi … (130100 石家庄 first), largest first.
	by_region: ['130100', '130200', '130300', '130400', '130500', '130600', '130700', '130800', '130900', '131000',
		'131100', '140100', '140200', '140300', '140400', '140500', '140600', '140700', '140800', '140900']
		.map((code, i) => ({ code, count: 20 - i })),
	by_unit_type: [{ nature: '企业', count: 6 }, { nature: '高校', count: 2 }],
	daily: [{ date: '2026-06-18', created: 5, submitted: 1 }, { date: '2026-06-19', created: 3, submitted: 4 }],
	review: [
		{ track_id: 1, unreviewed: 2, approved: 1, returned: 1 },
		{ track_id: 2, unreviewed: 1, approved: 2, returned: 0 },
		{ track_id: 3, unreviewed: 0, approved: 0, returned: 0 },
	],
	scoring: [{ track_id: 1, stage: 'preliminary', applications: 2, assignments: 10, submitted: 4 }],
});
const empty = shapeStatistics({});

describe('statistics charts', () => {
	it('stacks each track with entries by status, with a caption and a table of every track', () => {
		const c = trackChart(stats);
		expect(c.option.xAxis.data).toEqual(['工业制造', '现代农业']);
		expect(c.option.series.map((s) => [s.name, s.data])).toEqual([
			['草稿', [1, 0]], ['已提交（待审核）', [2, 1]], ['已通过', [1, 2]], ['已退回', [1, 0]],
		]);
		expect(c.caption).toBe('共 8 个报名，工业制造 5 个，现代农业 3 个。其余 1 个赛道暂无报名。');
		expect(c.table.rows.map((r) => [r.name, r.total])).toEqual([['工业制造', 5], ['现代农业', 3], ['商贸流通', 0]]);
		expect(trackChart(empty)).toMatchObject({ empty: true, caption: '暂无报名。' });
	});

	it('shows the 15 largest places and 其他, the table keeps all', () => {
		const c = regionChart(stats);
		const names = c.option.yAxis.data;
		expect(names).toHaveLength(15);
		// Largest at the top: the category axis draws from the bottom.
		expect(names[14]).toBe('河北省石家庄市');
		expect(names[0]).toBe('其他');
		expect(c.table.rows).toHaveLength(20);
		expect(c.caption).toContain('共 20 个地区');
	});

	it('gives unit types their share', () => {
		const c = unitTypeChart(stats);
		expect(c.option.series[0].data).toEqual([{ name: '企业', value: 6 }, { name: '高校', value: 2 }]);
		expect(c.table.rows.map((r) => r.share)).toEqual(['75%', '25%']);
		expect(c.caption).toContain('企业 6 个（75%）');
	});

	it('marks the registration deadline on the daily lines and says so in words', () => {
		const c = dailyChart(stats);
		expect(c.option.xAxis.data[0]).toBe('2026-06-18');
		expect(c.option.xAxis.axisLabel.formatter('2026-06-18')).toBe('06-18');
		const mark = c.option.series[0].markLine;
		expect(mark.data).toEqual([{ xAxis: '2026-06-20' }]);
		expect(mark.label.formatter).toContain('报名截止');
		expect(c.caption).toContain('报名截止时间为 2026-06-20 23:59');
		expect(c.table.rows.at(-1).day).toBe('2026-06-20（报名截止）');
		expect(c.caption).toContain('（图中红色虚线）');
		const far = dailyChart(shapeStatistics({ deadline: DEADLINE, daily: [{ date: '2026-01-05', created: 1, submitted: 0 }] }));
		expect(far.option.series[0].markLine).toBeUndefined();
		expect(far.caption).toContain('报名截止时间为 2026-06-20 23:59（与报名日期相距较远，图中未标出）');
		const none = dailyChart(empty);
		expect(none.empty).toBe(true);
		expect(none.option.series[0].markLine).toBeUndefined();
		expect(none.caption).toContain('未设置报名截止时间');
	});

	it('sums review progress and scoring progress per track', () => {
		const r = reviewChart(stats);
		expect(r.option.yAxis.data).toEqual(['工业制造', '现代农业']);
		expect(r.caption).toBe('已提交的报名共 7 个，已审核 4 个（57.1%），待审核 3 个。其余 1 个赛道暂无已提交的报名。');
		expect(r.table.rows.map((x) => x.done)).toEqual(['50%', '66.7%', '0%']);
		const s = scoringChart(stats);
		expect(s.option.yAxis.data).toEqual(['工业制造（初赛）']);
		expect(s.option.series.map((x) => x.data)).toEqual([[4], [6]]);
		expect(s.option.series[1].label.formatter({ dataIndex: 0 })).toBe('40%');
		expect(s.caption).toBe('共分配评审任务 10 份，已提交评分 4 份（40%）。');
		expect(scoringChart(empty)).toMatchObject({ empty: true, caption: '尚未分配评审任务。' });
	});
});
