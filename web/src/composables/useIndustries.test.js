import { describe, it, expect } from 'vitest';
import { industryGroups, industryName } from './useIndustries.js';

describe('useIndustries', () => {
	it('lists the 中类 of GB/T 4754-2017 under their 大类', () => {
		const groups = industryGroups();
		const codes = groups.flatMap((g) => g.options.map((o) => o.value));
		expect(codes.length).toBe(473);
		expect(new Set(codes).size).toBe(codes.length);
		expect(codes.every((c) => /^\d{3}$/.test(c))).toBe(true);
		expect(groups[0]).toMatchObject({ label: '01 农业', section: 'A 农、林、牧、渔业' });
		expect(groups[0].options[0]).toEqual({ value: '011', label: '011 谷物种植' });
		// Group values never collide with a code (el-select-v2 keys).
		expect(groups.every((g) => !/^\d{3}$/.test(g.value))).toBe(true);
	});

	it('names a code', () => {
		expect(industryName('541')).toBe('城市公共交通运输');
		expect(industryName('999')).toBe('');
	});
});
