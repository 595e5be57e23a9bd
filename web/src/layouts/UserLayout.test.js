import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { reactive } from 'vue';
import { mount, flushPromises } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';

vi.mock('../api/http.js', () => ({
	api: { get: vi.fn(), post: vi.fn() },
	configureHttp: vi.fn(),
}));
vi.mock('element-plus', async (orig) => {
	const ep = await orig();
	return { ...ep, ElMessageBox: { confirm: vi.fn() } };
});
const route = reactive({ name: 'my-applications', meta: { title: '我的赛事' }, fullPath: '/user/applications', query: {}, params: {} });
const router = { push: vi.fn(), replace: vi.fn() };
vi.mock('vue-router', async (orig) => ({ ...(await orig()), useRoute: () => route, useRouter: () => router }));

const { api } = await import('../api/http.js');
const { ElMessageBox } = await import('element-plus');
const { setUnsaved } = await import('../composables/useUnsaved.js');
const { useSessionStore } = await import('../stores/session.js');
const { default: UserLayout } = await import('./UserLayout.vue');

const signedOut = { authenticated: false, user: null, roles: [], csrf_token: 'anon' };

describe('UserLayout', () => {
	let wrapper;
	let session;
	beforeEach(() => {
		const pinia = createPinia();
		setActivePinia(pinia);
		session = useSessionStore();
		session.apply({ authenticated: true, user: { id: 1, account: 'zhangsan' }, roles: [], csrf_token: 'x' });
		api.post.mockReset().mockResolvedValue(signedOut);
		ElMessageBox.confirm.mockReset();
		router.push.mockReset();
		wrapper = mount(UserLayout, {
			global: { plugins: [ElementPlus, pinia], stubs: { RouterView: true, RouterLink: { template: '<a><slot /></a>' } } },
			attachTo: document.body,
		});
	});
	afterEach(() => {
		setUnsaved('test', false);
		wrapper.unmount();
	});

	// Opens the account menu and picks 退出登录, as a user does.
	async function logout() {
		await wrapper.find('.account-btn').trigger('click');
		await flushPromises();
		const item = [...document.body.querySelectorAll('.el-dropdown-menu__item')].find((e) => e.textContent.trim() === '退出登录');
		item.click();
		await flushPromises();
	}

	it('shows the account, the menu and the slot for the bell', () => {
		expect(wrapper.find('.account-name').text()).toBe('zhangsan');
		expect(wrapper.find('#header-extra').exists()).toBe(true);
		const items = wrapper.findAll('.aside .el-menu-item').map((i) => i.text());
		expect(items).toEqual(['参赛报名', '我的赛事', '站内消息']);
		expect(wrapper.find('.aside .el-menu-item.is-active').text()).toBe('我的赛事');
	});

	it('logs out at once when nothing is unsaved', async () => {
		await logout();
		await flushPromises();
		expect(ElMessageBox.confirm).not.toHaveBeenCalled();
		expect(api.post).toHaveBeenCalledWith('/api/v1/logout');
		expect(session.authenticated).toBe(false);
		expect(router.push).toHaveBeenCalledWith('/');
	});

	it('warns about unsaved changes and stays when the user cancels', async () => {
		setUnsaved('test', true);
		ElMessageBox.confirm.mockRejectedValue('cancel');
		await logout();
		await flushPromises();
		expect(ElMessageBox.confirm).toHaveBeenCalledTimes(1);
		expect(ElMessageBox.confirm.mock.calls[0][0]).toContain('尚未保存');
		expect(api.post).not.toHaveBeenCalled();
		expect(session.authenticated).toBe(true);
		expect(router.push).not.toHaveBeenCalled();
	});

	it('logs out after the user confirms', async () => {
		setUnsaved('test', true);
		ElMessageBox.confirm.mockResolvedValue('confirm');
		await logout();
		await flushPromises();
		expect(api.post).toHaveBeenCalledWith('/api/v1/logout');
		expect(router.push).toHaveBeenCalledWith('/');
	});
});
