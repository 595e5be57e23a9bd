import { describe, it, expect, vi, beforeEach } from 'vitest';
import { reactive } from 'vue';
import { mount, flushPromises } from '@vue/test-utils';
import ElementPlus, { ElMessageBox } from 'element-plus';
import { ApiError } from '../../../api/http.js';

const route = reactive({ name: 'console-rubrics', params: { slug: 'gd' }, query: {}, fullPath: '/console/gd/rubrics' });
const router = {
	push: vi.fn(),
	replace: vi.fn((to) => {
		route.query = to.query;
	}),
};
vi.mock('vue-router', async (orig) => ({
	...(await orig()),
	useRoute: () => route,
	useRouter: () => router,
	onBeforeRouteLeave: () => {},
}));
vi.mock('../../../api/catalog.js', () => ({
	getCompetition: vi.fn(async () => ({ slug: 'gd', name: '广东分赛' })),
	getTracks: vi.fn(async () => [{ id: 1, name: '工业制造' }, { id: 2, name: '交通运输' }]),
}));
vi.mock('../../../api/judging.js', async (orig) => ({
	...(await orig()),
	getRubric: vi.fn(),
	putRubric: vi.fn(),
	getAwards: vi.fn(),
	putAward: vi.fn(),
	awardRound: vi.fn(),
	listAssignments: vi.fn(),
	addAssignment: vi.fn(),
}));

// Mounting Element Plus pages is slow on a busy machine.
vi.setConfig({ testTimeout: 30000 });

const judging = await import('../../../api/judging.js');
const { default: RubricPage } = await import('./RubricPage.vue');
const { default: AwardsPage } = await import('./AwardsPage.vue');
const { default: AssignmentsPage } = await import('./AssignmentsPage.vue');

const settle = async () => {
	await flushPromises();
	// Element Plus shows a form item's new error after a short debounce.
	await new Promise((r) => setTimeout(r, 150));
};
const button = (w, text) => w.findAll('button').find((b) => b.text() === text);

const RUBRIC = {
	stage: 'preliminary', stage_label: '初赛', locked: false, scoring_opens: null, scoring_closes: null, updated_at: null,
	criteria: [
		{ key: 'data_value', name: '数据价值', description: '', weight: 60, max: 10 },
		{ key: 'effect', name: '应用成效', description: '', weight: 40, max: 10 },
	],
};

describe('RubricPage', () => {
	beforeEach(() => {
		route.query = {};
		judging.getRubric.mockReset().mockResolvedValue(structuredClone(RUBRIC));
		judging.putRubric.mockReset();
	});

	it('shows the weight sum live and refuses a sum other than 100 before sending', async () => {
		const w = mount(RubricPage, { global: { plugins: [ElementPlus] }, attachTo: document.body });
		await settle();
		expect(judging.getRubric).toHaveBeenCalledWith('gd', 'preliminary');
		expect(w.find('.rb-sum').text()).toContain('100 / 100');
		await button(w, '添加评分项').trigger('click');
		await flushPromises();
		expect(w.find('.rb-sum').text()).toContain('110 / 100');
		expect(w.find('.rb-sum').text()).toContain('超出 10');
		await w.find('#rb-name-2').setValue('答辩表现');
		await w.find('form').trigger('submit');
		await settle();
		expect(judging.putRubric).not.toHaveBeenCalled();
		expect(w.text()).toContain('各项权重之和须为 100，当前为 110');
		w.unmount();
	});

	it('sends the reordered criteria and shows the server errors at their row', async () => {
		const w = mount(RubricPage, { global: { plugins: [ElementPlus] }, attachTo: document.body });
		await settle();
		await w.find('[aria-label="下移评分项 1"]').trigger('click');
		judging.putRubric.mockRejectedValue(new ApiError({
			status: 422, code: 'invalid', message: '请检查',
			fields: [{ field: 'criteria[1].name', code: 'duplicate', message: '评分项名称不能重复' }],
		}));
		await w.find('form').trigger('submit');
		await settle();
		expect(judging.putRubric).toHaveBeenCalledWith('gd', 'preliminary', {
			criteria: [
				{ key: 'effect', name: '应用成效', description: '', weight: 40, max: 10 },
				{ key: 'data_value', name: '数据价值', description: '', weight: 60, max: 10 },
			],
		});
		const rows = w.findAll('.rb-row');
		expect(rows[1].text()).toContain('评分项名称不能重复');
		expect(rows[0].text()).not.toContain('评分项名称不能重复');
		w.unmount();
	});

	it('explains the lock and keeps the criteria read-only once scoring has started', async () => {
		judging.getRubric.mockResolvedValue({ ...structuredClone(RUBRIC), locked: true, updated_at: 1782867600 });
		const w = mount(RubricPage, { global: { plugins: [ElementPlus] }, attachTo: document.body });
		await settle();
		expect(w.text()).toContain('本阶段评分已开始，评分项和权重已锁定');
		expect(button(w, '添加评分项')).toBeUndefined();
		expect(w.find('#rb-name-0').attributes('disabled')).toBeDefined();
		w.unmount();
	});
});

