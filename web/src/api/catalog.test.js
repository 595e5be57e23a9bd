import { describe, it, expect, vi, beforeEach } from 'vitest';

vi.mock('./http.js', () => ({ api: { get: vi.fn() } }));

const { api } = await import('./http.js');
const catalog = await import('./catalog.js');

describe('catalog', () => {
	beforeEach(() => {
		api.get.mockReset();
		catalog.clearCatalogCache();
	});

	it('asks the server once and keeps the answer', async () => {
		api.get.mockResolvedValue({ items: [{ slug: 'guangdong-2026' }] });
		const a = await catalog.listCompetitions();
		const b = await catalog.listCompetitions();
		expect(a).toEqual([{ slug: 'guangdong-2026' }]);
		expect(b).toBe(a);
		expect(api.get).toHaveBeenCalledTimes(1);
		expect(api.get).toHaveBeenCalledWith('/api/v1/competitions', { quiet: true });
	});

	it('forgets a failure so that the next call retries', async () => {
		api.get.mockRejectedValueOnce(Object.assign(new Error('赛事不存在'), { status: 404 }));
		await expect(catalog.getCompetition('nope')).rejects.toThrow('赛事不存在');
		api.get.mockResolvedValueOnce({ slug: 'nope' });
		await expect(catalog.getCompetition('nope')).resolves.toEqual({ slug: 'nope' });
		expect(api.get).toHaveBeenCalledWith('/api/v1/competitions/nope', { quiet: true });
	});

	it('labels registration windows', () => {
		const now = '2026-11-22T10:00:00+08:00';
		expect(catalog.registrationState(null).key).toBe('unpublished');
		expect(catalog.registrationState({ opens: null, closes: null, open: false }).label).toBe('报名时间待公布');
		expect(catalog.registrationState({ opens: '2026-10-01T00:00:00+08:00', closes: '2027-01-01T00:00:00+08:00', open: true }, now).label).toBe('报名中');
		expect(catalog.registrationState({ opens: '2026-12-01T00:00:00+08:00', closes: '2027-01-01T00:00:00+08:00', open: false }, now).label).toBe('报名未开始');
		expect(catalog.registrationState({ opens: '2026-06-01T00:00:00+08:00', closes: '2026-07-01T00:00:00+08:00', open: false }, now).label).toBe('报名已截止');
		expect(catalog.formatDate('2026-06-13T00:00:00+08:00')).toBe('2026年6月13日');
		expect(catalog.formatDate(null)).toBe('');
	});
});
