import { useCascaderAreaData } from '@vant/area-data';

// Province / city / district options for el-cascader, from @vant/area-data
// ({text, value, children}; use props { label: 'text' }). The server
// takes 1–3 six-digit codes, each keeping its parent's prefix (check_region
// in src/domain/form.c); these codes do.

let options = null;

export const REGION_PROPS = Object.freeze({ label: 'text', value: 'value', children: 'children' });

export function regionOptions() {
	if (!options)
		options = Object.freeze(useCascaderAreaData());
	return options;
}

// "广东省 / 深圳市 / 南山区" for a code path (codes not found are shown as is).
export function regionLabel(codes) {
	if (!Array.isArray(codes) || !codes.length)
		return '';
	const names = [];
	let level = regionOptions();
	for (const c of codes) {
		const node = (level || []).find((n) => n.value === c);
		names.push(node ? node.text : String(c));
		level = node?.children;
	}
	return names.join(' / ');
}

export function useRegions() {
	return { options: regionOptions(), props: REGION_PROPS, label: regionLabel };
}
