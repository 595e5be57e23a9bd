import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { mount, flushPromises } from '@vue/test-utils';
import { reactive, nextTick } from 'vue';
import ElementPlus from 'element-plus';
import schema from '../../../catalog/forms/2026.json';
import SchemaForm from './SchemaForm.vue';
import { prepareDoc, stepOfSection } from './schema.js';

const tracks = [
	{ key: 'transportation', name: '交通运输', heading: '赛道四：交通运输赛道', topics: [{ no: 1, title: '综合客运枢纽', description: '打通…' }, { no: 2, title: '物流', description: '' }] },
	{ key: 'sports', name: '体育发展', heading: '赛道十四：体育发展赛道', topics: [{ no: 1, title: '科学健身', description: '' }] },
];

// Mounting the whole of step 02 (some 250 fields) is slow under
// happy-dom: it is mounted once and shared; small cases use a part of
// the schema (`only`).
function render(step, { doc = {}, errors = {}, readonly = false, only = null } = {}) {
	const d = reactive(prepareDoc(schema, { basic: { competition: 'guangdong-2026' }, ...doc }));
	const s = only ? { ...schema, sections: schema.sections.filter((x) => only.includes(x.key)) } : schema;
	const w = mount(SchemaForm, {
		props: { schema: s, doc: d, step, tracks, competitionName: '2026年“数据要素×”大赛广东分赛', errors, readonly, eager: true },
		global: { plugins: [ElementPlus] },
	});
	return { w, d };
}

vi.setConfig({ testTimeout: 60000 });

let big;
const errors = reactive({});
beforeAll(() => {
	big = render(1, { errors });
}, 120000);
afterAll(() => big.w.unmount());

const labels = (w) => w.findAll('.el-form-item__label').map((l) => l.text());

