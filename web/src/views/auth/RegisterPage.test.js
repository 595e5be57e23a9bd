import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { reactive } from 'vue';
import { mount, flushPromises } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';

vi.mock('../../api/http.js', () => ({
	api: { get: vi.fn(), post: vi.fn() },
	configureHttp: vi.fn(),
}));

const route = reactive({ query: {}, params: {}, fullPath: '/register' });
const router = { replace: vi.fn(), push: vi.fn() };
vi.mock('vue-router', async (orig) => ({
	...(await orig()),
	useRoute: () => route,
	useRouter: () => router,
}));

const { api } = await import('../../api/http.js');
const { default: RegisterPage } = await import('./RegisterPage.vue');
const { useSessionStore } = await import('../../stores/session.js');

const session = { authenticated: true, user: { id: 9, account: 'newuser_1' }, roles: [{ role: 'applicant' }], csrf_token: 't' };

async function settle() {
	for (let i = 0; i < 5; i++)
		await flushPromises();
	await new Promise((r) => setTimeout(r, 120));
	await flushPromises();
}
const item = (w, label) => w.findAll('.el-form-item').find((i) => i.find('.el-form-item__label').exists() && i.find('.el-form-item__label').text() === label);
const input = (w, label) => item(w, label).find('input');
const errorOf = (w, label) => {
	const e = item(w, label).find('.el-form-item__error');
	return e.exists() ? e.text() : '';
};

describe('RegisterPage', () => {
	let wrapper;
	let pinia;
	beforeEach(() => {
		pinia = createPinia();
		setActivePinia(pinia);
		route.query = {};
		router.replace.mockReset();
		api.post.mockReset();
		api.get.mockReset();
		api.get.mockResolvedValue({ captcha_id: 'cap1', image: 'data:image/png;base64,AA', expires_in: 300 });
		wrapper = mount(RegisterPage, {
			global: { plugins: [ElementPlus, pinia], stubs: { RouterLink: { template: '<a><slot /></a>' } } },
			attachTo: document.body,
		});
	});
	afterEach(() => wrapper.unmount());

	it('has the spec fields in order', async () => {
		await settle();
		const labels = wrapper.findAll('.el-form-item__label').map((l) => l.text());
		expect(labels).toEqual(['账号', '手机号', '密码', '确认密码', '图形验证码', '短信验证码']);
		expect(wrapper.text()).toContain('注册即表示同意');
		expect(wrapper.text()).toContain('已有账号? 返回登录');
	});

	it('checks every field like the server does, in Chinese', async () => {
		await settle();
		await wrapper.find('form').trigger('submit');
		await settle();
		expect(errorOf(wrapper, '账号')).toBe('请输入账号');
		expect(errorOf(wrapper, '手机号')).toBe('请输入手机号');
		expect(errorOf(wrapper, '密码')).toBe('请输入密码');
		expect(errorOf(wrapper, '确认密码')).toBe('请再次输入密码');
		expect(errorOf(wrapper, '短信验证码')).toBe('请输入短信验证码');
		expect(wrapper.text()).toContain('请阅读并同意平台服务协议');
		// The captcha is only needed to send the SMS code.
		expect(errorOf(wrapper, '图形验证码')).toBe('');

		await input(wrapper, '账号').setValue('13800138000');
		await input(wrapper, '手机号').setValue('1380013800');
		await input(wrapper, '密码').setValue('abcdefgh');
		await input(wrapper, '确认密码').setValue('abcdefgx');
		await input(wrapper, '短信验证码').setValue('12a');
		await wrapper.find('form').trigger('submit');
		await settle();
		expect(errorOf(wrapper, '账号')).toBe('账号不能是手机号');
		expect(errorOf(wrapper, '手机号')).toBe('请输入正确的中国大陆手机号');
		expect(errorOf(wrapper, '密码')).toBe('密码须包含字母、数字、符号中的至少两种');
		expect(errorOf(wrapper, '确认密码')).toBe('两次输入的密码不一致');
		expect(errorOf(wrapper, '短信验证码')).toBe('短信验证码为 6 位数字');
		expect(api.post).not.toHaveBeenCalled();
	});

	it('registers with the right body, signs in and continues to the redirect', async () => {
		route.query = { redirect: '/user/apply?competition=guangdong-2026' };
		api.post.mockResolvedValue(session);
		await settle();
		await input(wrapper, '账号').setValue('newuser_1');
		await input(wrapper, '手机号').setValue('13800138000');
		await input(wrapper, '密码').setValue('Passw0rd!');
		await input(wrapper, '确认密码').setValue('Passw0rd!');
		await input(wrapper, '短信验证码').setValue('654321');
		await wrapper.find('input[type="checkbox"]').setValue(true);
		await wrapper.find('form').trigger('submit');
		await settle();
		expect(api.post).toHaveBeenCalledWith('/api/v1/register', {
			account: 'newuser_1',
			phone: '13800138000',
			password: 'Passw0rd!',
			password_confirm: 'Passw0rd!',
			sms_code: '654321',
			agree: true,
		}, { quiet: true });
		expect(useSessionStore().user).toEqual(session.user);
		expect(router.replace).toHaveBeenCalledWith('/user/apply?competition=guangdong-2026');
	});

	it('shows the server field errors under their fields', async () => {
		api.post.mockRejectedValue(Object.assign(new Error('提交的内容有误，请按提示修改'), {
			status: 422,
			code: 'invalid',
			fields: [
				{ field: 'account', code: 'account_taken', message: '该账号已被注册' },
				{ field: 'sms_code', code: 'sms_code_wrong', message: '短信验证码错误，还可尝试 4 次' },
			],
		}));
		await settle();
		await input(wrapper, '账号').setValue('taken_1');
		await input(wrapper, '手机号').setValue('13800138000');
		await input(wrapper, '密码').setValue('Passw0rd!');
		await input(wrapper, '确认密码').setValue('Passw0rd!');
		await input(wrapper, '短信验证码').setValue('111111');
		await wrapper.find('input[type="checkbox"]').setValue(true);
		await wrapper.find('form').trigger('submit');
		await settle();
		expect(errorOf(wrapper, '账号')).toBe('该账号已被注册');
		expect(errorOf(wrapper, '短信验证码')).toBe('短信验证码错误，还可尝试 4 次');
		expect(router.replace).not.toHaveBeenCalled();
	});

	it('sends the SMS code for registration', async () => {
		api.post.mockResolvedValue({ sent: true, phone_masked: '138****8000', resend_after: 60, expires_in: 300 });
		await settle();
		await input(wrapper, '手机号').setValue('13800138000');
		await input(wrapper, '图形验证码').setValue('b9xy');
		await wrapper.findAll('button').find((b) => b.text() === '发送验证码').trigger('click');
		await settle();
		expect(api.post).toHaveBeenCalledWith('/api/v1/sms-codes', {
			phone: '13800138000', purpose: 'register', captcha_id: 'cap1', captcha_answer: 'b9xy',
		}, { quiet: true });
	});
});
