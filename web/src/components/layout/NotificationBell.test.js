import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { reactive, nextTick } from 'vue';
import { mount, flushPromises } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';

vi.mock('../../api/messages.js', () => ({ unreadCount: vi.fn() }));
const route = reactive({ name: 'my-applications', fullPath: '/user/applications' });
vi.mock('vue-router', async (orig) => ({ ...(await orig()), useRoute: () => route }));

const { unreadCount } = await import('../../api/messages.js');
const { useSessionStore } = await import('../../stores/session.js');
const { useUnread } = await import('./unread.js');
const { default: Bell } = await import('./NotificationBell.vue');

describe('NotificationBell', () => {
	let wrapper;
	let session;
	beforeEach(() => {
		vi.useFakeTimers();
		setActivePinia(createPinia());
		session = useSessionStore();
		session.apply({ authenticated: true, user: { id: 1, account: 'zhangsan' }, roles: [], csrf_token: 'x' });
		unreadCount.mockReset().mockResolvedValue({ unread: 3 });
	});
	afterEach(() => {
		wrapper?.unmount();
		vi.useRealTimers();
	});

	const mountIt = async () => {
		wrapper = mount(Bell, { global: { plugins: [ElementPlus], stubs: { RouterLink: { props: ['to'], template: '<a v-bind="$attrs"><slot /></a>' } } } });
		await flushPromises();
	};

	it('shows the unread count, quietly asked for, and names it for screen readers', async () => {
		await mountIt();
		expect(unreadCount).toHaveBeenCalledWith({ quiet: true });
		expect(wrapper.find('.bell__badge').text()).toBe('3');
		expect(wrapper.find('a').attributes('aria-label')).toBe('站内消息，3 条未读');
	});

	it('no badge when everything is read; 99+ for many', async () => {
		unreadCount.mockResolvedValue({ unread: 0 });
		await mountIt();
		expect(wrapper.find('.bell__badge').exists()).toBe(false);
		expect(wrapper.find('a').attributes('aria-label')).toBe('站内消息，没有未读消息');
		useUnread().set(120);
		await nextTick();
		expect(wrapper.find('.bell__badge').text()).toBe('99+');
	});

	it('polls every minute and after a route change', async () => {
		await mountIt();
		expect(unreadCount).toHaveBeenCalledTimes(1);
		unreadCount.mockResolvedValue({ unread: 1 });
		await vi.advanceTimersByTimeAsync(60000);
		expect(unreadCount).toHaveBeenCalledTimes(2);
		expect(wrapper.find('.bell__badge').text()).toBe('1');
		await vi.advanceTimersByTimeAsync(5000);
		route.fullPath = '/user/messages';
		await flushPromises();
		expect(unreadCount).toHaveBeenCalledTimes(3);
	});

	it('stops when the user signs out, and on unmount', async () => {
		await mountIt();
		session.apply({ authenticated: false, user: null, roles: [], csrf_token: 'y' });
		await flushPromises();
		expect(wrapper.find('.bell__badge').exists()).toBe(false);
		await vi.advanceTimersByTimeAsync(5 * 60000);
		expect(unreadCount).toHaveBeenCalledTimes(1);
		session.apply({ authenticated: true, user: { id: 1, account: 'zhangsan' }, roles: [], csrf_token: 'x' });
		await flushPromises();
		expect(unreadCount).toHaveBeenCalledTimes(2);
		wrapper.unmount();
		wrapper = null;
		await vi.advanceTimersByTimeAsync(5 * 60000);
		expect(unreadCount).toHaveBeenCalledTimes(2);
	});

	it('says when the count could not be updated', async () => {
		unreadCount.mockRejectedValue(new Error('网络连接失败'));
		await mountIt();
		expect(wrapper.find('.bell__stale').exists()).toBe(true);
		expect(wrapper.find('a').attributes('aria-label')).toContain('暂时无法更新');
	});
});
