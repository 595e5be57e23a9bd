import { stageLabel, techLabel } from '../../api/console.js';
import { STATUS_OPTIONS } from '../../composables/useApplicationsList.js';

// The status history of a record (Application.history) as the console's
// timeline shows it: newest first, each entry with what happened, the
// change it made, its reason or comment, and who did it.

const ACTIONS = {
	create: '创建报名',
	submit: '提交报名',
	resubmit: '重新提交',
	return: '退回',
	approve: '审核通过',
	stage: '调整项目阶段',
	tech_open: '发起技术验证',
	tech_submit: '提交技术验证材料',
	tech_result: '记录技术验证结果',
};
const TYPES = {
	create: 'info', submit: 'primary', resubmit: 'primary', return: 'danger', approve: 'success',
	stage: 'primary', tech_open: 'warning', tech_submit: 'primary', tech_result: 'success',
};

const statusLabel = (s) => STATUS_OPTIONS.find((o) => o.value === s)?.label || s || '';

function change(h) {
	if (h.action === 'stage')
		return `${stageLabel(h.from_value)} → ${stageLabel(h.to_value)}`;
	if (h.action.startsWith('tech_'))
		return h.from_value || h.to_value ? `${techLabel(h.from_value)} → ${techLabel(h.to_value)}` : '';
	if (h.to_status && h.from_status !== h.to_status)
		return `${h.from_status ? `${statusLabel(h.from_status)} → ` : ''}${statusLabel(h.to_status)}`;
	return '';
}

function reasonLabel(h) {
	if (h.action === 'return')
		return '退回原因';
	if (h.action === 'tech_result')
		return '验证意见';
	if (h.action === 'tech_open')
		return '验证要求';
	return '审核意见';
}

export function historyEntries(history = [], ownerId = null) {
	return [...history].reverse().map((h, i) => ({
		key: `${history.length - i}`,
		title: ACTIONS[h.action] || h.action,
		type: h.action === 'tech_result' && h.to_value === 'failed' ? 'danger' : (TYPES[h.action] || 'info'),
		change: change(h),
		reasonLabel: reasonLabel(h),
		reason: h.reason || '',
		at: h.created_at,
		actor: h.actor_id === null || h.actor_id === undefined ? '系统'
			: (ownerId !== null && h.actor_id === ownerId ? '报名人' : `工作人员（用户编号 ${h.actor_id}）`),
	}));
}
