// Client-side checks mirroring src/domain/account.c, for quick feedback
// only: the server decides, and its field errors are shown as they come.

// Spaces and hyphens go; a leading +86, 0086 or 86 is dropped. Returns the
// 11 digits, or null when this is no mainland mobile number.
export function normalizePhone(raw) {
	const s = String(raw ?? '').trim();
	if (s.length > 24)
		return null;
	const plus = s.startsWith('+');
	const body = (plus ? s.slice(1) : s).replace(/[ -]/g, '');
	if (!/^\d*$/.test(body))
		return null;
	if (plus && !(body.length === 13 && body.startsWith('86')))
		return null;
	let d = body;
	if (d.length === 15 && d.startsWith('0086'))
		d = d.slice(4);
	else if (d.length === 13 && d.startsWith('86'))
		d = d.slice(2);
	return /^1[3-9]\d{9}$/.test(d) ? d : null;
}

// Each check returns a message, or '' when the value passes.
export function checkPhone(v) {
	if (!String(v ?? '').trim())
		return '请输入手机号';
	return normalizePhone(v) ? '' : '请输入正确的中国大陆手机号';
}

export function checkAccount(v) {
	const s = String(v ?? '').trim();
	if (!s)
		return '请输入账号';
	if (s.length < 4 || s.length > 20)
		return '账号长度应为 4 到 20 个字符';
	if (!/^[A-Za-z0-9_]+$/.test(s))
		return '账号只能包含字母、数字和下划线';
	if (normalizePhone(s))
		return '账号不能是手机号';
	return '';
}

export function checkPassword(v, account) {
	const s = String(v ?? '');
	if (!s)
		return '请输入密码';
	const chars = Array.from(s);
	if (chars.length < 8)
		return '密码至少 8 个字符';
	if (chars.length > 64 || new TextEncoder().encode(s).length > 128)
		return '密码不能超过 64 个字符';
	let letter = false;
	let digit = false;
	let symbol = false;
	for (const c of chars) {
		if (/[A-Za-z]/.test(c))
			letter = true;
		else if (/[0-9]/.test(c))
			digit = true;
		else if (c !== ' ')
			symbol = true;
	}
	if (letter + digit + symbol < 2)
		return '密码须包含字母、数字、符号中的至少两种';
	if (account && s.toLowerCase() === String(account).trim().toLowerCase())
		return '密码不能与账号相同';
	return '';
}

export function checkConfirm(v, password) {
	if (!v)
		return '请再次输入密码';
	return v === password ? '' : '两次输入的密码不一致';
}

export function checkSmsCode(v) {
	const s = String(v ?? '').trim();
	if (!s)
		return '请输入短信验证码';
	return /^\d{6}$/.test(s) ? '' : '短信验证码为 6 位数字';
}

export function checkRequired(message) {
	return (v) => (String(v ?? '').trim() ? '' : message);
}

// An el-form rule from a check above (get: extra arguments, read at check time).
export function rule(check, get = () => [], trigger = 'blur') {
	return {
		// Marks the item required (the asterisk); the validator does the check.
		required: true,
		trigger,
		validator: (_r, value, cb) => {
			const m = check(value, ...get());
			if (m)
				cb(new Error(m));
			else
				cb();
		},
	};
}
