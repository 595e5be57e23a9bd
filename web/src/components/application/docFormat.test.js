import { describe, it, expect } from 'vitest';
import {
	isFilled, whenHolds, fieldLabel, visibleEntries, runs, tableAsGrid, filledColumns, formatValue,
	isCompactGroup,
} from './docFormat.js';

const competition = {
	slug: 'guangdong-2026',
	name: '2026年“数据要素×”大赛广东分赛',
	tracks: [{ key: 'transportation', name: '交通运输', heading: '赛道四：交通运输赛道', topics: [{ no: 2, title: '高速公路数据“上图上车”' }] }],
};

describe('isFilled', () => {
	it('follows the server: absent, null, blank, [] and {} are empty', () => {
		for (const v of [undefined, null, '', '  \u3000\n', [], {}])
			expect(isFilled(v)).toBe(false);
		for (const v of ['a', 0, false, [1], { a: 1 }])
			expect(isFilled(v)).toBe(true);
	});
});

describe('whenHolds', () => {
	it('reads equals, in and is_true', () => {
		expect(whenHolds({ when: { field: 'source', equals: '推荐渠道' } }, { source: '推荐渠道' })).toBe(true);
		expect(whenHolds({ when: { field: 'source', equals: '推荐渠道' } }, { source: '广东省' })).toBe(false);
		expect(whenHolds({ when: { field: 't', in: ['a', 'b'] } }, { t: 'b' })).toBe(true);
		expect(whenHolds({ when: { field: 'selected', is_true: true } }, { selected: true })).toBe(true);
		expect(whenHolds({ when: { field: 'selected', is_true: true } }, {})).toBe(false);
		expect(whenHolds({ when: { field: 'selected', is_true: false } }, { selected: false })).toBe(true);
		expect(whenHolds({}, {})).toBe(true);
	});
});

describe('fieldLabel', () => {
	it('puts the printed numbering in front', () => {
		expect(fieldLabel({ label: '项目服务对象', number: '1.' })).toBe('1. 项目服务对象');
		expect(fieldLabel({ label: '自有数据', number: '（1）' })).toBe('（1）自有数据');
		expect(fieldLabel({ label: '团队名称' })).toBe('团队名称');
	});
});

describe('visibleEntries and runs', () => {
	const fields = [
		{ key: 'source', label: '项目来源', kind: 'select' },
		{ key: 'source_channel', label: '推荐渠道', kind: 'text', when: { field: 'source', equals: '推荐渠道' } },
		{ key: 'summary', label: '项目简述', kind: 'textarea' },
		{ key: 'own', label: '自有数据', kind: 'group', fields: [{ key: 'volume_gb', label: '数据量', kind: 'decimal', unit: 'GB' }] },
		{ key: 'cases', label: '案例', kind: 'table', columns: [{ key: 'name', label: '名称', kind: 'text' }] },
		{ key: 'empty_group', label: '空', kind: 'group', fields: [{ key: 'x', label: 'x', kind: 'text' }] },
	];

	it('leaves out empty values, hidden fields and groups with nothing in them', () => {
		const v = { source: '广东省', source_channel: '某渠道', summary: ' ', own: { volume_gb: 5 }, cases: [{}], empty_group: { x: '' } };
		expect(visibleEntries(fields, v).map((e) => e.field.key)).toEqual(['source', 'own']);
		expect(visibleEntries(fields, { source: '推荐渠道', source_channel: '某渠道' }).map((e) => e.field.key))
			.toEqual(['source', 'source_channel']);
		expect(visibleEntries(fields, null)).toEqual([]);
	});

	it('keeps plain values and compact groups together between tables', () => {
		const v = { source: '广东省', own: { volume_gb: 5 }, cases: [{ name: 'a' }], summary: '简述' };
		const r = runs(visibleEntries(fields, v));
		expect(r.map((x) => [x.kind, x.entries.map((e) => e.field.key)])).toEqual([
			['values', ['source', 'summary', 'own']],
			['table', ['cases']],
		]);
	});

	it('tells a compact group from one with groups inside', () => {
		expect(isCompactGroup(fields[3])).toBe(true);
		expect(isCompactGroup({ kind: 'group', fields: [fields[3]] })).toBe(false);
		expect(isCompactGroup({ kind: 'group', fields: [{ kind: 'textarea' }] })).toBe(false);
	});
});

