import { describe, it, expect, vi, beforeEach } from 'vitest';

vi.mock('./http.js', () => ({
	api: { get: vi.fn(), post: vi.fn(), put: vi.fn(), del: vi.fn() },
	request: vi.fn(),
}));

const { api, request } = await import('./http.js');
const admin = await import('./consoleAdmin.js');

describe('consoleAdmin', () => {
	beforeEach(() => {
		for (const f of Object.values(api))
			f.mockReset();
		request.mockReset();
	});

	it('reads and replaces the return reasons of a sub-contest', async () => {
		api.get.mockResolvedValue({ reasons: ['a'], custom: false });
		await admin.getReturnReasons('guangdong-2026');
		expect(api.get).toHaveBeenCalledWith('/api/v1/review/competitions/guangdong-2026/return-reasons', { quiet: true });
		api.put.mockResolvedValue({ reasons: ['b'], custom: true });
		await admin.putReturnReasons('guangdong-2026', ['b']);
		expect(api.put).toHaveBeenCalledWith('/api/v1/review/competitions/guangdong-2026/return-reasons', { reasons: ['b'] }, { quiet: true });
	});

	it('adds staff by phone or by account, never both', async () => {
		api.post.mockResolvedValue({});
		await admin.addStaff('gd', 'reviewer', { phone: '13800138000' });
		expect(api.post).toHaveBeenLastCalledWith('/api/v1/admin/competitions/gd/staff', { role: 'reviewer', phone: '13800138000' }, { quiet: true });
		await admin.addStaff('gd', 'judge', { account: 'zhang' });
		expect(api.post).toHaveBeenLastCalledWith('/api/v1/admin/competitions/gd/staff', { role: 'judge', account: 'zhang' }, { quiet: true });
	});

	it('lists staff and removes one role or all', async () => {
		api.get.mockResolvedValue({ items: [{ user_id: 3 }] });
		expect(await admin.listStaff('gd')).toEqual([{ user_id: 3 }]);
		api.del.mockResolvedValue({ removed: ['judge'] });
		await admin.removeStaff('gd', 3, 'judge');
		expect(api.del).toHaveBeenLastCalledWith('/api/v1/admin/competitions/gd/staff/3', { quiet: true, query: { role: 'judge' } });
		await admin.removeStaff('gd', 3);
		expect(api.del).toHaveBeenLastCalledWith('/api/v1/admin/competitions/gd/staff/3', { quiet: true, query: undefined });
	});

	it('sends only the schedule keys given', async () => {
		api.put.mockResolvedValue({});
		await admin.putSchedule('gd', { resubmit_closes: null });
		expect(api.put).toHaveBeenCalledWith('/api/v1/admin/competitions/gd/schedule', { resubmit_closes: null }, { quiet: true });
	});

	it('posts the CSV file as it is, with dry_run for the preview', async () => {
		const file = new Blob(['914403007XQF00003E,某公司\n'], { type: 'text/csv' });
		request.mockResolvedValue({ rows: [], errors: [], applied: false });
		await admin.importUnitList('exclusion', file, { competition: 'gd', dryRun: true });
		expect(request).toHaveBeenLastCalledWith('POST', '/api/v1/admin/unit-lists/exclusion', {
			quiet: true,
			query: { competition: 'gd', dry_run: 1 },
			body: file,
			contentType: 'text/csv; charset=utf-8',
		});
		await admin.importUnitList('dishonest', file);
		expect(request.mock.lastCall[2].query).toEqual({ competition: undefined, dry_run: undefined });
	});

	it('lists and exports a unit list', async () => {
		api.get.mockResolvedValue({ items: [], total: 0 });
		await admin.listUnitList('exclusion', { competition: 'gd', q: '深圳', page: 2, perPage: 20 });
		expect(api.get).toHaveBeenCalledWith('/api/v1/admin/unit-lists/exclusion', {
			quiet: true, query: { competition: 'gd', q: '深圳', page: 2, per_page: 20 },
		});
		expect(admin.unitListExportUrl('exclusion', 'gd')).toBe('/api/v1/admin/unit-lists/exclusion/export.csv?competition=gd');
		expect(admin.unitListExportUrl('dishonest')).toBe('/api/v1/admin/unit-lists/dishonest/export.csv');
	});

	it('verifies a credit code, with the note only when there is one', async () => {
		api.post.mockResolvedValue({ uscc: 'X', verified: true });
		await admin.verifyUscc('x', '');
		expect(api.post).toHaveBeenLastCalledWith('/api/v1/admin/uscc-verified', { uscc: 'x' }, { quiet: true });
		await admin.verifyUscc('x', '核对过执照');
		expect(api.post).toHaveBeenLastCalledWith('/api/v1/admin/uscc-verified', { uscc: 'x', note: '核对过执照' }, { quiet: true });
	});

	it('queries the audit log and the SMS templates', async () => {
		api.get.mockResolvedValue({});
		await admin.listAudit({ competition: 'gd', page: 1 });
		expect(api.get).toHaveBeenLastCalledWith('/api/v1/admin/audit', { quiet: true, query: { competition: 'gd', page: 1 } });
		await admin.getSmsTemplates();
		expect(api.get).toHaveBeenLastCalledWith('/api/v1/admin/sms-templates', { quiet: true });
		api.put.mockResolvedValue({});
		await admin.putSmsTemplates({ return: null });
		expect(api.put).toHaveBeenLastCalledWith('/api/v1/admin/sms-templates', { templates: { return: null } }, { quiet: true });
	});

	it('names the roles', () => {
		expect(admin.roleLabel('reviewer')).toBe('审核员');
		expect(admin.roleLabel('competition_admin')).toBe('分赛管理员');
		expect(admin.roleLabel('other')).toBe('other');
	});
});
