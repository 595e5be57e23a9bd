import { describe, it, expect } from 'vitest';
import { mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import DateField from './DateField.vue';
import RegionField from './RegionField.vue';

// axe fails aria-expanded on an input without a role (critical); both
// wrapped widgets must come out as comboboxes.
describe('combobox role on popup inputs', () => {
	for (const [name, comp] of [['date', DateField], ['region', RegionField]]) {
		it(`${name}: an input with aria-expanded is a combobox, others get no role`, async () => {
			const w = mount(comp, {
				props: { field: { key: 'x', label: '日期', kind: name } },
				global: { plugins: [ElementPlus] },
				attachTo: document.body,
			});
			const inputs = w.findAll('input');
			expect(inputs.length).toBeGreaterThan(0);
			// Element Plus may add aria-expanded later: that is seen too.
			inputs[0].element.setAttribute('aria-expanded', 'false');
			await new Promise((r) => setTimeout(r, 0));
			for (const i of w.findAll('input'))
				expect(i.attributes('role') === 'combobox').toBe(i.attributes('aria-expanded') !== undefined);
			w.unmount();
		});
	}
});
