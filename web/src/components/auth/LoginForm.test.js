import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { mount, flushPromises } from '@vue/test-utils';
import ElementPlus from 'element-plus';

vi.mock('../../api/http.js', () => ({
	api: { get: vi.fn(), post: vi.fn() },
}));

const { api } = await import('../../api/http.js');
const { default: LoginForm } = await import('./LoginForm.vue');

const apiError = (o) => Object.assign(new Error(o.message), { name: 'ApiError', fields: [], ...o });
const session = { authenticated: true, user: { id: 7, account: 'zhangsan' }, roles: [], csrf_token: 't' };

let captchaNo = 0;
function mountForm() {
	return mount(LoginForm, { global: { plugins: [ElementPlus] }, attachTo: document.body });
}
const input = (w, label) => {
	const item = w.findAll('.el-form-item').find((i) => i.find('.el-form-item__label').text() === label);
	if (!item)
		throw new Error('no field ' + label);
	return item.find('input');
};
const errorOf = (w, label) => {
	const item = w.findAll('.el-form-item').find((i) => i.find('.el-form-item__label').text() === label);
	return item.find('.el-form-item__error').exists() ? item.find('.el-form-item__error').text() : '';
};
// Element Plus shows a form item's error 100 ms after the state changes.
async function settle() {
	for (let i = 0; i < 5; i++)
		await flushPromises();
	await new Promise((r) => setTimeout(r, 120));
	await flushPromises();
}

