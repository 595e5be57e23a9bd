import { describe, it, expect, vi, beforeEach } from 'vitest';

vi.mock('./http.js', () => ({
	api: { get: vi.fn(), post: vi.fn(), put: vi.fn(), del: vi.fn() },
}));

const { api } = await import('./http.js');
const j = await import('./judging.js');

const CRITERIA = [
	{ key: 'data_value', name: '数据要素基础与数据价值', weight: 25, max: 10 },
	{ key: 'tech_innovation', name: '技术路线与创新性', weight: 20, max: 10 },
	{ key: 'governance', name: '数据治理与安全保障', weight: 15, max: 10 },
	{ key: 'effect', name: '应用成效', weight: 20, max: 10 },
	{ key: 'business', name: '商业模式与推广价值', weight: 20, max: 5 },
];

describe('judging API paths', () => {
	beforeEach(() => {
		for (const f of Object.values(api))
			f.mockReset().mockResolvedValue({});
	});

	it('reads and writes a stage rubric', async () => {
		await j.getRubric('gd', 'final');
		expect(api.get).toHaveBeenCalledWith('/api/v1/admin/competitions/gd/rubrics/final', { quiet: true });
		await j.putRubric('gd', 'preliminary', { scoring_opens: '2026-07-01T09:00:00+08:00' });
		expect(api.put).toHaveBeenCalledWith('/api/v1/admin/competitions/gd/rubrics/preliminary',
			{ scoring_opens: '2026-07-01T09:00:00+08:00' }, { quiet: true });
	});

	it('lists judges and saves one profile', async () => {
		api.get.mockResolvedValue({ items: [{ user_id: 7 }] });
		expect(await j.listJudges('gd')).toEqual([{ user_id: 7 }]);
		await j.putJudge('gd', 7, { name: '张三' });
		expect(api.put).toHaveBeenCalledWith('/api/v1/admin/competitions/gd/judges/7', { name: '张三' }, { quiet: true });
	});

	it('assigns automatically with the track and N only when given, by hand, and removes', async () => {
		await j.listAssignments('gd', 'preliminary', 3);
		expect(api.get).toHaveBeenCalledWith('/api/v1/admin/competitions/gd/judging/preliminary/assignments', { quiet: true, query: { track: 3 } });
		await j.autoAssign('gd', 'preliminary', {});
		expect(api.post).toHaveBeenLastCalledWith('/api/v1/admin/competitions/gd/judging/preliminary/assign', {}, { quiet: true });
		await j.autoAssign('gd', 'final', { track: '4', perProject: '3' });
		expect(api.post).toHaveBeenLastCalledWith('/api/v1/admin/competitions/gd/judging/final/assign', { track_id: 4, per_project: 3 }, { quiet: true });
		await j.addAssignment('gd', 'final', '12', '7');
		expect(api.post).toHaveBeenLastCalledWith('/api/v1/admin/competitions/gd/judging/final/assignments',
			{ application_id: 12, judge_id: 7 }, { quiet: true });
		await j.removeAssignment('gd', 55);
		expect(api.del).toHaveBeenCalledWith('/api/v1/admin/competitions/gd/judging/assignments/55', { quiet: true });
	});

	it('reads the ranking and drives the award round', async () => {
		await j.getRanking('gd', 'final');
		expect(api.get).toHaveBeenLastCalledWith('/api/v1/admin/competitions/gd/judging/final/ranking', { quiet: true, query: { track: undefined } });
		await j.putQuotas('gd', [{ track_id: 1, first: 1, second: 2, third: 3 }]);
		expect(api.put).toHaveBeenLastCalledWith('/api/v1/admin/competitions/gd/awards/quotas',
			{ tracks: [{ track_id: 1, first: 1, second: 2, third: 3 }] }, { quiet: true });
		await j.proposeAwards('gd', 'final');
		expect(api.post).toHaveBeenLastCalledWith('/api/v1/admin/competitions/gd/awards/propose', { stage: 'final' }, { quiet: true });
		await j.putAward('gd', 9, { level: '', specials: ['practice'] });
		expect(api.put).toHaveBeenLastCalledWith('/api/v1/admin/competitions/gd/awards/9', { level: null, specials: ['practice'] }, { quiet: true });
		await j.awardRound('gd', 'publish');
		expect(api.post).toHaveBeenLastCalledWith('/api/v1/admin/competitions/gd/awards/publish', {}, { quiet: true });
		expect(() => j.awardRound('gd', 'delete')).toThrow();
	});

	it('reaches the judge routes of one assignment only', async () => {
		await j.myAssignments();
		expect(api.get).toHaveBeenLastCalledWith('/api/v1/judge/assignments', { quiet: true, query: { stage: undefined } });
		await j.getMyAssignment(4);
		expect(api.get).toHaveBeenLastCalledWith('/api/v1/judge/assignments/4', { quiet: true });
		expect(j.judgeAttachmentUrl(4, 10)).toBe('/api/v1/judge/assignments/4/attachments/10');
		expect(j.judgePdfUrl(4)).toBe('/api/v1/judge/assignments/4/pdf');
		await j.saveScore(4, { scores: { effect: 8 }, comment: '好' });
		expect(api.put).toHaveBeenLastCalledWith('/api/v1/judge/assignments/4/score', { scores: { effect: 8 }, comment: '好' }, { quiet: true });
		await j.submitScore(4, { scores: {}, comment: 'x' });
		expect(api.post).toHaveBeenLastCalledWith('/api/v1/judge/assignments/4/submit', { scores: {}, comment: 'x' }, { quiet: true });
		await j.declareConflict(4, '同一单位');
		expect(api.post).toHaveBeenLastCalledWith('/api/v1/judge/assignments/4/conflict', { reason: '同一单位' }, { quiet: true });
	});
});

