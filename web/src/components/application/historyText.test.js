import { describe, expect, it } from 'vitest';
import { describeHistory } from './historyText.js';

const entry = (o) => ({ from_status: null, to_status: null, from_value: null, to_value: null, reason: null, created_at: 1, actor_id: 1, ...o });

describe('describeHistory', () => {
	it('status changes in words, with the return reason', () => {
		expect(describeHistory(entry({ action: 'create', to_status: 'draft' }))).toMatchObject({ title: '创建报名', what: '报名状态：草稿', type: 'info' });
		expect(describeHistory(entry({ action: 'submit', from_status: 'draft', to_status: 'submitted' })).what).toBe('报名状态：草稿 → 已提交');
		const r = describeHistory(entry({ action: 'return', from_status: 'submitted', to_status: 'returned', reason: '附件不清晰' }));
		expect(r).toMatchObject({ title: '退回修改', reasonLabel: '退回原因', reason: '附件不清晰', type: 'danger' });
		expect(describeHistory(entry({ action: 'approve', from_status: 'submitted', to_status: 'approved', reason: '材料齐全' })))
			.toMatchObject({ title: '审核通过', reasonLabel: '审核意见', type: 'success' });
	});

	it('stages from their codes', () => {
		const s = describeHistory(entry({ action: 'stage', from_status: 'approved', to_status: 'approved', from_value: 'preliminary', to_value: 'final' }));
		expect(s.title).toBe('项目阶段调整');
		expect(s.what).toBe('项目阶段：初赛 → 决赛');
		expect(describeHistory(entry({ action: 'stage', from_value: 'final', to_value: 'national' })).what).toBe('项目阶段：决赛 → 国赛推送');
	});

	it('technical verification steps, the result with the reviewer’s comment', () => {
		expect(describeHistory(entry({ action: 'tech_open', from_value: 'not_started', to_value: 'pending' })))
			.toMatchObject({ title: '开启技术验证', what: '技术验证状态：未开始 → 待提交', type: 'warning' });
		expect(describeHistory(entry({ action: 'tech_submit', from_value: 'pending', to_value: 'verifying' })).what)
			.toBe('技术验证状态：待提交 → 验证中');
		expect(describeHistory(entry({ action: 'tech_result', from_value: 'verifying', to_value: 'failed', reason: '视频无法播放' })))
			.toMatchObject({ title: '技术验证未通过', what: '技术验证状态：验证中 → 未通过', reasonLabel: '评审意见', reason: '视频无法播放', type: 'danger' });
		expect(describeHistory(entry({ action: 'tech_result', from_value: 'verifying', to_value: 'passed' })))
			.toMatchObject({ title: '技术验证通过', type: 'success' });
	});

	it('an unknown action or code is shown as it is', () => {
		expect(describeHistory(entry({ action: 'archive' })).title).toBe('archive');
		expect(describeHistory(entry({ action: 'stage', from_value: 'x', to_value: 'y' })).what).toBe('项目阶段：x → y');
	});
});
