import { describe, it, expect } from 'vitest';
import { mount } from '@vue/test-utils';
import { diffBeforeAfter, describeDetail, isEmptyDetail, formatValue, actionLabel, objectTypeLabel } from './auditDiff.js';
import AuditDetail from './AuditDetail.vue';

describe('audit detail', () => {
	it('lists only the keys that changed, with labels', () => {
		const d = diffBeforeAfter(
			{ status: 'submitted', stage: 'unreviewed', tech_status: 'not_started', version: 3 },
			{ status: 'approved', stage: 'unreviewed', tech_status: 'not_started', version: 4 },
		);
		expect(d.list).toBe(false);
		expect(d.rows).toEqual([
			{ key: 'status', label: '报名状态', kind: 'changed', before: '已提交', after: '已通过' },
			{ key: 'version', label: '版本', kind: 'changed', before: '3', after: '4' },
		]);
	});

	it('a creation adds keys, a deletion removes them', () => {
		expect(diffBeforeAfter(null, { status: 'draft', version: 1 }).rows.map((r) => [r.kind, r.after]))
			.toEqual([['added', '草稿'], ['added', '1']]);
		expect(diffBeforeAfter({ status: 'draft', version: 2 }, null).rows.map((r) => [r.kind, r.before]))
			.toEqual([['removed', '草稿'], ['removed', '2']]);
	});

	it('schedule dates read as China time, null as a dash', () => {
		const d = diffBeforeAfter(
			{ registration_opens: '2026-06-13T00:00:00+08:00', resubmit_closes: null },
			{ registration_opens: '2026-06-13T00:00:00+08:00', resubmit_closes: '2026-08-01T23:59:59+08:00' },
		);
		expect(d.rows).toEqual([{ key: 'resubmit_closes', label: '退回修改截止时间', kind: 'changed', before: '—', after: '2026-08-01 23:59:59' }]);
	});

	it('nested objects compare by dotted path', () => {
		const d = diffBeforeAfter({ a: { status: 'draft', x: 1 } }, { a: { status: 'submitted', x: 1 } });
		expect(d.rows).toEqual([{ key: 'a.status', label: '报名状态', kind: 'changed', before: '草稿', after: '已提交' }]);
	});

	it('lists (the return reasons): added, removed, reordered', () => {
		expect(diffBeforeAfter(['a', 'b', 'c'], ['c', 'a', 'd'])).toEqual({ list: true, added: ['d'], removed: ['b'], reordered: true });
		expect(diffBeforeAfter(['a', 'b'], ['a', 'b', 'c'])).toEqual({ list: true, added: ['c'], removed: [], reordered: false });
	});

	it('the other facts of an action, with labels and values', () => {
		const d = describeDetail({ before: { status: 'submitted' }, after: { status: 'returned' }, reason: '附件不清晰', due_at: 1785578400 });
		expect(d.changes.rows).toHaveLength(1);
		expect(d.facts).toEqual([
			{ key: 'reason', label: '原因', value: '附件不清晰' },
			{ key: 'due_at', label: '提交截止时间', value: '2026-08-01 18:00:00' },
		]);
	});

	it('a staff change keeps the entry before, not a fake removal', () => {
		const d = describeDetail({ role: 'judge', before: { user_id: 5, account: 'zhang', roles: ['reviewer'] } });
		expect(d.changes).toBe(null);
		expect(d.before).toEqual([
			{ key: 'user_id', label: '用户编号', value: '5' },
			{ key: 'account', label: '账号', value: 'zhang' },
			{ key: 'roles', label: '角色', value: '审核员' },
		]);
		expect(d.facts).toEqual([{ key: 'role', label: '角色', value: '评审专家' }]);
		const r = describeDetail({ removed: ['reviewer', 'judge'], before: null });
		expect(r.before).toBe(null);
		expect(r.facts[0].value).toBe('审核员、评审专家');
	});

	it('an SMS template: a missing side is the built-in text', () => {
		const d = describeDetail({ event: 'return', after: '新文本{project}' }, 'sms_template_set');
		expect(d.changes.rows).toEqual([{ key: '', label: '内容', kind: 'changed', before: '（内置文本）', after: '新文本{project}' }]);
		expect(d.facts).toEqual([{ key: 'event', label: '短信事件', value: '退回修改' }]);
	});

	it('old text entries and empty details', () => {
		expect(describeDetail({ text: '旧记录' }).facts).toEqual([{ key: 'text', label: '说明', value: '旧记录' }]);
		expect(isEmptyDetail(describeDetail(null))).toBe(true);
		expect(isEmptyDetail(describeDetail({}))).toBe(true);
		expect(isEmptyDetail(describeDetail({ before: { a: 1 }, after: { a: 1 } }))).toBe(true);
	});

	it('labels', () => {
		expect(actionLabel('unit_list_import')).toBe('导入名单');
		expect(actionLabel('mystery')).toBe('mystery');
		expect(objectTypeLabel('exclusion')).toBe('组织单位名单');
		expect(formatValue('roles', [])).toBe('（无）');
		expect(formatValue('x', true)).toBe('是');
	});

	it('renders old → new for people and screen readers', () => {
		const w = mount(AuditDetail, {
			props: { entry: { action: 'approve', detail: { before: { status: 'submitted' }, after: { status: 'approved' } } } },
		});
		expect(w.find('del').text()).toBe('原值已提交');
		expect(w.find('ins').text()).toBe('，新值已通过');
		expect(w.text()).toContain('报名状态');
	});
});
