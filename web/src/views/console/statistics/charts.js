// The dashboard's charts as plain data: for each, the ECharts option, a
// one-sentence caption (the chart's text alternative, read out and shown
// under it) and the table the 数据表 toggle shows. Built from
// shapeStatistics() (api/statistics.js).
import { topWithOthers } from '../../../api/statistics.js';

// The site's colours, dark enough to tell apart and to read labels on.
export const COLORS = {
	primary: '#1d4f91',
	draft: '#8a96a8',
	submitted: '#2f6fc4',
	approved: '#2e7d32',
	returned: '#c62828',
	pending: '#c9d3e0',
	accent: '#c77700',
};
const PALETTE = ['#1d4f91', '#c77700', '#2e7d32', '#8e44ad', '#c62828', '#00838f', '#6d4c41', '#5e6d82', '#ad1457', '#558b2f'];

const TEXT = '#1f2d3d';
const AXIS = { axisLabel: { color: TEXT }, axisLine: { lineStyle: { color: '#8a96a8' } } };
const TOOLTIP = { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true };
// One line that scrolls: a wrapped legend would cover the plot on phones.
const LEGEND = { type: 'scroll', top: 0, textStyle: { color: TEXT } };
const base = () => ({ color: PALETTE, animationDuration: 400, textStyle: { fontFamily: 'inherit' } });

const list = (xs) => xs.join('，');
const pct = (a, b) => (b ? `${Math.round((a / b) * 1000) / 10}%` : '0%');

const zeroNote = (n, what) => (n ? `其余 ${n} 个赛道暂无${what}。` : '');

// 各赛道报名情况: one stacked bar per track that has entries, by status
// (a sub-contest has up to 17 tracks; the table lists every one).
export function trackChart(stats) {
	const tracks = stats.tracks.filter((t) => t.total > 0);
	const parts = [
		['draft', '草稿'], ['submitted', '已提交（待审核）'], ['approved', '已通过'], ['returned', '已退回'],
	];
	return {
		option: {
			...base(),
			tooltip: TOOLTIP,
			legend: LEGEND,
			grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
			xAxis: { type: 'category', data: tracks.map((t) => t.name), ...AXIS, axisLabel: { color: TEXT, interval: 0, width: 90, overflow: 'break' } },
			yAxis: { type: 'value', minInterval: 1, name: '报名数', nameTextStyle: { color: TEXT }, ...AXIS },
			series: parts.map(([k, label]) => ({
				name: label,
				type: 'bar',
				stack: 'status',
				barMaxWidth: 48,
				itemStyle: { color: COLORS[k] },
				data: tracks.map((t) => t[k]),
			})),
		},
		caption: tracks.length
			? `共 ${stats.totals.total} 个报名，${list(tracks.map((t) => `${t.name} ${t.total} 个`))}。${zeroNote(stats.tracks.length - tracks.length, '报名')}`
			: '暂无报名。',
		table: {
			columns: [
				{ key: 'name', label: '赛道' }, { key: 'total', label: '合计' }, { key: 'draft', label: '草稿' },
				{ key: 'submitted', label: '已提交（待审核）' }, { key: 'approved', label: '已通过' }, { key: 'returned', label: '已退回' },
			],
			rows: stats.tracks,
		},
		empty: !tracks.length,
	};
}

// 地区分布: the places with most entries as horizontal bars (the rest as
// 其他); the table lists every one.
export function regionChart(stats, top = 15) {
	const rows = topWithOthers(stats.regions, top);
	const shown = [...rows].reverse();
	return {
		option: {
			...base(),
			tooltip: TOOLTIP,
			grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
			xAxis: { type: 'value', minInterval: 1, ...AXIS },
			yAxis: { type: 'category', data: shown.map((r) => r.name), ...AXIS },
			series: [{
				name: '报名数',
				type: 'bar',
				barMaxWidth: 22,
				itemStyle: { color: COLORS.primary },
				label: { show: true, position: 'right', color: TEXT },
				data: shown.map((r) => r.count),
			}],
		},
		caption: rows.length
			? `按牵头单位所在地市统计，共 ${stats.regions.length} 个地区；最多的是${list(stats.regions.slice(0, 3).map((r) => `${r.name}（${r.count} 个）`))}。`
			: '暂无地区数据。',
		table: { columns: [{ key: 'name', label: '地区' }, { key: 'count', label: '报名数' }], rows: stats.regions },
		empty: !rows.length,
		height: Math.max(220, rows.length * 30 + 30),
	};
}

