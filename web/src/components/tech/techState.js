// What the 技术验证 panel shows for a record's tech_verification
// (docs/API.md, TechVerification) at a given moment. Pure, so the panel's
// states are tested without a browser.
import { formatTime } from '../../composables/useApplicationsList.js';

export const TECH_LABELS = {
	not_started: '未开始',
	pending: '待提交',
	verifying: '验证中',
	passed: '已通过',
	failed: '未通过',
};

const TAG_TYPES = { pending: 'warning', verifying: 'primary', passed: 'success', failed: 'danger' };

// Below this the due time gets a countdown; below URGENT it turns red.
export const COUNTDOWN_FROM = 3 * 86400;
export const URGENT = 86400;

// "剩余 2 天 5 小时", "剩余 3 小时 12 分钟", "剩余 8 分钟", "不足 1 分钟".
export function countdownText(seconds) {
	const s = Math.floor(Number(seconds));
	if (!Number.isFinite(s) || s <= 0)
		return '已截止';
	if (s < 60)
		return '剩余不足 1 分钟';
	const d = Math.floor(s / 86400);
	const h = Math.floor((s % 86400) / 3600);
	const m = Math.floor((s % 3600) / 60);
	if (d > 0)
		return h > 0 ? `剩余 ${d} 天 ${h} 小时` : `剩余 ${d} 天`;
	if (h > 0)
		return m > 0 ? `剩余 ${h} 小时 ${m} 分钟` : `剩余 ${h} 小时`;
	return `剩余 ${m} 分钟`;
}

// tv: the record's tech_verification (null before a reviewer opens it);
// nowSec: Unix seconds. → null, or what to show and allow.
export function techView(tv, nowSec = Math.floor(Date.now() / 1000)) {
	if (!tv || typeof tv !== 'object')
		return null;
	const status = tv.status || 'not_started';
	const due = Number(tv.due_at) || 0;
	const left = due ? due - nowSec : null;
	const pending = status === 'pending';
	// The server's flags are as of the answer; the clock may have passed
	// the due time since the page was loaded.
	const overdue = pending && (!!tv.overdue || (left !== null && left <= 0));
	const open = pending && !overdue && tv.can_submit !== false;
	let note;
	switch (status) {
	case 'pending':
		note = overdue
			? '技术验证材料的提交时间已截止，不能再上传或提交。如有疑问，请联系组委会。'
			: '请按下方要求在截止时间前上传技术验证材料，并点击“提交验证材料”。提交后材料不可再修改。';
		break;
	case 'verifying':
		note = '验证材料已提交，组委会正在验证，请等待结果。';
		break;
	case 'passed':
		note = '技术验证已通过。';
		break;
	case 'failed':
		note = '技术验证未通过，请查看评审意见。如组委会重新开启技术验证，可再次上传材料并提交。';
		break;
	default:
		note = '';
	}
	return {
		status,
		label: tv.status_label || TECH_LABELS[status] || '未知',
		tagType: TAG_TYPES[status] || 'info',
		instructions: tv.instructions || '',
		dueText: due ? formatTime(due) : '',
		// Counting down only while something is still to be done.
		countdown: pending && !overdue && left !== null && left <= COUNTDOWN_FROM ? countdownText(left) : '',
		urgent: pending && !overdue && left !== null && left <= URGENT,
		overdue,
		canUpload: open,
		canSubmit: open,
		submittedText: tv.submitted_at ? formatTime(tv.submitted_at) : '',
		comment: status === 'failed' ? (tv.comment || '') : '',
		// A passed round may carry a remark too.
		remark: status === 'passed' ? (tv.comment || '') : '',
		note,
	};
}

// What a refused submit means to the applicant. e: the ApiError.
// → { message, reload, slotError }
export function submitProblem(e) {
	switch (e?.code) {
	case 'incomplete': {
		const f = (e.fields || []).find((x) => x.field === 'attachments.tech');
		return { message: '请先上传技术验证材料，再提交验证。', reload: false, slotError: f?.message || '请上传技术验证材料' };
	}
	case 'tech_overdue':
		return { message: e.message, reload: true, slotError: '' };
	case 'tech_state':
	case 'stale_version':
		return { message: `${e.message}（已刷新为最新状态）`, reload: true, slotError: '' };
	default:
		return { message: e?.message || '提交失败，请稍后重试', reload: false, slotError: '' };
	}
}
