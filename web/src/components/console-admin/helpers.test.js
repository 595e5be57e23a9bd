import { describe, it, expect } from 'vitest';
import { formatChinaTime, isoToWall, wallToIso, wallText, chinaToday } from '../../util/chinaTime.js';
import { describeFailure, rowErrors, fieldMap } from './refusal.js';

describe('China time', () => {
	it('formats Unix seconds in China whatever the zone', () => {
		expect(formatChinaTime(1781308800)).toBe('2026-06-13 08:00:00');
		expect(formatChinaTime(null)).toBe('');
		expect(chinaToday(Date.UTC(2026, 5, 12, 17, 0, 0))).toBe('2026-06-13');
	});

	it('the pickers work on wall-clock strings; the server gets +08:00', () => {
		expect(isoToWall('2026-06-13T00:00:00+08:00')).toBe('2026-06-13 00:00:00');
		expect(isoToWall('2026-06-12T16:00:00Z')).toBe('2026-06-13 00:00:00');
		expect(isoToWall(null)).toBe(null);
		expect(wallToIso('2026-07-15 23:59:59')).toBe('2026-07-15T23:59:59+08:00');
		expect(wallToIso(null)).toBe(null);
		expect(wallText('2026-07-15 23:59:59')).toBe('2026-07-15 23:59');
	});
});

describe('refusals and field errors', () => {
	it('says what a refusal means', () => {
		expect(describeFailure({ status: 403, code: 'forbidden', message: '需要该分赛的管理员权限' }))
			.toMatchObject({ kind: 'forbidden', title: '没有权限访问此页面', detail: '需要该分赛的管理员权限。如需开通权限，请联系平台管理员。' });
		expect(describeFailure({ status: 404, code: 'competition_not_found', message: '赛事不存在' }).title).toBe('赛事不存在');
		expect(describeFailure({ status: 404, code: 'not_found', message: '赛事不存在或没有访问权限' }).detail).toBe('赛事不存在或没有访问权限');
		expect(describeFailure({ status: 0, code: 'network', message: '网络连接失败' })).toMatchObject({ retry: true, title: '加载失败' });
	});

	it('row errors by index, the rest in general', () => {
		const r = rowErrors([
			{ field: 'reasons[1]', message: '第 2 条重复' },
			{ field: 'reasons[1]', message: '太长' },
			{ field: 'reasons', message: '最多 30 条' },
		], 'reasons');
		expect(r.rows).toEqual({ 1: '第 2 条重复；太长' });
		expect(r.general).toBe('最多 30 条');
	});

	it('field errors by a mapped name', () => {
		const r = fieldMap([{ field: 'phone', message: '未注册' }, { field: 'zzz', message: '未知' }], (n) => (n === 'phone' ? 'who' : null));
		expect(r).toEqual({ byField: { who: '未注册' }, general: '未知' });
	});
});
