import { describe, it, expect } from 'vitest';
import { previewKind, fileState, groupFiles, rowLabel } from './attachmentView.js';
import { historyEntries } from './historyView.js';
import { unitNatures } from './useConsoleCompetitions.js';

describe('attachments for reviewers', () => {
	it('previews PDFs and images only, by the stored type', () => {
		expect(previewKind({ kind: 'pdf', mime: 'application/pdf' })).toBe('pdf');
		expect(previewKind({ kind: 'png', mime: 'image/png' })).toBe('image');
		expect(previewKind({ kind: 'jpg', mime: 'image/jpeg' })).toBe('image');
		expect(previewKind({ kind: 'docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' })).toBe('');
		expect(previewKind({ kind: 'mp4', mime: 'video/mp4' })).toBe('');
		expect(previewKind(null)).toBe('');
	});

	it('groups by slot in schema order, live files before retired ones', () => {
		const slots = [{ key: 'qualification', label: '资格证明' }, { key: 'ppt', label: '项目PPT' }, { key: 'tech', label: '技术验证材料' }];
		const files = [
			{ id: 1, slot: 'ppt', uploaded_at: 10, deleted_at: null, replaced_by: 2 },
			{ id: 2, slot: 'ppt', uploaded_at: 20, deleted_at: null, replaced_by: null },
			{ id: 3, slot: 'qualification', uploaded_at: 5, deleted_at: 30, replaced_by: null },
			{ id: 4, slot: 'legacy', uploaded_at: 1 },
		];
		const g = groupFiles(slots, files);
		expect(g.map((x) => [x.key, x.label, x.files.map((f) => [f.id, f.state])])).toEqual([
			['qualification', '资格证明', [[3, 'deleted']]],
			['ppt', '项目PPT', [[2, 'live'], [1, 'replaced']]],
			['legacy', 'legacy', [[4, 'live']]],
		]);
		expect(fileState({ deleted_at: 5, replaced_by: 9 })).toBe('replaced');
	});

	it('names a file’s table row', () => {
		expect(rowLabel('value.cases[0]')).toBe('案例 第 1 行');
		expect(rowLabel('ip.property.patents[2]')).toBe('专利 第 3 行');
		expect(rowLabel('')).toBe('');
	});
});

describe('history', () => {
	const history = [
		{ action: 'create', from_status: null, to_status: 'draft', from_value: null, to_value: null, reason: null, created_at: 1, actor_id: 5 },
		{ action: 'submit', from_status: 'draft', to_status: 'submitted', from_value: null, to_value: null, reason: null, created_at: 2, actor_id: 5 },
		{ action: 'return', from_status: 'submitted', to_status: 'returned', from_value: null, to_value: null, reason: '请补充', created_at: 3, actor_id: 9 },
		{ action: 'stage', from_status: 'approved', to_status: 'approved', from_value: 'unreviewed', to_value: 'preliminary', reason: null, created_at: 4, actor_id: 9 },
		{ action: 'tech_result', from_status: 'approved', to_status: 'approved', from_value: 'verifying', to_value: 'failed', reason: '缺测试报告', created_at: 5, actor_id: 9 },
	];
	it('lists newest first with the change, the reason and who did it', () => {
		const e = historyEntries(history, 5);
		expect(e.map((x) => [x.title, x.change, x.reasonLabel, x.reason, x.actor, x.type])).toEqual([
			['记录技术验证结果', '验证中 → 未通过', '验证意见', '缺测试报告', '工作人员（用户编号 9）', 'danger'],
			['调整项目阶段', '未审核 → 初赛', '审核意见', '', '工作人员（用户编号 9）', 'primary'],
			['退回', '已提交 → 已退回', '退回原因', '请补充', '工作人员（用户编号 9）', 'danger'],
			['提交报名', '草稿 → 已提交', '审核意见', '', '报名人', 'primary'],
			['创建报名', '草稿', '审核意见', '', '报名人', 'info'],
		]);
	});
});

describe('the form’s 单位性质', () => {
	it('comes from the units table', () => {
		const schema = { sections: [{ key: 'units', table: { columns: [{ key: 'nature', options: ['民营', '央企'] }] } }] };
		expect(unitNatures(schema)).toEqual(['民营', '央企']);
		expect(unitNatures(null)).toEqual([]);
	});
});
