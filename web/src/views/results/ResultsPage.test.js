import { describe, it, expect, vi, beforeEach } from 'vitest';
import { reactive } from 'vue';
import { mount, flushPromises, RouterLinkStub } from '@vue/test-utils';
import ElementPlus from 'element-plus';

const route = reactive({ name: 'results', params: { slug: 'gd' }, query: {} });
vi.mock('vue-router', async (orig) => ({ ...(await orig()), useRoute: () => route }));
vi.mock('../../api/catalog.js', () => ({ getCompetition: vi.fn() }));
vi.mock('../../api/http.js', () => ({ api: { get: vi.fn() } }));

const { api } = await import('../../api/http.js');
const { getCompetition } = await import('../../api/catalog.js');
const { default: ResultsPage } = await import('./ResultsPage.vue');

const mountPage = () => mount(ResultsPage, {
	global: { plugins: [ElementPlus], stubs: { RouterLink: RouterLinkStub, ElBreadcrumbItem: { template: '<span><slot /></span>' } } },
});

describe('ResultsPage', () => {
	beforeEach(() => {
		api.get.mockReset();
		getCompetition.mockReset().mockResolvedValue({ slug: 'gd', name: '2026年广东分赛', short_name: '广东分赛' });
	});

	it('says 评审结果尚未公布 (not an error) before publication', async () => {
		api.get.mockRejectedValue(Object.assign(new Error('评审结果尚未公布'), { status: 404, code: 'results_not_published' }));
		const w = mountPage();
		await flushPromises();
		expect(api.get).toHaveBeenCalledWith('/api/v1/competitions/gd/results', { quiet: true });
		expect(w.find('h1').text()).toBe('评审结果尚未公布');
		expect(w.text()).toContain('2026年广东分赛的评审结果公布后');
	});

	it('lists the winners of each track by level, then the special awards', async () => {
		api.get.mockResolvedValue({
			competition: 'gd',
			competition_name: '2026年广东分赛',
			published_at: 1781000000,
			tracks: [
				{
					track_id: 1,
					track_name: '工业制造',
					awards: [
						{ level: 'second', level_label: '二等奖', project_name: '乙项目', team_name: '乙队', lead_unit_name: '乙公司' },
						{ level: 'first', level_label: '一等奖', project_name: '甲项目', team_name: '甲队', lead_unit_name: '甲公司' },
					],
					specials: [{ code: 'innovation', label: '科技创新奖', project_name: '乙项目', team_name: '乙队', lead_unit_name: '乙公司' }],
				},
				{ track_id: 2, track_name: '现代农业', awards: [], specials: [] },
			],
		});
		const w = mountPage();
		await flushPromises();
		expect(w.find('h1').text()).toBe('获奖名单');
		expect(w.findAll('h2').map((h) => h.text())).toEqual(['工业制造', '现代农业']);
		expect(w.findAll('h3').map((h) => h.text().replace(/\s+/g, ''))).toEqual(['一等奖（1项）', '二等奖（1项）', '特色奖项']);
		const first = w.findAll('.results-group')[0];
		expect(first.text()).toContain('甲项目');
		expect(first.text()).toContain('牵头单位：甲公司');
		expect(w.find('h4').text()).toBe('科技创新奖');
		expect(w.text()).toContain('本赛道暂无获奖项目');
	});

	it('offers 重试 when the results cannot be loaded', async () => {
		api.get.mockRejectedValueOnce(Object.assign(new Error('网络连接失败'), { status: 0, code: 'network' }));
		const w = mountPage();
		await flushPromises();
		expect(w.find('h1').text()).toBe('获奖名单加载失败');
		api.get.mockResolvedValueOnce({ competition_name: '2026年广东分赛', tracks: [] });
		await w.find('button').trigger('click');
		await flushPromises();
		expect(w.text()).toContain('本次评审未设置获奖项目');
	});
});