describe('SchemaForm on the real 2026 schema', () => {
	it('renders the sections one by one unless eager, and says when all are there', async () => {
		const d = reactive(prepareDoc(schema, {}));
		const only = { ...schema, sections: schema.sections.filter((x) => ['team', 'intro', 'ip'].includes(x.key)) };
		const w = mount(SchemaForm, { props: { schema: only, doc: d, step: 1 }, global: { plugins: [ElementPlus] } });
		expect(w.findAll('.sw-section--pending').length).toBe(2);
		await w.vm.ready();
		await nextTick();
		expect(w.findAll('.sw-section--pending').length).toBe(0);
		expect(w.find('[data-field="ip.other_materials"]').exists()).toBe(true);
		w.unmount();
	});

	it('renders every section of each step with its title', () => {
		const want0 = schema.sections.filter((s) => stepOfSection(s) === 0).map((s) => s.title);
		const want1 = schema.sections.filter((s) => stepOfSection(s) === 1).map((s) => s.title);
		expect(want0).toEqual(['基础信息']);
		expect(want1.length).toBe(8);
		const { w } = render(0);
		expect(w.findAll('.sw-section__title').map((t) => t.text())).toEqual(want0);
		w.unmount();
		expect(big.w.findAll('.sw-section__title').map((t) => t.text())).toEqual(want1);
		// Every section carries its key for the 目录 and the error links.
		for (const s of schema.sections.filter((x) => stepOfSection(x) === 1))
			expect(big.w.find(`section#sec-${s.key}[data-field="${s.key}"]`).exists()).toBe(true);
	});

	it('step 01 shows the basic fields with the schema labels, marks and data-field', async () => {
		const { w } = render(0);
		await flushPromises();
		const l = labels(w);
		for (const name of ['赛事', '赛道', '赛题', '牵头单位名称', '成立时间', '组织机构或统一社会信用代码', '赛事联系人', '联系人手机号', '联系邮箱', '通讯地址', '所在地区'])
			expect(l).toContain(name);
		const f = w.find('[data-field="basic.lead_unit_name"]');
		expect(f.exists()).toBe(true);
		expect(f.find('.el-form-item').classes()).toContain('is-required');
		expect(f.find('input').attributes('placeholder')).toBe('请输入牵头单位名称');
		// The label is tied to its input.
		const id = f.find('input').attributes('id');
		expect(id).toBeTruthy();
		expect(f.find('label').attributes('for')).toBe(id);
		// Limited text shows its counter.
		expect(f.find('.sw-count').text()).toBe('0/200');
		// The competition is shown by name and cannot be changed.
		const comp = w.find('[data-field="basic.competition"] input');
		expect(comp.element.value).toContain('广东分赛');
		expect(comp.attributes('disabled')).toBeDefined();
		w.unmount();
	});

	it('step 02 shows a sample of fields, groups, tables and limits', () => {
		const { w } = big;
		const l = labels(w);
		for (const name of ['项目名称', '赛道及参赛方向', '项目简述', '项目覆盖场景', '1.项目服务对象', '数据量', '增速', '1.上年度项目服务的客户数量', '2.项目适用行业',
			'应用单位名称', '实施起止时间', '团队名称', '姓名', '证件类型', '证件号码', '是否团队联络人', '是否牵头单位', '统一社会信用代码', '地址', '单位简介',
			'一、（一）项目背景', '二、（二）技术路线', '3.其他证明材料'])
			expect(l).toContain(name);
		const text = w.text();
		for (const g of ['3.项目数据来源', '（1）自有数据', '政府开放数据', '营收', '词元（Token）消耗量', '团队成员 1', '参赛单位 1', '案例 1'])
			expect(text).toContain(g);
		expect(w.find('[data-field="project.summary"] .sw-count-line').text()).toContain('0/1000');
		expect(w.find('[data-field="intro.technical_route"] .sw-count-line').text()).toContain('0/4000');
		expect(w.find('[data-field="intro.technical_route"] .sw-guidance').text()).toContain('技术架构');
		expect(text).toContain('最多添加5名');
		expect(w.find('[data-field="market.sources.purchase.vendors.cost"]').exists()).toBe(true);
		expect(w.find('[data-field="units[0].data_use.supply.datasets.broker_trades"]').exists()).toBe(true);
		expect(w.find('[data-field="value.cases[0].period"]').exists()).toBe(true);
		// Every leaf field of the schema that is shown without a condition
		// has its wrapper (rows: the first one).
		const missing = [];
		const walk = (fields, base) => {
			for (const f of fields) {
				const p = `${base}.${f.key}`;
				if (f.when || (fields.some((o) => o.other_key === f.key)))
					continue;
				if (f.kind === 'group')
					walk(f.fields, p);
				else if (f.kind === 'table' && f.min_rows > 0)
					walk(f.columns, `${p}[0]`);
				else if (f.kind === 'table')
					expect(w.find(`.sw-table[data-field="${p}"]`).exists()).toBe(true);
				else if (!w.find(`[data-field="${p}"]`).exists() && !(f.kind === 'table'))
					missing.push(p);
			}
		};
		for (const s of schema.sections.filter((x) => stepOfSection(x) === 1))
			if (s.fields)
				walk(s.fields.filter((f) => !(f.kind === 'table' && !(f.min_rows > 0))), s.key);
			else
				walk(s.table.columns, `${s.key}[0]`);
		expect(missing).toEqual([]);
	});

	it('counts characters as the server does while typing', async () => {
		const { w, d } = big;
		const ta = w.find('[data-field="project.summary"] textarea');
		await ta.setValue('  数据\r\n要素　');
		expect(d.project.summary).toBe('  数据\r\n要素　');
		expect(w.find('[data-field="project.summary"] .sw-count-line').text()).toContain('5/1000');
		await ta.setValue('字'.repeat(1001));
		const line = w.find('[data-field="project.summary"] .sw-count-line');
		expect(line.classes()).toContain('is-over');
		expect(line.text()).toContain('已超出 1 字');
	});

	it('shows and hides fields by their when conditions', async () => {
		const { w, d } = big;
		expect(w.find('[data-field="project.source_channel"]').exists()).toBe(false);
		d.project.source = '推荐渠道';
		await nextTick();
		const f = w.find('[data-field="project.source_channel"]');
		expect(f.exists()).toBe(true);
		expect(f.find('.el-form-item').classes()).toContain('is-required');
		// 其他 without a when: shown once 其他 is chosen.
		expect(w.find('[data-field="project.scenarios_other"]').exists()).toBe(false);
		d.project.scenarios = ['其他'];
		await nextTick();
		expect(w.find('[data-field="project.scenarios_other"] .el-form-item').classes()).toContain('is-required');
		// Inside a table row.
		expect(w.find('[data-field="units[0].parent_company"]').exists()).toBe(false);
		d.units[0].is_soe_subsidiary = true;
		await nextTick();
		expect(w.find('[data-field="units[0].parent_company"]').exists()).toBe(true);
		// A 其他 name shown only while its 勾选框 is ticked.
		expect(w.find('[data-field="market.data_types.other.name"]').exists()).toBe(false);
		await w.find('[data-field="market.data_types.other.selected"] input[type="checkbox"]').setValue(true);
		expect(w.find('[data-field="market.data_types.other.name"]').exists()).toBe(true);
	});

	it('writes typed values to the document at their path', async () => {
		const { w, d } = big;
		await w.find('[data-field="members[0].name"] input').setValue('张三');
		expect(d.members[0].name).toBe('张三');
		await w.find('[data-field="market.sources.own.volume_gb"] input').setValue('5200.5');
		expect(d.market.sources.own.volume_gb).toBe(5200.5);
		await w.find('[data-field="value.customers"] input').setValue('36');
		expect(d.value.customers).toBe(36);
		// Clearing removes the key.
		await w.find('[data-field="value.customers"] input').setValue('');
		expect('customers' in d.value).toBe(false);
		await w.find('[data-field="market.sources.open.government.selected"] input[type="checkbox"]').setValue(true);
		expect(d.market.sources.open.government.selected).toBe(true);
		// 是/否
		await w.find('[data-field="units[0].funding_need"] input[type="radio"][value="false"]').setValue(true);
		expect(d.units[0].funding_need).toBe(false);
		// A multiselect check box.
		await w.find('[data-field="market.service_targets"] input[type="checkbox"][value="企业"]').setValue(true);
		expect(d.market.service_targets).toEqual(['企业']);
	});

	it('shows the server errors under their fields, groups and tables', async () => {
		const { w } = big;
		errors['members[0].id_number'] = ['团队成员第 1 行：证件号码校验位不正确'];
		errors['value.effects'] = ['项目应用成效至少填2项'];
		errors.units = ['参赛单位中须有且仅有一家牵头单位'];
		// el-form-item shows its error after a 100 ms debounce.
		await new Promise((r) => setTimeout(r, 150));
		await flushPromises();
		expect(w.find('[data-field="members[0].id_number"] .el-form-item__error').text()).toContain('校验位不正确');
		expect(w.find('.sw-group[data-field="value.effects"] [role="alert"]').text()).toBe('项目应用成效至少填2项');
		expect(w.find('.sw-table[data-field="units"] [role="alert"]').text()).toContain('牵头单位');
		// Typing in the field asks the page to drop its error.
		await w.find('[data-field="members[0].id_number"] input').setValue('110');
		expect(w.emitted('clear-errors')).toContainEqual(['members[0].id_number', false]);
	});

	it('adds and removes table rows within min_rows and max_rows', async () => {
		const { w, d } = render(1, { only: ['members', 'ip'] });
		const table = () => w.find('.sw-table[data-field="members"]');
		const addBtn = () => table().findAll('button').find((b) => b.text().includes('添加一行'));
		const removeBtn = (i) => table().find(`[data-field="members[${i}]"] .sw-row__remove`);
		expect(d.members).toHaveLength(1);
		expect(removeBtn(0).attributes('disabled')).toBeDefined();
		for (let i = 0; i < 4; i++)
			await addBtn().trigger('click');
		expect(d.members).toHaveLength(5);
		expect(table().findAll('.sw-row')).toHaveLength(5);
		expect(table().text()).toContain('团队成员 5');
		expect(addBtn().attributes('disabled')).toBeDefined();
		await addBtn().trigger('click');
		expect(d.members).toHaveLength(5);
		// Empty rows go without asking.
		await removeBtn(4).trigger('click');
		await nextTick();
		await nextTick();
		expect(d.members).toHaveLength(4);
		expect(addBtn().attributes('disabled')).toBeUndefined();
		// A table with min_rows 0 starts empty and can go back to empty.
		const patents = () => w.find('.sw-table[data-field="ip.property.patents"]');
		expect(patents().findAll('.sw-row')).toHaveLength(0);
		await patents().findAll('button').find((b) => b.text().includes('添加一行')).trigger('click');
		expect(d.ip.property.patents).toEqual([{}]);
		await patents().find('.sw-row__remove').trigger('click');
		await nextTick();
		await nextTick();
		expect(d.ip.property.patents).toEqual([]);
		w.unmount();
	});

	it('picks the topic from the chosen track and clears it when the track changes', async () => {
		const { w, d } = render(0, { doc: { basic: { competition: 'guangdong-2026', track: 'transportation', topic: 2 } } });
		expect(w.find('[data-field="basic.topic"] .el-select').classes()).not.toContain('is-disabled');
		const track = w.findAllComponents({ name: 'ElSelect' }).find((c) => c.element.closest('[data-field="basic.track"]'));
		track.vm.$emit('update:modelValue', 'sports');
		await nextTick();
		expect(d.basic.track).toBe('sports');
		expect('topic' in d.basic).toBe(false);
		w.unmount();
	});

	it('renders read-only records with every input disabled and no row buttons', () => {
		const { w } = render(1, { readonly: true, only: ['project', 'members'] });
		expect(w.find('[data-field="project.name"] input').attributes('disabled')).toBeDefined();
		expect(w.find('[data-field="members[0].name"] input').attributes('disabled')).toBeDefined();
		expect(w.findAll('button').filter((b) => b.text().includes('添加一行'))).toHaveLength(0);
		w.unmount();
	});
});