describe('LoginForm', () => {
	let wrapper;
	beforeEach(() => {
		api.get.mockReset();
		api.post.mockReset();
		api.get.mockImplementation(async (path) => {
			if (path === '/api/v1/captcha')
				return { captcha_id: 'cap' + ++captchaNo, image: 'data:image/png;base64,AAAA', expires_in: 300 };
			throw new Error('unexpected GET ' + path);
		});
	});
	afterEach(() => {
		wrapper?.unmount();
		vi.useRealTimers();
	});

	it('shows both tabs, the password form and a captcha', async () => {
		wrapper = mountForm();
		await settle();
		const tabs = wrapper.findAll('[role="tab"]').map((t) => t.text());
		expect(tabs).toEqual(['密码登录', '短信登录']);
		expect(wrapper.findAll('.el-form-item__label').map((l) => l.text())).toEqual(['账号', '密码', '验证码']);
		expect(wrapper.find('img').attributes('src')).toBe('data:image/png;base64,AAAA');
		expect(wrapper.text()).toContain('记住我');
		expect(wrapper.text()).toContain('登录即表示同意《平台服务协议》');
	});

	it('asks for every field in Chinese on an empty submit and sends nothing', async () => {
		wrapper = mountForm();
		await settle();
		await wrapper.find('form').trigger('submit');
		await settle();
		expect(errorOf(wrapper, '账号')).toBe('请输入账号或手机号');
		expect(errorOf(wrapper, '密码')).toBe('请输入密码');
		expect(errorOf(wrapper, '验证码')).toBe('请输入验证码');
		expect(api.post).not.toHaveBeenCalled();
	});

	it('signs in by password with the right body and emits the session', async () => {
		api.post.mockResolvedValue(session);
		wrapper = mountForm();
		await settle();
		await input(wrapper, '账号').setValue(' zhangsan ');
		await input(wrapper, '密码').setValue('secret123');
		await input(wrapper, '验证码').setValue('KCRW');
		await wrapper.find('input[type="checkbox"]').setValue(true);
		await wrapper.find('form').trigger('submit');
		await settle();
		expect(api.post).toHaveBeenCalledWith('/api/v1/login', {
			method: 'password',
			login: 'zhangsan',
			password: 'secret123',
			captcha_id: 'cap' + captchaNo,
			captcha_answer: 'KCRW',
			remember: true,
		}, { quiet: true });
		expect(wrapper.emitted('success')).toEqual([[session]]);
	});

	it('shows the server field error and takes a new captcha after a failure', async () => {
		api.post.mockRejectedValue(apiError({
			status: 401,
			code: 'bad_credentials',
			message: '账号或密码错误',
			fields: [{ field: 'password', code: 'bad_credentials', message: '账号或密码错误' }],
		}));
		wrapper = mountForm();
		await settle();
		const first = captchaNo;
		await input(wrapper, '账号').setValue('zhangsan');
		await input(wrapper, '密码').setValue('wrong-pass1');
		await input(wrapper, '验证码').setValue('ABCD');
		await wrapper.find('form').trigger('submit');
		await settle();
		expect(errorOf(wrapper, '密码')).toBe('账号或密码错误');
		expect(captchaNo).toBe(first + 1);
		expect(input(wrapper, '验证码').element.value).toBe('');
		expect(wrapper.emitted('success')).toBeUndefined();
	});

	it('shows a 429 with its wait and holds the button', async () => {
		api.post.mockRejectedValue(apiError({ status: 429, code: 'ip_locked', message: '当前网络登录失败次数过多，请稍后再试', retryAfter: 30 }));
		wrapper = mountForm();
		await settle();
		await input(wrapper, '账号').setValue('zhangsan');
		await input(wrapper, '密码').setValue('secret123');
		await input(wrapper, '验证码').setValue('ABCD');
		await wrapper.find('form').trigger('submit');
		await settle();
		expect(wrapper.find('.el-alert').text()).toContain('当前网络登录失败次数过多，请稍后再试（请 30 秒后再试）');
		const btn = wrapper.find('button[type="submit"]');
		expect(btn.attributes('disabled')).toBeDefined();
		expect(btn.text()).toMatch(/^登录（\d+s）$/);
	});

	it('sends the SMS code for login, counts down, then signs in by SMS', async () => {
		api.post.mockImplementation(async (path) => {
			if (path === '/api/v1/sms-codes')
				return { sent: true, phone_masked: '138****8000', resend_after: 60, expires_in: 300 };
			return session;
		});
		wrapper = mountForm();
		await settle();
		await wrapper.findAll('[role="tab"]')[1].trigger('click');
		await settle();
		expect(wrapper.findAll('.el-form-item__label').map((l) => l.text())).toEqual(['手机号', '验证码', '短信验证码']);

		const send = () => wrapper.findAll('button').find((b) => /发送验证码|重新发送/.test(b.text()));
		// Without phone and captcha nothing is sent.
		await send().trigger('click');
		await settle();
		expect(errorOf(wrapper, '手机号')).toBe('请输入手机号');
		expect(errorOf(wrapper, '验证码')).toBe('请输入图形验证码');
		expect(api.post).not.toHaveBeenCalled();

		const used = 'cap' + captchaNo;
		await input(wrapper, '手机号').setValue('13800138000');
		await input(wrapper, '验证码').setValue('HXYC');
		await send().trigger('click');
		await settle();
		expect(api.post).toHaveBeenCalledWith('/api/v1/sms-codes', {
			phone: '13800138000', purpose: 'login', captcha_id: used, captcha_answer: 'HXYC',
		}, { quiet: true });
		expect(send().text()).toMatch(/^重新发送\((60|59)s\)$/);
		expect(send().attributes('disabled')).toBeDefined();
		// The captcha was used up: a new one is shown.
		expect('cap' + captchaNo).not.toBe(used);

		await input(wrapper, '短信验证码').setValue('123456');
		await wrapper.find('form').trigger('submit');
		await settle();
		expect(api.post).toHaveBeenLastCalledWith('/api/v1/login', {
			method: 'sms', phone: '13800138000', sms_code: '123456', remember: false,
		}, { quiet: true });
		expect(wrapper.emitted('success')).toEqual([[session]]);
	});

	it('starts the countdown from Retry-After when the server says too soon', async () => {
		api.post.mockRejectedValue(apiError({
			status: 429, code: 'sms_too_soon', message: '验证码发送过于频繁，请 42 秒后再试', retryAfter: 42,
			fields: [{ field: 'phone', code: 'sms_too_soon', message: '验证码发送过于频繁，请 42 秒后再试' }],
		}));
		wrapper = mountForm();
		await settle();
		await wrapper.findAll('[role="tab"]')[1].trigger('click');
		await settle();
		await input(wrapper, '手机号').setValue('13800138000');
		await input(wrapper, '验证码').setValue('HXYC');
		await wrapper.findAll('button').find((b) => b.text() === '发送验证码').trigger('click');
		await settle();
		expect(errorOf(wrapper, '手机号')).toBe('验证码发送过于频繁，请 42 秒后再试');
		expect(wrapper.findAll('button').some((b) => /^重新发送\(4[12]s\)$/.test(b.text()))).toBe(true);
	});
});
