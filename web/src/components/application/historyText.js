// One entry of an application's history (docs/API.md, the record's
// `history`) as the applicant reads it: what happened, the change in
// words (codes → the server's labels), and the reason or comment.

export const STATUS_LABELS = { draft: '草稿', submitted: '已提交', approved: '已通过', returned: '已退回' };
export const STAGE_LABELS = { unreviewed: '未审核', preliminary: '初赛', final: '决赛', national: '国赛推送' };
export const TECH_LABELS = { not_started: '未开始', pending: '待提交', verifying: '验证中', passed: '已通过', failed: '未通过' };

const ACTIONS = {
	create: '创建报名',
	submit: '提交报名',
	resubmit: '重新提交',
	return: '退回修改',
	approve: '审核通过',
	stage: '项目阶段调整',
	tech_open: '开启技术验证',
	tech_submit: '提交技术验证材料',
	tech_result: '技术验证结果',
};

const TYPES = {
	create: 'info',
	submit: 'primary',
	resubmit: 'primary',
	return: 'danger',
	approve: 'success',
	stage: 'primary',
	tech_open: 'warning',
	tech_submit: 'primary',
};

const label = (table, code) => (code ? table[code] || code : '');

function change(table, from, to) {
	const a = label(table, from);
	const b = label(table, to);
	if (!b)
		return '';
	return a && a !== b ? `${a} → ${b}` : b;
}

// → { title, what (e.g. "项目阶段：初赛 → 决赛"), reasonLabel, reason, type }
export function describeHistory(h) {
	const action = h?.action || '';
	let title = ACTIONS[action] || action || '记录';
	let what = '';
	let type = TYPES[action] || 'info';
	let reasonLabel = '说明';
	if (action === 'stage') {
		what = `项目阶段：${change(STAGE_LABELS, h.from_value, h.to_value)}`;
	} else if (action.startsWith('tech_')) {
		what = `技术验证状态：${change(TECH_LABELS, h.from_value, h.to_value)}`;
		if (action === 'tech_result') {
			title = h.to_value === 'passed' ? '技术验证通过' : h.to_value === 'failed' ? '技术验证未通过' : title;
			type = h.to_value === 'passed' ? 'success' : h.to_value === 'failed' ? 'danger' : 'info';
			reasonLabel = '评审意见';
		}
	} else if (h?.to_status) {
		what = `报名状态：${change(STATUS_LABELS, h.from_status, h.to_status)}`;
		if (action === 'return')
			reasonLabel = '退回原因';
		else if (action === 'approve')
			reasonLabel = '审核意见';
	}
	return { title, what, reasonLabel, reason: h?.reason || '', type };
}
