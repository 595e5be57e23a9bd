import { describe, it, expect, vi, beforeEach } from 'vitest';
import { reactive } from 'vue';
import { mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';

const route = reactive({ name: 'console-staff', params: { slug: 'gd' }, fullPath: '/console/gd/staff', query: {} });
const router = { push: vi.fn(), resolve: vi.fn((to) => ({ fullPath: JSON.stringify(to) })) };
vi.mock('vue-router', async (orig) => ({ ...(await orig()), useRoute: () => route, useRouter: () => router }));

const { default: ConsoleMenu } = await import('./ConsoleMenu.vue');

const GD = { slug: 'gd', name: '广东', short_name: '广东分赛', review: true, admin: true, judge: false };
const FJ = { slug: 'fj', name: '福建', short_name: '福建分赛', review: true, admin: false, judge: false };
const HN = { slug: 'hn', name: '海南', short_name: '海南分赛', review: false, admin: false, judge: true };

function mountMenu(props) {
	return mount(ConsoleMenu, { props, global: { plugins: [ElementPlus] } });
}
const items = (w) => w.findAll('[role="menuitem"]').map((x) => x.text());

describe('ConsoleMenu', () => {
	beforeEach(() => {
		router.push.mockReset();
	});

	it('shows the admin pages to admins, 报名审核 to reviewers, 我的评审任务 to judges', () => {
		expect(items(mountMenu({ competitions: [GD], slug: 'gd' })))
			.toEqual(['后台首页', '报名审核', '退回原因模板', '工作人员', '赛程时间', '名单管理',
				'评分标准', '评审专家', '评审分配', '评审排名', '奖项管理', '操作日志', '数据统计']);
		expect(items(mountMenu({ competitions: [FJ], slug: 'fj', platformAdmin: false }))).toEqual(['后台首页', '报名审核', '数据统计']);
		const judge = mountMenu({ competitions: [HN], slug: 'hn' });
		expect(items(judge)).toEqual(['后台首页', '我的评审任务']);
		expect(judge.text()).toContain('请在“我的评审任务”中评分');
		// A reviewer who also judges elsewhere sees 我的评审任务 in every sub-contest.
		expect(items(mountMenu({ competitions: [FJ, HN], slug: 'fj' }))).toEqual(['后台首页', '我的评审任务', '报名审核', '数据统计']);
		expect(items(mountMenu({ competitions: [GD], slug: 'gd', platformAdmin: true }))).toContain('短信模板');
		// One sub-contest: no switcher.
		expect(mountMenu({ competitions: [GD], slug: 'gd' }).find('#console-switch-side').exists()).toBe(false);
	});

	it('switches to the same page of another sub-contest, or to its 报名审核 when that page is not open to the user', () => {
		const w = mountMenu({ competitions: [GD, FJ, HN], slug: 'gd' });
		const vm = w.findComponent({ name: 'ElSelect' });
		vm.vm.$emit('update:modelValue', 'fj');
		expect(router.push).toHaveBeenLastCalledWith({ name: 'console-queue', params: { slug: 'fj' } });
		route.name = 'console-application';
		vm.vm.$emit('update:modelValue', 'gd');
		expect(router.push).toHaveBeenLastCalledWith({ name: 'console-queue', params: { slug: 'gd' } });
		vm.vm.$emit('update:modelValue', 'hn');
		expect(router.push).toHaveBeenLastCalledWith({ name: 'console-home' });
		route.name = 'console-statistics';
		vm.vm.$emit('update:modelValue', 'fj');
		expect(router.push).toHaveBeenLastCalledWith({ name: 'console-statistics', params: { slug: 'fj' } });
		route.name = 'console-staff';
	});
});