describe('judging helpers', () => {
	it('computes the weighted total as Σ weight × score / max', () => {
		expect(j.weightedTotal(CRITERIA, {})).toEqual({ total: null, scored: 0, complete: false });
		// 25·8/10 + 20·7/10 + 15·9/10 + 20·6/10 + 20·4/5 = 20 + 14 + 13.5 + 12 + 16
		expect(j.weightedTotal(CRITERIA, { data_value: 8, tech_innovation: 7, governance: 9, effect: 6, business: 4 }))
			.toEqual({ total: 75.5, scored: 5, complete: true });
		expect(j.weightedTotal(CRITERIA, { data_value: 7.3, effect: null })).toEqual({ total: 18.25, scored: 1, complete: false });
		expect(j.weightedTotal(CRITERIA, { data_value: 10, tech_innovation: 10, governance: 10, effect: 10, business: 5 }).total).toBe(100);
	});

	it('accepts scores within range with one decimal at most', () => {
		expect(j.validScore(0, 10)).toBe(true);
		expect(j.validScore(9.5, 10)).toBe(true);
		expect(j.validScore(10, 10)).toBe(true);
		expect(j.validScore(10.1, 10)).toBe(false);
		expect(j.validScore(-1, 10)).toBe(false);
		expect(j.validScore(3.25, 10)).toBe(false);
		expect(j.validScore('5', 10)).toBe(false);
	});

	it('sends every criterion (null where the input is empty, so a cleared score goes) and sums the weights', () => {
		expect(j.scoresBody(CRITERIA, { data_value: 3, effect: null, unknown: 4 }))
			.toEqual({ data_value: 3, tech_innovation: null, governance: null, effect: null, business: null });
		expect(j.weightSum(CRITERIA)).toBe(100);
		expect(j.weightSum([{ weight: 30 }, { weight: '' }])).toBe(30);
	});

	it('words the scoring window', () => {
		const w = { opens: 1782867600, closes: 1783472400 }; // 2026-07-01 09:00 → 07-08 09:00 (+08)
		expect(j.windowState(null).code).toBe('unset');
		expect(j.windowState({ ...w, open: true }).text).toBe('评分进行中，截止时间 2026-07-08 09:00');
		expect(j.windowState({ ...w, open: false }, w.opens - 1)).toMatchObject({ code: 'not_open', range: '2026-07-01 09:00 至 2026-07-08 09:00' });
		expect(j.windowState({ ...w, open: false }, w.closes).code).toBe('closed');
		expect(j.windowState({ opens: null, closes: null, open: false }).code).toBe('unset');
	});

	it('maps the server field errors to rows and criteria', () => {
		const r = j.rubricErrors([
			{ field: 'criteria', code: 'weight_sum', message: '各项权重之和须为 100，当前为 90' },
			{ field: 'criteria[1].weight', code: 'range', message: '权重须为 1–100 的整数' },
			{ field: 'criteria[1].name', code: 'required', message: '请填写名称' },
			{ field: 'scoring_closes', code: 'order', message: '须晚于开始时间' },
		]);
		expect(r.rows).toEqual({ 1: { weight: '权重须为 1–100 的整数', name: '请填写名称' } });
		expect(r.byField).toEqual({ criteria: '各项权重之和须为 100，当前为 90', scoring_closes: '须晚于开始时间' });
		const s = j.sheetErrors([
			{ field: 'scores.effect', message: '分值须在 0–10 之间' },
			{ field: 'comment', message: '请填写评语' },
			{ field: 'x', message: '其他' },
		]);
		expect(s).toEqual({ byKey: { effect: '分值须在 0–10 之间' }, comment: '请填写评语', other: '其他' });
	});

	it('names new criteria with unused keys and labels stages and awards', () => {
		expect(j.newCriterionKey([{ key: 'item_2' }, { key: 'a' }])).toBe('item_3');
		expect(j.newCriterionKey([{ key: 'item_1' }])).toBe('item_2');
		expect(j.scoringStageLabel('final')).toBe('决赛');
		expect(j.awardLevelLabel('second')).toBe('二等奖');
		expect(j.specialLabel('innovation')).toBe('科技创新奖');
		expect(j.sheetStatusLabel('submitted')).toBe('已提交');
	});
});
