import { describe, it, expect } from 'vitest';
import schema from '../../../catalog/forms/2026.json';
import {
	countChars, hasControlChars, isFilled, isActive, isRequired, resolveErrorPath, parsePath,
	tableLimits, canAddRow, canRemoveRow, prepareDoc, newRow, parseNumberText, textLimits,
	itemsLimit, numberLimits, trackDirectionOption, fieldAt, hasContent,
} from './schema.js';

describe('countChars mirrors form_count_chars()', () => {
	// The cases of tests/unit/test_form.c test_count_chars().
	const cases = [
		['', 0],
		['   \t\r\n', 0],
		['数据要素大赛', 6],
		['数据要素大赛 AI平台，2026年。', 18],
		['a\r\nb', 3],
		['a\nb', 3],
		['a\rb', 3],
		['ab  \n\n', 2],
		['\r\n\r\nab', 2],
		['　数据　', 2],
		['数　据', 3],
		['😀', 1],
		['👨‍👩‍👧', 5],
		['𠮷野家', 3],
		[' x ', 1],
		['\t中文\t', 2],
	];
	for (const [s, n] of cases)
		it(`${JSON.stringify(s)} → ${n}`, () => expect(countChars(s)).toBe(n));

	it('trims only what the server trims', () => {
		// No-break space and vertical tab are not trimmed by form.c.
		expect(countChars('\u00a0a\u00a0')).toBe(3);
		expect(countChars('\u000ba')).toBe(2);
	});

	it('is 0 for what is not text', () => {
		expect(countChars(null)).toBe(0);
		expect(countChars(undefined)).toBe(0);
		expect(countChars(12)).toBe(0);
	});

	it('spots control characters as check_text() does', () => {
		expect(hasControlChars('a\tb\r\nc')).toBe(false);
		expect(hasControlChars('a\u0001b')).toBe(true);
		expect(hasControlChars('a\u007fb')).toBe(true);
	});
});

describe('isFilled mirrors filled()', () => {
	const text = { kind: 'text' };
	it('treats absent, null, blank and empty as not filled', () => {
		expect(isFilled(text, undefined)).toBe(false);
		expect(isFilled(text, null)).toBe(false);
		expect(isFilled(text, ' \u3000\r\n')).toBe(false);
		expect(isFilled({ kind: 'multiselect' }, [])).toBe(false);
		expect(isFilled({ kind: 'year_month_range' }, {})).toBe(false);
		expect(isFilled({ kind: 'group' }, {})).toBe(false);
	});
	it('counts false and 0 as filled', () => {
		expect(isFilled({ kind: 'boolean' }, false)).toBe(true);
		expect(isFilled({ kind: 'integer' }, 0)).toBe(true);
		expect(isFilled(text, ' a ')).toBe(true);
	});
});

