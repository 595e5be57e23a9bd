import { describe, it, expect, vi, beforeEach } from 'vitest';
import { mount, flushPromises } from '@vue/test-utils';
import ElementPlus, { ElMessageBox } from 'element-plus';
import { ApiError } from '../../api/http.js';

vi.mock('../../api/judging.js', async (orig) => ({
	...(await orig()),
	saveScore: vi.fn(),
	submitScore: vi.fn(),
}));

// Mounting Element Plus pages is slow on a busy machine.
vi.setConfig({ testTimeout: 30000 });

const judging = await import('../../api/judging.js');
const { default: ScoreSheet } = await import('./ScoreSheet.vue');

const CRITERIA = [
	{ key: 'data_value', name: '数据要素基础与数据价值', description: '数据资源与价值', weight: 60, max: 10 },
	{ key: 'effect', name: '应用成效', description: '', weight: 40, max: 5 },
];
const OPEN = { opens: 1782867600, closes: 1783472400, open: true };
const CLOSED = { opens: 1782867600, closes: 1783472400, open: false };

function mountSheet(props = {}) {
	return mount(ScoreSheet, {
		props: { assignmentId: 4, criteria: CRITERIA, score: { scores: {}, comment: '', total: null }, window: OPEN, ...props },
		global: { plugins: [ElementPlus] },
		attachTo: document.body,
	});
}

const setScore = async (w, key, v) => {
	// Element Plus gives the input its id on the next tick.
	await flushPromises();
	const input = w.find(`#ss-${key}`);
	await input.setValue(String(v));
	await input.trigger('blur');
	await flushPromises();
};
// The form item shows a new error after a short debounce.
const settle = async () => {
	await flushPromises();
	await new Promise((r) => setTimeout(r, 150));
};
const totalText = (w) => w.find('.ss-total-value').text();
const button = (w, text) => w.findAll('button').find((b) => b.text() === text);

describe('ScoreSheet', () => {
	beforeEach(() => {
		judging.saveScore.mockReset();
		judging.submitScore.mockReset();
		document.body.innerHTML = '';
	});

	it('shows each criterion with its range and weight, and the weighted total as the judge types', async () => {
		const w = mountSheet();
		expect(w.text()).toContain('1. 数据要素基础与数据价值');
		expect(w.text()).toContain('权重 60% · 0–10 分');
		expect(w.text()).toContain('权重 40% · 0–5 分');
		expect(totalText(w)).toBe('—');
		await setScore(w, 'data_value', 8);
		// 60 × 8 / 10
		expect(totalText(w)).toBe('48.00');
		await setScore(w, 'effect', 2.5);
		// + 40 × 2.5 / 5
		expect(totalText(w)).toBe('68.00');
		expect(w.text()).toContain('已评 2/2 项');
		w.unmount();
	});

	it('saves a partial sheet and reports the server field errors at their field', async () => {
		const w = mountSheet({ score: { scores: { data_value: 7 }, comment: '', total: 42 } });
		judging.saveScore.mockResolvedValue({ scores: { data_value: 7 }, comment: '', total: 42, saved_at: 1782870000 });
		await w.find('form').trigger('submit');
		await flushPromises();
		expect(judging.saveScore).toHaveBeenCalledWith(4, { scores: { data_value: 7, effect: null }, comment: '' });
		expect(w.emitted('saved')).toHaveLength(1);

		judging.saveScore.mockRejectedValue(new ApiError({
			status: 422, code: 'invalid', message: '请检查',
			fields: [{ field: 'scores.data_value', code: 'range', message: '分值须在 0–10 之间' }, { field: 'comment', code: 'too_long', message: '评语过长' }],
		}));
		await setScore(w, 'data_value', 6);
		await w.find('form').trigger('submit');
		await settle();
		const items = w.findAll('.el-form-item');
		expect(items[0].text()).toContain('分值须在 0–10 之间');
		expect(items[2].text()).toContain('评语过长');
		w.unmount();
	});

	it('refuses to submit without every score and the comment, then submits after confirmation', async () => {
		const w = mountSheet();
		await setScore(w, 'data_value', 9);
		await button(w, '提交评分').trigger('click');
		await settle();
		expect(judging.submitScore).not.toHaveBeenCalled();
		expect(w.text()).toContain('请为“应用成效”打分');
		expect(w.text()).toContain('请填写评语');

		await setScore(w, 'effect', 4);
		await flushPromises();
		await w.find('#ss-comment').setValue('数据基础扎实，推广价值高。');
		const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm');
		judging.submitScore.mockResolvedValue({ scores: { data_value: 9, effect: 4 }, comment: '数据基础扎实，推广价值高。', total: 86, submitted_at: 1782871000 });
		await button(w, '提交评分').trigger('click');
		await flushPromises();
		expect(confirm).toHaveBeenCalled();
		expect(confirm.mock.calls[0][0]).toContain('86.00');
		expect(judging.submitScore).toHaveBeenCalledWith(4, { scores: { data_value: 9, effect: 4 }, comment: '数据基础扎实，推广价值高。' });
		expect(w.emitted('submitted')[0][0].total).toBe(86);
		confirm.mockRestore();
		w.unmount();
	});

	it('is read-only once submitted and closed outside the scoring window', async () => {
		const done = mountSheet({ score: { scores: { data_value: 9, effect: 4 }, comment: '很好', total: 86, submitted_at: 1782871000 } });
		expect(done.find('input').exists()).toBe(false);
		expect(done.text()).toContain('评分已于 2026-07-01 09:56 提交，不能再修改');
		expect(done.text()).toContain('很好');
		expect(button(done, '提交评分')).toBeUndefined();
		expect(button(done, '申报利益冲突')).toBeUndefined();
		done.unmount();

		const shut = mountSheet({ window: CLOSED });
		expect(shut.find('input').exists()).toBe(false);
		expect(shut.text()).toContain('暂不能保存或提交评分');
		expect(shut.text()).toContain('2026-07-01 09:00 至 2026-07-08 09:00');
		expect(button(shut, '保存')).toBeUndefined();
		// A conflict can still be declared while the window is shut.
		expect(button(shut, '申报利益冲突')).toBeDefined();
		shut.unmount();
	});

	it('passes a conflict (409) on to the page', async () => {
		const w = mountSheet({ score: { scores: { data_value: 1 }, comment: '', total: 6 } });
		judging.saveScore.mockRejectedValue(new ApiError({ status: 409, code: 'scoring_closed', message: '评分时间已结束' }));
		await w.find('form').trigger('submit');
		await flushPromises();
		expect(w.emitted('refused')[0][0].code).toBe('scoring_closed');
		expect(w.text()).toContain('评分时间已结束');
		w.unmount();
	});
});
