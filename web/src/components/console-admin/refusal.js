// A failed page load in words: what the API's refusal means for the
// person looking at the page. The server's own message (需要该分赛的管理员
// 权限, 赛事不存在 …) is kept; the title says what happened.
export function describeFailure(e) {
	const message = e?.message || String(e || '');
	const status = e?.status;
	if (status === 403)
		return { kind: 'forbidden', title: '没有权限访问此页面', detail: `${message}。如需开通权限，请联系平台管理员。`.replace('。。', '。'), retry: false };
	if (status === 404 && e.code === 'competition_not_found')
		return { kind: 'not_found', title: '赛事不存在', detail: '地址中的分赛不存在，请从菜单重新进入。', retry: false };
	if (status === 404)
		return { kind: 'not_found', title: '无法访问', detail: message || '请求的资源不存在', retry: false };
	if (status === 401)
		return { kind: 'login', title: '登录已失效', detail: '请重新登录后再打开此页面。', retry: true };
	return { kind: 'error', title: '加载失败', detail: message || '请稍后重试', retry: true };
}

// Server field errors of one list ("reasons[2]") by row: { 2: '…' }; the
// rest (the list itself, or unknown fields) joined in general.
export function rowErrors(fields, name) {
	const rows = {};
	const general = [];
	const re = new RegExp(`^${name}\\[(\\d+)\\]$`);
	for (const f of fields || []) {
		const m = re.exec(f.field);
		if (m)
			rows[Number(m[1])] = rows[m[1]] ? `${rows[m[1]]}；${f.message}` : f.message;
		else
			general.push(f.message);
	}
	return { rows, general: general.join('；') };
}

// Field errors by field name; a name may be mapped (templates.return →
// return). { byField, general }.
export function fieldMap(fields, mapName = (n) => n) {
	const byField = {};
	const general = [];
	for (const f of fields || []) {
		const k = mapName(f.field);
		if (k)
			byField[k] = byField[k] ? `${byField[k]}；${f.message}` : f.message;
		else
			general.push(f.message);
	}
	return { byField, general: general.join('；') };
}