describe('when conditions as active() evaluates them', () => {
	const fields = [
		{ key: 'listed', kind: 'boolean' },
		{ key: 'stock_code', kind: 'text', when: { field: 'listed', is_true: true } },
		{ key: 'unlisted_note', kind: 'text', when: { field: 'listed', is_true: false } },
		{ key: 'stage', kind: 'select', options: ['规划', '建设', '运营'] },
		{ key: 'users', kind: 'integer', when: { field: 'stage', in: ['建设', '运营'] } },
		{ key: 'unit_type', kind: 'select', options: ['企业', '其他'] },
		{ key: 'size', kind: 'select', when: { field: 'unit_type', equals: '企业' } },
		// Hidden when its own condition's field is hidden.
		{ key: 'size_note', kind: 'text', when: { field: 'size', equals: '大' } },
		{ key: 'tags', kind: 'multiselect', options: ['x', 'y'] },
		{ key: 'tag_x', kind: 'text', when: { field: 'tags', equals: 'x' } },
	];
	const at = (key, obj) => isActive(fields, obj, fields.findIndex((f) => f.key === key));

	it('is_true: true shows only for true', () => {
		expect(at('stock_code', { listed: true })).toBe(true);
		expect(at('stock_code', { listed: false })).toBe(false);
		expect(at('stock_code', {})).toBe(false);
		expect(at('stock_code', { listed: 'true' })).toBe(false);
	});
	it('is_true: false shows whenever the sibling is not true', () => {
		expect(at('unlisted_note', {})).toBe(true);
		expect(at('unlisted_note', { listed: false })).toBe(true);
		expect(at('unlisted_note', { listed: true })).toBe(false);
	});
	it('in', () => {
		expect(at('users', { stage: '运营' })).toBe(true);
		expect(at('users', { stage: '规划' })).toBe(false);
		expect(at('users', {})).toBe(false);
	});
	it('equals, and a chain through a hidden sibling', () => {
		expect(at('size', { unit_type: '企业' })).toBe(true);
		expect(at('size', { unit_type: '其他' })).toBe(false);
		expect(at('size_note', { unit_type: '企业', size: '大' })).toBe(true);
		expect(at('size_note', { unit_type: '其他', size: '大' })).toBe(false);
	});
	it('equals on an array sibling means "holds"', () => {
		expect(at('tag_x', { tags: ['y', 'x'] })).toBe(true);
		expect(at('tag_x', { tags: ['y'] })).toBe(false);
	});
	it('fields without when are always shown', () => {
		expect(at('listed', undefined)).toBe(true);
	});

	it('works on the real schema: 其他 names and 推荐渠道', () => {
		const project = schema.sections.find((s) => s.key === 'project').fields;
		const ch = project.findIndex((f) => f.key === 'source_channel');
		expect(isActive(project, { source: '推荐渠道' }, ch)).toBe(true);
		expect(isActive(project, { source: '广东省' }, ch)).toBe(false);
		const units = schema.sections.find((s) => s.key === 'units').table.columns;
		const parent = units.findIndex((f) => f.key === 'parent_company');
		expect(isActive(units, { is_soe_subsidiary: true }, parent)).toBe(true);
		expect(isActive(units, { is_soe_subsidiary: false }, parent)).toBe(false);
	});

	it('other_key becomes required once 其他 is chosen', () => {
		const project = schema.sections.find((s) => s.key === 'project').fields;
		const other = project.findIndex((f) => f.key === 'scenarios_other');
		expect(isRequired(project, { scenarios: ['公共服务'] }, other)).toBe(false);
		expect(isRequired(project, { scenarios: ['公共服务', '其他'] }, other)).toBe(true);
	});
});

describe('error paths map to the fields that show them', () => {
	const r = (p) => resolveErrorPath(schema, p);

	it('parses paths', () => {
		expect(parsePath('value.cases[0].period.start')).toEqual([
			{ key: 'value' }, { key: 'cases', index: 0 }, { key: 'period' }, { key: 'start' },
		]);
		expect(parsePath('members[12].id_number')).toEqual([{ key: 'members', index: 12 }, { key: 'id_number' }]);
	});
	it('maps leaf fields, rows and nested groups', () => {
		expect(r('basic.lead_uscc')).toEqual({ section: 'basic', step: 0, target: 'basic.lead_uscc' });
		expect(r('members[1].id_number')).toEqual({ section: 'members', step: 1, target: 'members[1].id_number' });
		expect(r('units[0].revenue.growth').target).toBe('units[0].revenue.growth');
		expect(r('market.sources.purchase.vendors.volume_gb').target).toBe('market.sources.purchase.vendors.volume_gb');
		expect(r('units[2].data_use.supply.datasets.broker_trades').target).toBe('units[2].data_use.supply.datasets.broker_trades');
	});
	it('cuts tails the page has no field for', () => {
		expect(r('value.cases[0].period.start').target).toBe('value.cases[0].period');
		expect(r('market.service_targets[1]').target).toBe('market.service_targets');
		expect(r('value.industries[0]').target).toBe('value.industries');
		expect(r('basic.nonsense').target).toBe('basic');
		expect(r('ip.property.patents[0].name').target).toBe('ip.property.patents[0].name');
	});
	it('maps rule and table errors to their group or table', () => {
		expect(r('value.effects')).toEqual({ section: 'value', step: 1, target: 'value.effects' });
		expect(r('members')).toEqual({ section: 'members', step: 1, target: 'members' });
		expect(r('units').target).toBe('units');
		expect(r('market.data_types').target).toBe('market.data_types');
	});
	it('sends attachment errors to the 附件 step', () => {
		expect(r('attachments.ppt')).toEqual({ section: 'attachments', step: 2, target: 'attachments.ppt' });
	});
	it('knows nothing of unknown sections', () => {
		expect(r('nope.x')).toBe(null);
		expect(r('')).toBe(null);
	});
});

