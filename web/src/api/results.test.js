import { describe, it, expect, vi, beforeEach } from 'vitest';

vi.mock('./http.js', () => ({ api: { get: vi.fn() } }));
const { api } = await import('./http.js');
const { getResults, resultsPublished, groupTrack, awardText, awardStatus } = await import('./results.js');

const notPublished = Object.assign(new Error('评审结果尚未公布'), { status: 404, code: 'results_not_published' });

describe('api/results', () => {
	beforeEach(() => api.get.mockReset());

	it('reads the public results quietly', async () => {
		api.get.mockResolvedValue({ tracks: [] });
		await getResults('guangdong-2026');
		expect(api.get).toHaveBeenCalledWith('/api/v1/competitions/guangdong-2026/results', { quiet: true });
	});

	it('says whether results are published: 404 is "not yet", other failures are passed on', async () => {
		api.get.mockResolvedValueOnce({ tracks: [] });
		expect(await resultsPublished('gd')).toBe(true);
		api.get.mockRejectedValueOnce(notPublished);
		expect(await resultsPublished('gd')).toBe(false);
		const down = Object.assign(new Error('网络连接失败'), { status: 0, code: 'network' });
		api.get.mockRejectedValueOnce(down);
		await expect(resultsPublished('gd')).rejects.toBe(down);
	});

	it('groups a track by level in prize order, then the specials by award', () => {
		const w = (name, level) => ({ level, level_label: undefined, project_name: name, team_name: `${name}队`, lead_unit_name: `${name}公司` });
		const g = groupTrack({
			track_id: 3,
			track_name: '工业制造',
			awards: [w('C', 'third'), w('A', 'first'), w('D', 'third'), w('B', 'second')],
			specials: [
				{ code: 'innovation', label: '科技创新奖', project_name: 'A' },
				{ code: 'practice', project_name: 'B' },
				{ code: 'innovation', label: '科技创新奖', project_name: 'B' },
			],
		});
		expect(g.name).toBe('工业制造');
		expect(g.levels.map((l) => [l.label, l.items.map((i) => i.project_name)])).toEqual([
			['一等奖', ['A']], ['二等奖', ['B']], ['三等奖', ['C', 'D']],
		]);
		expect(g.specials.map((s) => [s.label, s.items.length])).toEqual([['科技创新奖', 2], ['应用实践奖', 1]]);
		expect(g.empty).toBe(false);
		expect(groupTrack({ track_id: 4, track_name: '现代农业', awards: [], specials: [] }).empty).toBe(true);
	});

	it('puts an award in words, and null (unpublished) shows nothing', () => {
		expect(awardText(null)).toBe('');
		expect(awardStatus(null)).toBe(null);
		const a = { level: 'first', level_label: '一等奖', specials: [{ code: 'most_valuable', label: '最具价值奖' }], published_at: 1 };
		expect(awardText(a)).toBe('一等奖、最具价值奖');
		expect(awardStatus(a)).toMatchObject({ text: '一等奖、最具价值奖', awarded: true });
		expect(awardText({ level: null, specials: [{ code: 'potential' }] })).toBe('发展潜力奖');
		expect(awardStatus({ level: null, level_label: null, specials: [], published_at: 1 })).toEqual({ text: '未获奖', awarded: false, tag: 'info' });
	});
});
