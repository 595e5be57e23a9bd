import { describe, it, expect, vi, beforeEach } from 'vitest';

vi.mock('./http.js', () => ({
	api: { get: vi.fn(), post: vi.fn() },
	errorFrom: vi.fn((status, text) => Object.assign(new Error(JSON.parse(text).error.message), { status })),
	networkError: vi.fn(() => new Error('网络连接失败')),
	notifyError: vi.fn(),
	// As http.js's: report (here through the notifyError spy), then throw.
	fail: vi.fn((e) => {
		notify(e);
		throw e;
	}),
}));
// vi.mock is hoisted: the spy is reached through the mocked module.
const notify = (e) => notifyError(e);

const { api, notifyError } = await import('./http.js');
const c = await import('./console.js');

describe('queue filters ⇄ address', () => {
	it('reads every filter and drops what is malformed', () => {
		const s = c.fromQueueQuery({
			status: 'approved', track: 'transportation', topic: '2', stage: 'preliminary', tech_status: 'verifying',
			region: '440300', unit_type: '民营', from: '2026-06-01', to: '2026-06-30', q: ' 枢纽 ',
			sort: 'project_name', order: 'asc', page: '3', per_page: '50',
		});
		expect(s).toEqual({
			status: 'approved', track: 'transportation', topic: '2', stage: 'preliminary', tech: 'verifying',
			region: '440300', unit: '民营', from: '2026-06-01', to: '2026-06-30', q: '枢纽',
			sort: 'project_name', order: 'asc', page: 3, perPage: 50,
		});
		const bad = c.fromQueueQuery({
			status: 'draft', track: 'Bad Key', topic: '2', stage: 'x', tech_status: 'y', region: '44',
			from: '2026-13-40', sort: 'id', order: 'up', page: '-1', per_page: '33',
		});
		expect(bad).toEqual({ ...c.QUEUE_DEFAULTS });
	});

	it('needs a track for a topic, swaps a reversed date range, takes the first of repeated keys', () => {
		expect(c.fromQueueQuery({ topic: '3' }).topic).toBe('');
		const s = c.fromQueueQuery({ from: '2026-07-01', to: '2026-06-01', status: ['returned', 'approved'] });
		expect([s.from, s.to, s.status]).toEqual(['2026-06-01', '2026-07-01', 'returned']);
	});

	it('writes only what differs from the defaults, and round-trips', () => {
		expect(c.toQueueQuery(c.QUEUE_DEFAULTS)).toEqual({});
		const q = { status: 'submitted', track: 't', topic: '4', region: '440305', sort: 'saved_at', page: '2', per_page: '100' };
		expect(c.toQueueQuery(c.fromQueueQuery(q))).toEqual(q);
		// A topic without its track is not written.
		expect(c.toQueueQuery({ ...c.QUEUE_DEFAULTS, topic: '4' })).toEqual({});
	});

	it('maps the state to the endpoint’s parameter names', () => {
		const s = c.fromQueueQuery({ tech_status: 'passed', unit_type: '央企', from: '2026-06-01', q: 'abc' });
		expect(c.toApiQuery(s)).toMatchObject({
			tech_status: 'passed', unit_type: '央企', submitted_from: '2026-06-01', submitted_to: '', q: 'abc',
			sort: 'submitted_at', order: 'desc', page: 1, per_page: 20,
		});
	});

	it('cuts a keyword to 200 bytes at a character boundary', () => {
		const s = c.clampKeyword('数'.repeat(100));
		expect(new TextEncoder().encode(s).length).toBeLessThanOrEqual(200);
		expect(s).toBe('数'.repeat(66));
	});

	it('gives the cascader path of a region code', () => {
		expect(c.regionPath('440305')).toEqual(['440000', '440300', '440305']);
		expect(c.regionPath('440300')).toEqual(['440000', '440300']);
		expect(c.regionPath('440000')).toEqual(['440000']);
		expect(c.regionPath('')).toEqual([]);
	});
});

