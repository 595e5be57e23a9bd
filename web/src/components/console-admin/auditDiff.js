// What an audit entry's detail says, for people: the keys that changed
// between detail.before and detail.after, and the other facts the action
// recorded (reason, role, rows …), with Chinese names and labels.

import { formatChinaTime } from '../../util/chinaTime.js';

export const ACTIONS = [
	['approve', '审核通过'],
	['return', '退回修改'],
	['stage', '调整项目阶段'],
	['tech_open', '发起技术验证'],
	['tech_submit', '提交技术验证材料'],
	['tech_result', '记录技术验证结果'],
	['create', '创建报名'],
	['submit', '提交报名'],
	['resubmit', '重新提交'],
	['delete', '删除草稿'],
	['view_personal_data', '查看个人信息'],
	['export_personal_data', '导出个人信息'],
	['return_reasons_set', '修改退回原因模板'],
	['sms_template_set', '修改短信模板'],
	['staff_add', '添加工作人员'],
	['staff_remove', '移除工作人员'],
	['schedule_set', '修改赛程时间'],
	['unit_list_import', '导入名单'],
	['uscc_verify', '信用代码人工核验'],
];
const ACTION_LABEL = Object.fromEntries(ACTIONS);

export const OBJECT_TYPES = [
	['application', '报名'],
	['user', '用户'],
	['competition', '分赛'],
	['sms_template', '短信模板'],
	['uscc', '信用代码'],
	['exclusion', '组织单位名单'],
	['dishonest', '失信名单'],
];
const OBJECT_LABEL = Object.fromEntries(OBJECT_TYPES);

export const actionLabel = (a) => ACTION_LABEL[a] || a;
export const objectTypeLabel = (t) => OBJECT_LABEL[t] || t;

// Names of the keys found in before/after and in the rest of the detail.
const KEY_LABEL = {
	status: '报名状态',
	stage: '项目阶段',
	tech_status: '技术验证状态',
	version: '版本',
	registration_opens: '报名开始时间',
	registration_closes: '报名截止时间',
	resubmit_closes: '退回修改截止时间',
	user_id: '用户编号',
	account: '账号',
	phone_masked: '手机号',
	roles: '角色',
	added_at: '添加时间',
	reason: '原因',
	due_at: '提交截止时间',
	instructions: '技术验证要求',
	role: '角色',
	removed: '移除的角色',
	event: '短信事件',
	rows: '导入行数',
	uscc: '统一社会信用代码',
	via: '方式',
	format: '格式',
	sheet: '工作表',
	text: '说明',
};

const VALUE_LABEL = {
	status: { draft: '草稿', submitted: '已提交', approved: '已通过', returned: '已退回' },
	stage: { unreviewed: '未审核', preliminary: '初赛', final: '决赛', national: '国赛推送' },
	tech_status: { not_started: '未开始', pending: '待提交', verifying: '验证中', passed: '已通过', failed: '未通过' },
	role: { reviewer: '审核员', judge: '评审专家', competition_admin: '分赛管理员' },
	event: { approve: '审核通过', return: '退回修改', stage: '阶段变更', tech_open: '技术验证通知', tech_result: '技术验证结果' },
};
VALUE_LABEL.roles = VALUE_LABEL.role;
VALUE_LABEL.removed = VALUE_LABEL.role;

const TIME_KEYS = new Set(['added_at', 'due_at']);

export function keyLabel(path) {
	const last = String(path).split('.').pop();
	return KEY_LABEL[last] || path;
}

const isPlain = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// One value as text: labels for codes, China time for Unix seconds,
// lists joined with 、, null as —.
export function formatValue(key, v) {
	const last = String(key).split('.').pop();
	if (v === null || v === undefined || v === '')
		return '—';
	if (Array.isArray(v))
		return v.length ? v.map((x) => formatValue(last, x)).join('、') : '（无）';
	if (isPlain(v))
		return JSON.stringify(v);
	if (TIME_KEYS.has(last) && typeof v === 'number')
		return formatChinaTime(v);
	if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/.test(v))
		return v.slice(0, 10) + ' ' + v.slice(11, 19);
	if (typeof v === 'boolean')
		return v ? '是' : '否';
	return VALUE_LABEL[last]?.[v] ?? String(v);
}