describe('tables', () => {
	it('draws a grid for short cells, blocks for rows full of text or groups', () => {
		expect(tableAsGrid([{ kind: 'text' }, { kind: 'textarea' }, { kind: 'boolean' }])).toBe(true);
		expect(tableAsGrid([{ kind: 'text' }, { kind: 'textarea' }, { kind: 'textarea' }])).toBe(false);
		expect(tableAsGrid([{ kind: 'text' }, { kind: 'group', fields: [] }])).toBe(false);
	});
	it('shows only the columns some row fills', () => {
		const cols = [{ key: 'a', kind: 'text' }, { key: 'b', kind: 'text' }, { key: 'c', kind: 'text', when: { field: 'a', equals: 'z' } }];
		expect(filledColumns(cols, [{ a: '1', c: 'hidden' }, { a: '2' }]).map((c) => c.key)).toEqual(['a']);
	});
});

describe('formatValue', () => {
	const ctx = {
		competition,
		regionName: (c) => ({ 440000: '广东省', 440300: '深圳市', 440305: '南山区' }[c] || ''),
		industryName: (c) => ({ 541: '城市公共交通运输' }[c] || ''),
	};
	const f = (kind, extra = {}) => ({ key: 'k', label: 'L', kind, ...extra });

	it('writes each kind as text', () => {
		expect(formatValue(f('boolean'), true)).toBe('是');
		expect(formatValue(f('boolean'), false)).toBe('否');
		expect(formatValue(f('decimal', { unit: 'GB' }), 320.5)).toBe('320.5 GB');
		expect(formatValue(f('percent', { unit: '%' }), -12.5)).toBe('-12.5%');
		expect(formatValue(f('integer'), 0)).toBe('0');
		expect(formatValue(f('multiselect'), ['政府', '企业'])).toBe('政府、企业');
		expect(formatValue(f('year_month_range'), { start: '2024-03', end: '2025-06' })).toBe('2024-03 至 2025-06');
		expect(formatValue(f('region'), ['440000', '440300', '440305'], {}, ctx)).toBe('广东省 / 深圳市 / 南山区');
		expect(formatValue(f('industries'), ['541', '999'], {}, ctx)).toBe('541 城市公共交通运输；999');
		expect(formatValue(f('text'), '')).toBe('');
	});

	it('names the sub-contest, track and topic from the catalog', () => {
		expect(formatValue(f('competition'), 'guangdong-2026', {}, ctx)).toBe('2026年“数据要素×”大赛广东分赛');
		expect(formatValue(f('track'), 'transportation', {}, ctx)).toBe('赛道四：交通运输赛道');
		expect(formatValue(f('topic'), 2, { track: 'transportation' }, ctx)).toBe('赛题2：高速公路数据“上图上车”');
		expect(formatValue(f('topic'), 9, { track: 'transportation' }, ctx)).toBe('赛题9');
		expect(formatValue(f('track'), 'gone', {}, ctx)).toBe('gone');
	});

	it('puts a compact group on one line without repeating its flag', () => {
		const g = {
			key: 'vendors', label: '数据商', kind: 'group', fields: [
				{ key: 'selected', label: '数据商', kind: 'boolean' },
				{ key: 'volume_gb', label: '数据量', kind: 'decimal', unit: 'GB' },
				{ key: 'cost', label: '购数费用', kind: 'decimal', unit: '万元' },
				{ key: 'name', label: '名称', kind: 'text', when: { field: 'selected', is_true: false } },
			],
		};
		expect(formatValue(g, { selected: true, volume_gb: 120, cost: 35, name: 'x' })).toBe('是；数据量 120 GB；购数费用 35 万元');
	});
});
