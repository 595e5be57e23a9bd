import { reactive, ref, watch } from 'vue';

// Wait times in words: 45 → '45 秒', 600 → '10 分钟'.
export function formatWait(seconds) {
	const s = Math.max(1, Math.ceil(Number(seconds) || 0));
	return s < 120 ? `${s} 秒` : `${Math.ceil(s / 60)} 分钟`;
}

// The server's message, with the wait of a 429 when the message does not
// already name one.
export function messageOf(e) {
	const msg = e?.message || String(e);
	if (e?.status === 429 && e.retryAfter && !/\d\s*(秒|分钟)/.test(msg))
		return `${msg}（请 ${formatWait(e.retryAfter)}后再试）`;
	return msg;
}

// The server names the captcha by its two request fields; the forms show
// one 图形验证码 input for both.
export const captchaAliases = { captcha_answer: 'captcha', captcha_id: 'captcha' };

// el-form's validate()/validateField() reject when a rule fails (the form
// already shows why); callers only need to know whether to go on.
export const passes = (p) => p.then(() => true, () => false);

// Server field errors shown under their form items. `aliases` maps the
// server's field names to the form's (captcha_id → captcha); errors for
// fields the form does not show, and failures without fields, go to the
// general message above the button.
export function useFieldErrors(fields, aliases = {}) {
	const errors = reactive(Object.fromEntries(fields.map((f) => [f, ''])));
	const general = ref('');

	function clear() {
		for (const f of fields)
			errors[f] = '';
		general.value = '';
	}

	function apply(e) {
		clear();
		let shown = 0;
		const rest = [];
		for (const fe of e?.fields || []) {
			const key = aliases[fe.field] ?? fe.field;
			if (key in errors) {
				errors[key] = errors[key] ? `${errors[key]}；${fe.message}` : fe.message;
				shown++;
			} else {
				rest.push(fe.message);
			}
		}
		if (rest.length)
			general.value = rest.join('；');
		else if (!shown)
			general.value = messageOf(e);
	}

	// Typing into a field removes the server's complaint about it. Sync, so
	// that a value reset just before apply() does not wipe the new message.
	function clearOnInput(model) {
		for (const f of fields)
			if (f in model)
				watch(() => model[f], () => {
					errors[f] = '';
				}, { flush: 'sync' });
	}

	return { errors, general, clear, apply, clearOnInput };
}