// Nested objects become dotted paths ({a:{b:1}} → {'a.b': 1}); lists
// stay whole.
function flatten(o, prefix = '', out = {}) {
	for (const [k, v] of Object.entries(o)) {
		const p = prefix ? `${prefix}.${k}` : k;
		if (isPlain(v) && Object.keys(v).length)
			flatten(v, p, out);
		else
			out[p] = v;
	}
	return out;
}

const BUILT_IN = '（内置文本）';

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// before/after → the changes:
//  - objects (or null on one side): one row per key whose value differs,
//    {key, label, before, after, kind: 'changed'|'added'|'removed'}
//    (added: the key was not there before; the values are display text);
//  - lists (the return reasons): {list: true, added: [...], removed: [...],
//    reordered} — the items only in after, only in before, and whether the
//    common items moved;
//  - plain values (an SMS template's text): one row with key ''.
export function diffBeforeAfter(before, after) {
	if (Array.isArray(before) || Array.isArray(after)) {
		const b = Array.isArray(before) ? before : [];
		const a = Array.isArray(after) ? after : [];
		const added = a.filter((x) => !b.some((y) => same(x, y)));
		const removed = b.filter((x) => !a.some((y) => same(x, y)));
		const keptB = b.filter((x) => a.some((y) => same(x, y)));
		const keptA = a.filter((x) => b.some((y) => same(x, y)));
		return { list: true, added, removed, reordered: !same(keptA, keptB) };
	}
	if (isPlain(before) || isPlain(after)) {
		const fb = isPlain(before) ? flatten(before) : {};
		const fa = isPlain(after) ? flatten(after) : {};
		const keys = [...new Set([...Object.keys(fb), ...Object.keys(fa)])];
		const rows = [];
		for (const k of keys) {
			if (same(fb[k], fa[k]))
				continue;
			rows.push({
				key: k,
				label: keyLabel(k),
				kind: !(k in fb) ? 'added' : !(k in fa) ? 'removed' : 'changed',
				before: formatValue(k, fb[k]),
				after: formatValue(k, fa[k]),
			});
		}
		return { list: false, rows };
	}
	if (same(before, after))
		return { list: false, rows: [] };
	return {
		list: false,
		rows: [{ key: '', label: '内容', kind: 'changed', before: formatValue('', before), after: formatValue('', after) }],
	};
}

// The whole detail: { changes (as diffBeforeAfter, or null when the entry
// has no after), before (when there is only a before — a staff change
// records the person's entry as it was — its keys as
// [{key, label, value}], else null), facts: [{key, label, value}] }.
export function describeDetail(detail, action = '') {
	if (!isPlain(detail))
		return { changes: null, before: null, facts: detail == null ? [] : [{ key: '', label: '说明', value: String(detail) }] };
	let changes = null;
	let before = null;
	if (action === 'sms_template_set')
		// A missing side is the built-in text (a template never set, or put back).
		changes = diffBeforeAfter(detail.before ?? BUILT_IN, detail.after ?? BUILT_IN);
	else if ('after' in detail)
		changes = diffBeforeAfter(detail.before ?? null, detail.after);
	else if (isPlain(detail.before))
		before = Object.entries(flatten(detail.before)).map(([k, v]) => ({ key: k, label: keyLabel(k), value: formatValue(k, v) }));
	else if ('before' in detail && detail.before !== null)
		before = [{ key: '', label: '内容', value: formatValue('', detail.before) }];
	const facts = [];
	for (const [k, v] of Object.entries(detail)) {
		if (k === 'before' || k === 'after')
			continue;
		facts.push({ key: k, label: keyLabel(k), value: formatValue(k, v) });
	}
	return { changes, before, facts };
}

// Nothing changed and nothing else recorded.
export function isEmptyDetail(d) {
	return !d.facts.length && !d.before?.length && (!d.changes || (d.changes.list
		? !d.changes.added.length && !d.changes.removed.length && !d.changes.reordered
		: !d.changes.rows.length));
}