describe('exports', () => {
	const s = c.fromQueueQuery({ track: 'transportation', topic: '2', status: 'approved', q: '枢纽', region: '440300', tech_status: 'passed', from: '2026-06-01' });

	it('takes every filter of the queue under the export’s names', () => {
		expect(c.exportFilters(s)).toEqual({
			track: 'transportation', topic: '2', status: 'approved', stage: '', tech_status: 'passed', region: '440300',
			unit_type: '', submitted_from: '2026-06-01', submitted_to: '', q: '枢纽',
		});
	});

	it('builds the GET address and the job body', () => {
		const f = c.exportFilters(s);
		expect(c.exportUrl('guangdong-2026', 'xlsx', f, { sheet: 'members', columns: 'all', unmask: false }))
			.toBe('/api/v1/review/competitions/guangdong-2026/export.xlsx?track=transportation&topic=2&status=approved&tech_status=passed&region=440300&submitted_from=2026-06-01&q=%E6%9E%A2%E7%BA%BD&columns=all');
		expect(c.exportUrl('guangdong-2026', 'csv', { status: 'returned' }, { sheet: 'members', unmask: true }))
			.toBe('/api/v1/review/competitions/guangdong-2026/export.csv?status=returned&sheet=members&unmask=1');
		expect(c.exportJobBody('csv', f, { sheet: 'units', columns: 'summary', unmask: true })).toEqual({
			format: 'csv', track: 'transportation', topic: 2, status: 'approved', tech_status: 'passed', region: '440300',
			submitted_from: '2026-06-01', q: '枢纽', sheet: 'units', columns: 'summary', unmask: true,
		});
		expect(c.exportJobBody('xlsx', c.exportFilters(c.QUEUE_DEFAULTS), { sheet: 'units' })).toEqual({ format: 'xlsx' });
	});

	it('asks for the 申报书 of chosen records by id, without the filters', () => {
		expect(c.exportJobBody('pdf_zip', c.exportFilters(s), { ids: [3, 5], columns: 'all', unmask: false }))
			.toEqual({ format: 'pdf_zip', ids: [3, 5] });
		expect(c.exportJobBody('pdf_zip', { status: 'approved' }, { columns: 'all' })).toEqual({ format: 'pdf_zip', status: 'approved' });
	});
});

describe('who works on which sub-contest', () => {
	const catalog = [
		{ slug: 'guangdong-2026', name: '广东分赛全称', short_name: '广东分赛' },
		{ slug: 'fujian-2026', name: '福建分赛全称', short_name: '福建分赛' },
	];
	it('lists the sub-contests of the roles, in catalog order', () => {
		const roles = [
			{ role: 'applicant', competition: null },
			{ role: 'judge', competition: 'guangdong-2026' },
			{ role: 'reviewer', competition: 'fujian-2026' },
		];
		expect(c.staffCompetitions(roles, catalog)).toEqual([
			{ slug: 'guangdong-2026', name: '广东分赛全称', short_name: '广东分赛', review: false, admin: false, judge: true },
			{ slug: 'fujian-2026', name: '福建分赛全称', short_name: '福建分赛', review: true, admin: false, judge: false },
		]);
	});
	it('gives a platform admin every sub-contest with admin rights', () => {
		const list = c.staffCompetitions([{ role: 'platform_admin', competition: null }], catalog);
		expect(list.map((x) => [x.slug, x.review, x.admin])).toEqual([['guangdong-2026', true, true], ['fujian-2026', true, true]]);
	});
	it('keeps a role whose sub-contest the catalog does not (yet) list', () => {
		const list = c.staffCompetitions([{ role: 'competition_admin', competition: 'old-2025' }], []);
		expect(list).toEqual([{ slug: 'old-2025', name: 'old-2025', short_name: 'old-2025', review: true, admin: true, judge: false }]);
	});
});

