import { describe, it, expect } from 'vitest';
import { reactive } from 'vue';
import { useFieldErrors, messageOf, formatWait } from './formErrors.js';

const err = (o) => Object.assign(new Error(o.message), o);

describe('useFieldErrors', () => {
	it('puts server field errors under their fields, through aliases', () => {
		const e = useFieldErrors(['login', 'captcha'], { captcha_answer: 'captcha' });
		e.apply(err({ status: 422, message: '提交的内容有误', fields: [
			{ field: 'captcha_answer', code: 'captcha_wrong', message: '图形验证码错误' },
			{ field: 'login', code: 'required', message: '请输入账号' },
		] }));
		expect(e.errors.captcha).toBe('图形验证码错误');
		expect(e.errors.login).toBe('请输入账号');
		expect(e.general.value).toBe('');
	});

	it('shows unknown fields and field-less failures above the button', () => {
		const e = useFieldErrors(['phone']);
		e.apply(err({ status: 422, message: 'x', fields: [{ field: 'purpose', code: 'invalid', message: '用途应为 register、login 或 reset' }] }));
		expect(e.general.value).toBe('用途应为 register、login 或 reset');
		e.apply(err({ status: 502, message: '短信发送失败，请稍后重试', fields: [] }));
		expect(e.general.value).toBe('短信发送失败，请稍后重试');
		expect(e.errors.phone).toBe('');
	});

	it('clears a field error when the user types', () => {
		const model = reactive({ phone: '1' });
		const e = useFieldErrors(['phone']);
		e.clearOnInput(model);
		e.apply(err({ status: 422, message: 'x', fields: [{ field: 'phone', code: 'phone_format', message: '手机号格式不正确' }] }));
		model.phone = '13';
		expect(e.errors.phone).toBe('');
	});
});

describe('messageOf', () => {
	it('adds the wait of a 429 unless the message has one', () => {
		expect(messageOf(err({ status: 429, message: '当前网络登录失败次数过多，请稍后再试', retryAfter: 600 })))
			.toBe('当前网络登录失败次数过多，请稍后再试（请 10 分钟后再试）');
		expect(messageOf(err({ status: 429, message: '尝试过于频繁，请 4 秒后再试', retryAfter: 4 })))
			.toBe('尝试过于频繁，请 4 秒后再试');
		expect(formatWait(45)).toBe('45 秒');
	});
});