// 单位性质: a ring of the lead units' types.
export function unitTypeChart(stats) {
	const rows = topWithOthers(stats.unitTypes, 8);
	const total = stats.unitTypes.reduce((a, r) => a + r.count, 0);
	return {
		option: {
			...base(),
			tooltip: { trigger: 'item', confine: true, formatter: '{b}：{c} 个（{d}%）' },
			legend: { ...LEGEND, type: 'scroll', bottom: 0, top: 'auto' },
			series: [{
				name: '单位性质',
				type: 'pie',
				radius: ['32%', '56%'],
				center: ['50%', '45%'],
				avoidLabelOverlap: true,
				label: { color: TEXT, formatter: '{b} {c}' },
				data: rows.map((r) => ({ name: r.name, value: r.count })),
			}],
		},
		caption: rows.length
			? `按牵头单位性质统计：${list(stats.unitTypes.map((r) => `${r.name} ${r.count} 个（${pct(r.count, total)}）`))}。`
			: '暂无单位性质数据。',
		table: {
			columns: [{ key: 'name', label: '单位性质' }, { key: 'count', label: '报名数' }, { key: 'share', label: '占比' }],
			rows: stats.unitTypes.map((r) => ({ ...r, share: pct(r.count, total) })),
		},
		empty: !rows.length,
	};
}

// 每日报名与提交: two lines over the days, the registration deadline as a
// vertical line.
export function dailyChart(stats) {
	const d = stats.daily;
	const mark = d.deadlineDay
		? {
			silent: true,
			symbol: 'none',
			lineStyle: { color: COLORS.returned, type: 'dashed', width: 2 },
			label: { formatter: `报名截止\n${d.deadlineText}`, color: COLORS.returned, position: 'end' },
			data: [{ xAxis: d.deadlineDay }],
		}
		: undefined;
	const created = d.created.reduce((a, b) => a + (b || 0), 0);
	const submitted = d.submitted.reduce((a, b) => a + (b || 0), 0);
	let peak = null;
	d.created.forEach((n, i) => {
		if (n > 0 && (!peak || n > peak.n))
			peak = { n, day: d.days[i] };
	});
	const deadlineWords = !d.deadlineText ? '未设置报名截止时间。'
		: `报名截止时间为 ${d.deadlineText}${d.deadlineDay ? '（图中红色虚线）' : '（与报名日期相距较远，图中未标出）'}。`;
	return {
		option: {
			...base(),
			color: [COLORS.primary, COLORS.accent],
			tooltip: { trigger: 'axis', confine: true },
			legend: LEGEND,
			grid: { left: 8, right: 40, top: 48, bottom: 8, containLabel: true },
			// Month and day on the axis; the tooltip shows the whole date.
			xAxis: { type: 'category', boundaryGap: false, data: d.days, ...AXIS, axisLabel: { color: TEXT, formatter: (v) => v.slice(5) } },
			yAxis: { type: 'value', minInterval: 1, name: '数量', nameTextStyle: { color: TEXT }, ...AXIS },
			series: [
				{
					name: '新建报名',
					type: 'line',
					smooth: false,
					symbolSize: 6,
					data: d.created,
					markLine: mark,
				},
				{ name: '提交报名', type: 'line', symbolSize: 6, lineStyle: { type: 'solid' }, data: d.submitted },
			],
		},
		caption: d.days.length
			? `${d.days[0]} 至 ${d.days[d.days.length - 1]} 共新建报名 ${created} 个、首次提交 ${submitted} 个${peak ? `；新建最多的一天是 ${peak.day}（${peak.n} 个）` : ''}。${deadlineWords}`
			: `暂无报名。${deadlineWords}`,
		table: {
			columns: [{ key: 'day', label: '日期' }, { key: 'created', label: '新建报名' }, { key: 'submitted', label: '提交报名' }],
			rows: d.days.map((day, i) => ({
				day: day === d.deadlineDay ? `${day}（报名截止）` : day,
				created: d.created[i] ?? '—',
				submitted: d.submitted[i] ?? '—',
			})),
		},
		empty: !d.days.length,
	};
}