describe('decisions', () => {
	it('moves the stage one step at a time', () => {
		expect(c.nextStage('unreviewed')).toBe('preliminary');
		expect(c.nextStage('final')).toBe('national');
		expect(c.nextStage('national')).toBe(null);
		expect(c.nextStage('bogus')).toBe(null);
	});

	it('offers what the state allows', () => {
		expect(c.reviewActions({ status: 'submitted', stage: 'unreviewed', tech_status: 'not_started' }))
			.toEqual({ approve: true, return: true, stage: null, techOpen: false, techResult: false });
		expect(c.reviewActions({ status: 'approved', stage: 'preliminary', tech_status: 'failed' }))
			.toEqual({ approve: false, return: false, stage: 'final', techOpen: true, techResult: false });
		expect(c.reviewActions({ status: 'approved', stage: 'national', tech_status: 'verifying' }))
			.toEqual({ approve: false, return: false, stage: null, techOpen: false, techResult: true });
		expect(c.reviewActions({ status: 'returned', stage: 'unreviewed', tech_status: 'not_started' }).approve).toBe(false);
	});

	it('sends only the keys the endpoints take', async () => {
		api.post.mockReset().mockResolvedValue({});
		await c.approveApplication(7, '');
		await c.approveApplication(7, '材料齐全');
		await c.returnApplication(7, '请补充');
		await c.recordTechResult(7, { result: 'passed', comment: '' });
		await c.batchDecide('guangdong-2026', { action: 'stage', ids: [1, 2], stage: 'final' });
		expect(api.post.mock.calls.map((x) => [x[0], x[1]])).toEqual([
			['/api/v1/review/applications/7/approve', {}],
			['/api/v1/review/applications/7/approve', { reason: '材料齐全' }],
			['/api/v1/review/applications/7/return', { reason: '请补充' }],
			['/api/v1/review/applications/7/tech-verification/result', { result: 'passed' }],
			['/api/v1/review/competitions/guangdong-2026/batch', { action: 'stage', ids: [1, 2], stage: 'final' }],
		]);
	});

	it('names each batch result with the selected rows', () => {
		const res = {
			action: 'approve', succeeded: 1, failed: 1,
			results: [
				{ id: 3, ok: true, status: 'approved' },
				{ id: 4, ok: false, error: { code: 'not_submitted', message: '只有已提交的报名可以审核（当前状态：已通过）' } },
			],
		};
		expect(c.describeBatch(res, [{ id: 3, project_name: '甲' }, { id: 4, project_name: '乙' }])).toEqual({
			succeeded: 1, failed: 1,
			items: [
				{ id: 3, name: '甲', ok: true, message: '成功' },
				{ id: 4, name: '乙', ok: false, message: '只有已提交的报名可以审核（当前状态：已通过）' },
			],
		});
	});

	it('caches the return-reason templates per sub-contest, but not a failure', async () => {
		c.forgetReturnReasons();
		api.get.mockReset().mockRejectedValueOnce(new Error('down')).mockResolvedValue({ reasons: ['a'], custom: false });
		await expect(c.getReturnReasons('gd')).rejects.toThrow('down');
		expect((await c.getReturnReasons('gd')).reasons).toEqual(['a']);
		await c.getReturnReasons('gd');
		expect(api.get).toHaveBeenCalledTimes(2);
	});
});

describe('times', () => {
	it('reads a picker value as China time', () => {
		expect(c.chinaIso('2026-08-01T18:00:00')).toBe('2026-08-01T18:00:00+08:00');
		expect(c.chinaIso('2026-08-01T18:00')).toBe('2026-08-01T18:00:00+08:00');
		expect(c.chinaIso('')).toBe('');
		expect(c.chinaSeconds('2026-08-01T18:00:00')).toBe(Date.UTC(2026, 7, 1, 10) / 1000);
		expect(Number.isNaN(c.chinaSeconds('tomorrow'))).toBe(true);
	});
});

describe('downloads', () => {
	beforeEach(() => {
		notifyError.mockReset();
	});

	it('reads the file name of Content-Disposition', () => {
		expect(c.dispositionName(`attachment; filename="a.pdf"; filename*=UTF-8''%E7%94%B3%E6%8A%A5%E4%B9%A6-7.pdf`)).toBe('申报书-7.pdf');
		expect(c.dispositionName('attachment; filename="export.csv"')).toBe('export.csv');
		expect(c.dispositionName(null)).toBe('');
	});

	it('shows a refusal instead of saving a page of JSON', async () => {
		globalThis.fetch = vi.fn().mockResolvedValue({
			ok: false, status: 403, headers: new Headers(),
			text: async () => JSON.stringify({ error: { code: 'forbidden', message: '需要该分赛的管理员权限' } }),
		});
		await expect(c.downloadFile('/x', 'x.pdf')).rejects.toThrow('需要该分赛的管理员权限');
		expect(notifyError).toHaveBeenCalledTimes(1);
	});

	it('hands a file to the browser under the server’s name', async () => {
		globalThis.fetch = vi.fn().mockResolvedValue({
			ok: true, status: 200,
			headers: new Headers({ 'Content-Disposition': `attachment; filename*=UTF-8''%E6%8A%A5%E5%90%8D.xlsx` }),
			blob: async () => new Blob(['x']),
		});
		URL.createObjectURL = vi.fn(() => 'blob:x');
		URL.revokeObjectURL = vi.fn();
		const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
		expect(await c.downloadFile('/x', 'fallback.xlsx')).toBe('报名.xlsx');
		expect(clicked).toHaveBeenCalledTimes(1);
		clicked.mockRestore();
	});
});