const AWARDS = {
	state: 'open', stage: 'final', stage_label: '决赛', locked_at: null, published_at: null,
	tracks: [{
		track_id: 2, track_name: '交通运输', ranked: 6, top20: 2,
		quota: { first: 1, second: 2, third: 5 }, suggested: { first: 1, second: 2, third: 0 },
		items: [
			{ application_id: 11, project_name: '甲项目', lead_unit_name: '甲公司', rank: 1, aggregate: 90.5, top20: true, level: 'first', level_label: '一等奖', specials: [] },
			{ application_id: 12, project_name: '乙项目', lead_unit_name: '乙公司', rank: 3, aggregate: 80, top20: false, level: null, level_label: '', specials: [] },
		],
	}],
};

describe('AwardsPage', () => {
	beforeEach(() => {
		route.query = {};
		judging.getAwards.mockReset().mockResolvedValue(structuredClone(AWARDS));
		judging.putAward.mockReset();
		judging.awardRound.mockReset();
	});

	it('offers the special awards to the top 20 % only and reports a full quota from the server', async () => {
		const w = mount(AwardsPage, { global: { plugins: [ElementPlus] }, attachTo: document.body });
		await settle();
		expect(w.text()).toContain('一等奖 1/1');
		expect(w.text()).toContain('建议：1 / 2 / 0');
		const rows = w.findAll('.aw-table .el-table__body tr');
		expect(rows[0].find('.aw-specials').exists()).toBe(true);
		expect(rows[1].find('.aw-specials').exists()).toBe(false);
		expect(rows[1].text()).toContain('仅前 20% 可授予');

		const alert = vi.spyOn(ElMessageBox, 'alert').mockResolvedValue('confirm');
		judging.putAward.mockRejectedValue(new ApiError({ status: 409, code: 'quota_full', message: '本赛道一等奖名额已满（1 名）' }));
		const selects = rows[1].findAllComponents({ name: 'ElSelect' });
		selects[0].vm.$emit('update:modelValue', 'first');
		await settle();
		expect(judging.putAward).toHaveBeenCalledWith('gd', 12, { level: 'first', specials: [] });
		expect(alert.mock.calls[0][0]).toBe('本赛道一等奖名额已满（1 名）');
		alert.mockRestore();
		w.unmount();
	});

	it('publishes only after the confirmation, and is read-only once locked', async () => {
		judging.getAwards.mockResolvedValue({ ...structuredClone(AWARDS), state: 'locked', locked_at: 1782867600 });
		const w = mount(AwardsPage, { global: { plugins: [ElementPlus] }, attachTo: document.body });
		await settle();
		expect(w.findAll('.aw-table .el-select').length).toBe(0);
		expect(button(w, '锁定')).toBeUndefined();
		const confirm = vi.spyOn(ElMessageBox, 'confirm').mockRejectedValueOnce('cancel');
		await button(w, '发布').trigger('click');
		await flushPromises();
		expect(confirm.mock.calls[0][1]).toBe('发布获奖名单');
		expect(judging.awardRound).not.toHaveBeenCalled();
		confirm.mockResolvedValueOnce('confirm');
		judging.awardRound.mockResolvedValue({ ...structuredClone(AWARDS), state: 'published', published_at: 1782871200 });
		await button(w, '发布').trigger('click');
		await flushPromises();
		expect(judging.awardRound).toHaveBeenCalledWith('gd', 'publish');
		expect(w.text()).toContain('已发布');
		confirm.mockRestore();
		w.unmount();
	});
});

describe('AssignmentsPage', () => {
	const TABLE = {
		items: [{ application_id: 7, project_name: '客流分析', lead_unit_name: '某公司', track_id: 2, track_name: '交通运输',
			judges: [{ assignment_id: 1, user_id: 31, name: '张评审', status: 'assigned', submitted_at: null }] }],
		judges: [
			{ user_id: 31, name: '张评审', unit_name: '甲院', tracks: [], load: 1 },
			{ user_id: 32, name: '李评审', unit_name: '乙院', tracks: [1], load: 0 },
			{ user_id: 33, name: '王评审', unit_name: '', tracks: [1, 2], load: 0 },
		],
		per_project: 5,
	};

	beforeEach(() => {
		route.query = {};
		judging.listAssignments.mockReset().mockResolvedValue(structuredClone(TABLE));
		judging.addAssignment.mockReset().mockResolvedValue({});
	});

	it('offers by hand only the judges who are not on the project and judge its track', async () => {
		const w = mount(AssignmentsPage, { global: { plugins: [ElementPlus] }, attachTo: document.body });
		await settle();
		await button(w, '添加').trigger('click');
		await settle();
		// The stage and track bar has its selects too: the dialog's is the last.
		const pick = w.findAllComponents({ name: 'ElSelect' }).at(-1);
		const options = pick.findAllComponents({ name: 'ElOption' }).map((o) => [o.props('label'), !!o.props('disabled')]);
		expect(options).toEqual([
			['张评审（甲院，任务 1，已分配）', true],
			['李评审（乙院，任务 0，不负责该赛道）', true],
			['王评审（未填单位，任务 0）', false],
		]);
		pick.vm.$emit('update:modelValue', 33);
		await settle();
		// The dialog is appended to the body.
		[...document.querySelectorAll('.el-dialog button')].find((b) => b.textContent.trim() === '添加').click();
		await settle();
		expect(judging.addAssignment).toHaveBeenCalledWith('gd', 'preliminary', 7, 33);
		w.unmount();
	});
});