describe('tables', () => {
	const members = { kind: 'table', ...schema.sections.find((s) => s.key === 'members').table };
	const patents = fieldAt(schema, 'ip.property.patents');

	it('reads the limits', () => {
		expect(tableLimits(members)).toEqual({ min: 1, max: 5 });
		expect(tableLimits(patents)).toEqual({ min: 0, max: 200 });
	});
	it('adds up to max_rows and removes down to min_rows', () => {
		expect(canAddRow(members, 4)).toBe(true);
		expect(canAddRow(members, 5)).toBe(false);
		expect(canRemoveRow(members, 1)).toBe(false);
		expect(canRemoveRow(members, 2)).toBe(true);
		expect(canRemoveRow(patents, 1)).toBe(true);
		expect(canRemoveRow(patents, 0)).toBe(false);
	});
	it('prepares a new document with the rows it needs', () => {
		const doc = prepareDoc(schema, { basic: { competition: 'guangdong-2026' } });
		expect(doc.members).toEqual([{}]);
		expect(doc.units).toEqual([{}]);
		expect(doc.value.cases).toEqual([{}]);
		expect(doc.ip).toBeUndefined();
		// Existing rows are kept.
		const d2 = prepareDoc(schema, { members: [{ name: 'a' }, { name: 'b' }] });
		expect(d2.members).toHaveLength(2);
	});
	it('makes empty rows and spots typed ones', () => {
		expect(newRow(members.columns)).toEqual({});
		expect(hasContent({})).toBe(false);
		expect(hasContent({ name: '  ', tags: [] })).toBe(false);
		expect(hasContent({ is_contact: false })).toBe(true);
	});
});

describe('limits and numbers', () => {
	it('text max defaults to 200', () => {
		expect(textLimits({ kind: 'text' })).toEqual({ min: null, max: 200 });
		expect(textLimits(fieldAt(schema, 'project.summary')).max).toBe(1000);
	});
	it('item limits', () => {
		expect(itemsLimit(fieldAt(schema, 'value.cases.industry'))).toBe(1);
		expect(itemsLimit(fieldAt(schema, 'value.industries'))).toBe(1000);
		expect(itemsLimit(fieldAt(schema, 'market.service_targets'))).toBe(4);
	});
	it('number limits follow load_limits()', () => {
		expect(numberLimits({ kind: 'percent' })).toEqual({ min: 0, max: 100, scale: 2 });
		expect(numberLimits({ kind: 'percent', min: -100, max: 100000 })).toEqual({ min: -100, max: 100000, scale: 2 });
		expect(numberLimits({ kind: 'decimal', scale: 4 })).toEqual({ min: 0, max: null, scale: 4 });
		expect(numberLimits({ kind: 'integer' })).toEqual({ min: 0, max: null, scale: 0 });
	});
	it('parses number boxes', () => {
		expect(parseNumberText('integer', '')).toBe(null);
		expect(parseNumberText('integer', ' 12 ')).toBe(12);
		expect(parseNumberText('integer', '１２')).toBe(12);
		expect(parseNumberText('integer', '1.5')).toBe('1.5');
		expect(parseNumberText('decimal', '12.50')).toBe(12.5);
		expect(parseNumberText('decimal', '12.')).toBe(12);
		expect(parseNumberText('percent', '-3.25')).toBe(-3.25);
		expect(parseNumberText('decimal', 'abc')).toBe('abc');
		expect(parseNumberText('decimal', '-')).toBe('-');
	});
	it('finds the 赛道及参赛方向 option of a track', () => {
		const opts = fieldAt(schema, 'project.track_direction').options;
		expect(trackDirectionOption(opts, '交通运输')).toBe('交通运输');
		expect(trackDirectionOption(opts, '数据基础设施')).toBe('数据基础设施赛道');
		expect(trackDirectionOption(opts, '不存在')).toBe(null);
	});
});
