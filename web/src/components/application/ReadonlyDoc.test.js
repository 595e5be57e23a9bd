import { describe, it, expect } from 'vitest';
import { mount } from '@vue/test-utils';
import schema from '../../../../catalog/forms/2026.json';
import ReadonlyDoc from './ReadonlyDoc.vue';

const competition = {
	slug: 'guangdong-2026',
	name: '2026年“数据要素×”大赛广东分赛',
	tracks: [{ key: 'transportation', name: '交通运输', heading: '赛道四：交通运输赛道', topics: [{ no: 2, title: '高速公路数据“上图上车”' }] }],
};

const doc = {
	basic: { competition: 'guangdong-2026', track: 'transportation', topic: 2, lead_unit_name: '深圳市智联数据科技有限公司', region: ['440000', '440300', '440305'] },
	project: { name: '枢纽调度平台', source: '广东省', source_channel: '不应显示的渠道', scenarios: ['公共服务', '经营管理'], summary: '第一行\n第二行' },
	market: { sources: { purchase: { vendors: { selected: true, volume_gb: 120, cost: 35, growth: 10 } } } },
	value: { industries: ['541'] },
	team: { name: '智联团队' },
	members: [
		{ name: '张三', id_type: '居民身份证', id_number: '440305199001011234', mobile: '13800000000', is_contact: true },
		{ name: '李四', id_type: '居民身份证', is_contact: false },
	],
	units: [{ is_lead: true, name: '深圳市智联数据科技有限公司', revenue: { amount_2025: 5000, growth: 12.5 } }],
};

function render(d = doc) {
	return mount(ReadonlyDoc, { props: { schema, doc: d, competition } });
}

describe('ReadonlyDoc', () => {
	it('shows every section of the schema with its title, in order', () => {
		const w = render();
		const titles = w.findAll('h4').map((h) => h.text());
		expect(titles).toEqual(schema.sections.map((s) => s.title));
		expect(w.findAll('h3').map((h) => h.text())).toEqual(['01 基础信息', '02 项目申报信息']);
	});

	it('shows filled values with their labels, named from the catalog and the region list', () => {
		const w = render();
		const item = (label) => w.findAll('.rd-item').find((i) => i.find('dt').text() === label)?.find('dd').text();
		expect(item('赛事')).toBe('2026年“数据要素×”大赛广东分赛');
		expect(item('赛道')).toBe('赛道四：交通运输赛道');
		expect(item('赛题')).toBe('赛题2：高速公路数据“上图上车”');
		expect(item('所在地区')).toBe('广东省 / 深圳市 / 南山区');
		expect(item('项目名称')).toBe('枢纽调度平台');
		expect(item('项目覆盖场景')).toBe('公共服务、经营管理');
		expect(item('项目简述')).toBe('第一行\n第二行');
		expect(item('数据商')).toBe('是；数据量 120 GB；购数费用支出 35 万元；增速 10%');
		// Hidden by its `when` (项目来源 is not 推荐渠道), so not shown.
		expect(item('推荐渠道')).toBeUndefined();
		expect(w.text()).not.toContain('不应显示的渠道');
		// Unfilled fields are left out.
		expect(item('成立时间')).toBeUndefined();
	});

	it('names industries from GB/T 4754-2017', () => {
		const w = render();
		const dd = w.findAll('.rd-item').find((i) => i.find('dt').text() === '2. 项目适用行业');
		expect(dd.find('dd').text()).toBe('541 城市公共交通运输');
	});

	it('draws 团队成员 as a table and 参赛单位 as one block per row', () => {
		const w = render();
		const members = w.findAll('.rd-section').find((s) => s.find('h4').text() === '团队成员');
		const table = members.find('table');
		const heads = table.findAll('th').map((t) => t.text());
		expect(heads).toEqual(['序号', '姓名', '证件类型', '证件号码', '手机', '是否团队联络人']);
		const rows = table.findAll('tbody tr').map((r) => r.findAll('td').map((t) => t.text()));
		expect(rows).toEqual([
			['1', '张三', '居民身份证', '440305199001011234', '13800000000', '是'],
			['2', '李四', '居民身份证', '—', '—', '否'],
		]);
		const block = w.find('.rd-rowblock');
		expect(block.find('.rd-rowtitle').text()).toBe('参赛单位 1');
		expect(block.text()).toContain('2025 年 5000 万元；增速 12.5%');
	});

	it('says 未填写 for a section with nothing in it', () => {
		const w = render({ basic: { competition: 'guangdong-2026' } });
		const intro = w.findAll('.rd-section').find((s) => s.find('h4').text() === '参赛项目介绍');
		expect(intro.find('.rd-empty').text()).toBe('未填写');
	});
});