// 审核进度: per track with submitted records, how many are decided.
export function reviewChart(stats) {
	const rows = stats.review.filter((r) => r.unreviewed + r.approved + r.returned > 0);
	const parts = [['unreviewed', '待审核', COLORS.pending], ['approved', '已通过', COLORS.approved], ['returned', '已退回', COLORS.returned]];
	const sum = (k) => rows.reduce((a, r) => a + r[k], 0);
	const decided = sum('approved') + sum('returned');
	const all = decided + sum('unreviewed');
	return {
		option: {
			...base(),
			tooltip: TOOLTIP,
			legend: LEGEND,
			grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
			xAxis: { type: 'value', minInterval: 1, ...AXIS },
			yAxis: { type: 'category', data: rows.map((r) => r.name), inverse: true, ...AXIS },
			series: parts.map(([k, label, color]) => ({
				name: label,
				type: 'bar',
				stack: 'review',
				barMaxWidth: 26,
				itemStyle: { color },
				data: rows.map((r) => r[k]),
			})),
		},
		caption: rows.length
			? `已提交的报名共 ${all} 个，已审核 ${decided} 个（${pct(decided, all)}），待审核 ${sum('unreviewed')} 个。${zeroNote(stats.review.length - rows.length, '已提交的报名')}`
			: '暂无已提交的报名。',
		table: {
			columns: [
				{ key: 'name', label: '赛道' }, { key: 'unreviewed', label: '待审核' }, { key: 'approved', label: '已通过' },
				{ key: 'returned', label: '已退回' }, { key: 'done', label: '审核完成率' },
			],
			rows: stats.review.map((r) => ({ ...r, done: pct(r.approved + r.returned, r.approved + r.returned + r.unreviewed) })),
		},
		empty: !rows.length,
		height: Math.max(200, rows.length * 36 + 70),
	};
}

// 评分进度: per track and stage, submitted score sheets of the assigned.
export function scoringChart(stats) {
	const rows = stats.scoring;
	const label = (r) => `${r.name}（${r.stageLabel}）`;
	const assigned = rows.reduce((a, r) => a + r.assignments, 0);
	const submitted = rows.reduce((a, r) => a + r.submitted, 0);
	return {
		option: {
			...base(),
			tooltip: TOOLTIP,
			legend: LEGEND,
			grid: { left: 8, right: 56, top: 40, bottom: 8, containLabel: true },
			xAxis: { type: 'value', minInterval: 1, ...AXIS },
			yAxis: { type: 'category', data: rows.map(label), inverse: true, ...AXIS },
			series: [
				{ name: '已提交评分', type: 'bar', stack: 'scoring', barMaxWidth: 26, itemStyle: { color: COLORS.approved }, data: rows.map((r) => r.submitted) },
				{
					name: '未提交',
					type: 'bar',
					stack: 'scoring',
					barMaxWidth: 26,
					itemStyle: { color: COLORS.pending },
					label: { show: true, position: 'right', color: TEXT, formatter: (p) => `${rows[p.dataIndex].percent}%` },
					data: rows.map((r) => r.pending),
				},
			],
		},
		caption: rows.length
			? `共分配评审任务 ${assigned} 份，已提交评分 ${submitted} 份（${pct(submitted, assigned)}）。`
			: '尚未分配评审任务。',
		table: {
			columns: [
				{ key: 'name', label: '赛道' }, { key: 'stageLabel', label: '阶段' }, { key: 'applications', label: '项目数' },
				{ key: 'assignments', label: '评审任务' }, { key: 'submitted', label: '已提交评分' }, { key: 'percentText', label: '完成率' },
			],
			rows: rows.map((r) => ({ ...r, percentText: `${r.percent}%` })),
		},
		empty: !rows.length,
		height: Math.max(200, rows.length * 40 + 60),
	};
}
