import { describe, expect, it } from 'vitest';
import { techView, countdownText, submitProblem } from './techState.js';

const NOW = 1_782_000_000;
const pending = (over = {}) => ({
	status: 'pending', status_label: '待提交', instructions: '请上传系统演示视频和测试报告。',
	due_at: NOW + 10 * 86400, submitted_at: null, comment: null, overdue: false, can_submit: true, ...over,
});

describe('techView', () => {
	it('shows nothing before technical verification is opened', () => {
		expect(techView(null, NOW)).toBe(null);
		expect(techView(undefined, NOW)).toBe(null);
	});

	it('pending, far from the due time: open, no countdown, due time in China time', () => {
		const v = techView(pending({ due_at: 1782316800 }), NOW); // 2026-06-25 00:00 +08:00
		expect(v.label).toBe('待提交');
		expect(v.tagType).toBe('warning');
		expect(v.canUpload).toBe(true);
		expect(v.canSubmit).toBe(true);
		expect(v.countdown).toBe('');
		expect(v.dueText).toBe('2026-06-25 00:00');
		expect(v.instructions).toBe('请上传系统演示视频和测试报告。');
		expect(v.comment).toBe('');
		expect(v.note).toMatch(/截止时间前上传/);
	});

	it('counts down in the last three days, urgently in the last one', () => {
		let v = techView(pending({ due_at: NOW + 2 * 86400 + 5 * 3600 + 100 }), NOW);
		expect(v.countdown).toBe('剩余 2 天 5 小时');
		expect(v.urgent).toBe(false);
		v = techView(pending({ due_at: NOW + 3 * 3600 + 12 * 60 }), NOW);
		expect(v.countdown).toBe('剩余 3 小时 12 分钟');
		expect(v.urgent).toBe(true);
	});

	it('closes at the due time even if the page still has the old flags', () => {
		const v = techView(pending({ due_at: NOW - 1 }), NOW);
		expect(v.overdue).toBe(true);
		expect(v.canUpload).toBe(false);
		expect(v.canSubmit).toBe(false);
		expect(v.countdown).toBe('');
		expect(v.note).toMatch(/已截止/);
	});

	it('trusts the server when it says overdue or not submittable', () => {
		expect(techView(pending({ overdue: true, can_submit: false }), NOW).canSubmit).toBe(false);
		expect(techView(pending({ can_submit: false }), NOW).canUpload).toBe(false);
	});

	it('verifying: closed, with the submission time', () => {
		const v = techView(pending({ status: 'verifying', status_label: '验证中', submitted_at: 1781400000, can_submit: false }), NOW);
		expect(v.label).toBe('验证中');
		expect(v.canSubmit).toBe(false);
		expect(v.canUpload).toBe(false);
		expect(v.overdue).toBe(false);
		expect(v.countdown).toBe('');
		expect(v.submittedText).toBe('2026-06-14 09:20');
		expect(v.note).toMatch(/等待结果/);
	});

	it('failed shows the reviewer’s comment; passed its remark, if any', () => {
		const f = techView(pending({ status: 'failed', status_label: '未通过', comment: '演示视频无法播放', can_submit: false }), NOW);
		expect(f.tagType).toBe('danger');
		expect(f.comment).toBe('演示视频无法播放');
		expect(f.remark).toBe('');
		const p = techView(pending({ status: 'passed', status_label: '已通过', comment: null, can_submit: false }), NOW);
		expect(p.tagType).toBe('success');
		expect(p.comment).toBe('');
		expect(p.remark).toBe('');
	});

	it('uses its own label when the server sends none', () => {
		expect(techView({ status: 'verifying' }, NOW).label).toBe('验证中');
	});
});

describe('countdownText', () => {
	it('words the time left', () => {
		expect(countdownText(3 * 86400)).toBe('剩余 3 天');
		expect(countdownText(7200)).toBe('剩余 2 小时');
		expect(countdownText(61)).toBe('剩余 1 分钟');
		expect(countdownText(59)).toBe('剩余不足 1 分钟');
		expect(countdownText(0)).toBe('已截止');
		expect(countdownText(-5)).toBe('已截止');
	});
});

describe('submitProblem', () => {
	it('422 incomplete: upload first, at the slot', () => {
		const p = submitProblem({ code: 'incomplete', message: '报名信息不完整', fields: [{ field: 'attachments.tech', code: 'required', message: '请上传技术验证材料（PDF…）' }] });
		expect(p.message).toBe('请先上传技术验证材料，再提交验证。');
		expect(p.slotError).toBe('请上传技术验证材料（PDF…）');
		expect(p.reload).toBe(false);
	});

	it('409 tech_overdue: the server’s message, and the record reloaded', () => {
		const p = submitProblem({ code: 'tech_overdue', message: '技术验证材料的提交时间已截止（2026-08-01 18:00）' });
		expect(p.message).toBe('技术验证材料的提交时间已截止（2026-08-01 18:00）');
		expect(p.reload).toBe(true);
	});

	it('a changed record is reloaded; anything else is told as it is', () => {
		expect(submitProblem({ code: 'stale_version', message: '报名内容已在其他页面修改' }).reload).toBe(true);
		expect(submitProblem({ code: 'tech_state', message: '当前状态不能提交' }).reload).toBe(true);
		expect(submitProblem({ code: 'network', message: '网络连接失败' })).toEqual({ message: '网络连接失败', reload: false, slotError: '' });
	});
});
