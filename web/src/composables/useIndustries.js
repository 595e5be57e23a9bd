import data from '../../../catalog/data/gbt4754-2017.json';

// GB/T 4754-2017 (国民经济行业分类) for the `industries` kind: the server
// checks 3-digit 中类 codes against this very file
// (catalog/data/gbt4754-2017.json), which the form endpoint does not
// serve, so it is bundled at build time.

let groups = null;
let names = null;

// [{ value: 'division-01', label: '01 农业', section: 'A 农、林、牧、渔业', options: [{ value: '011', label: '011 谷物种植' }] }]
export function industryGroups() {
	if (!groups) {
		groups = [];
		names = new Map();
		for (const s of data.sections || [])
			for (const d of s.divisions || []) {
				const options = (d.groups || []).map((g) => {
					names.set(g.code, g.name);
					return { value: g.code, label: `${g.code} ${g.name}` };
				});
				if (options.length)
					groups.push({ value: `division-${d.code}`, label: `${d.code} ${d.name}`, section: `${s.code} ${s.name}`, options });
			}
	}
	return groups;
}

export function industryName(code) {
	industryGroups();
	return names.get(code) || '';
}

export function useIndustries() {
	return { groups: industryGroups(), name: industryName };
}
