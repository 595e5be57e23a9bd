import { describe, it, expect } from 'vitest';
import { regionOptions, regionLabel, REGION_PROPS } from './useRegions.js';

// check_region() of src/domain/form.c: 1–3 six-digit codes, each level
// keeping its parent's prefix and adding a non-zero part of its own.
function serverAccepts(codes) {
	if (codes.length > 3 || codes.some((c) => !/^\d{6}$/.test(c)))
		return false;
	const [p, c, d] = codes;
	if (p.startsWith('00') || p.slice(2) !== '0000')
		return false;
	if (c && (c.slice(0, 2) !== p.slice(0, 2) || c.slice(2, 4) === '00' || c.slice(4) !== '00'))
		return false;
	if (d && (d.slice(0, 4) !== c.slice(0, 4) || d.slice(4) === '00'))
		return false;
	return true;
}

describe('useRegions', () => {
	it('offers {text, value, children} for the cascader', () => {
		const opts = regionOptions();
		expect(REGION_PROPS.label).toBe('text');
		expect(opts.length).toBeGreaterThanOrEqual(31);
		const gd = opts.find((o) => o.value === '440000');
		expect(gd.text).toBe('广东省');
		expect(gd.children.find((c) => c.value === '440300').text).toBe('深圳市');
	});

	it('gives only code paths the server accepts', () => {
		const bad = [];
		let n = 0;
		for (const p of regionOptions())
			for (const c of p.children || [])
				for (const d of c.children || [[]]) {
					const path = d.value ? [p.value, c.value, d.value] : [p.value, c.value];
					n++;
					if (!serverAccepts(path))
						bad.push(path.join('/'));
				}
		expect(n).toBeGreaterThan(2800);
		expect(bad).toEqual([]);
	});

	it('names a code path', () => {
		expect(regionLabel(['440000', '440300', '440305'])).toBe('广东省 / 深圳市 / 南山区');
		expect(regionLabel([])).toBe('');
	});
});
