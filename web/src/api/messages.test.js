import { describe, expect, it, vi, beforeEach } from 'vitest';

vi.mock('./http.js', () => ({ api: { get: vi.fn(), post: vi.fn() } }));
const { api } = await import('./http.js');
const { listMessages, unreadCount, markRead, markAllRead, eventLabel } = await import('./messages.js');

describe('api/messages', () => {
	beforeEach(() => {
		api.get.mockReset().mockResolvedValue({});
		api.post.mockReset().mockResolvedValue({});
	});

	it('lists a page of messages', async () => {
		await listMessages({ page: 3, perPage: 10 }, { quiet: true });
		expect(api.get).toHaveBeenCalledWith('/api/v1/messages', { quiet: true, query: { page: 3, per_page: 10 } });
		await listMessages();
		expect(api.get).toHaveBeenLastCalledWith('/api/v1/messages', { query: { page: 1, per_page: 20 } });
	});

	it('asks for the unread count', async () => {
		api.get.mockResolvedValue({ unread: 4 });
		expect(await unreadCount({ quiet: true })).toEqual({ unread: 4 });
		expect(api.get).toHaveBeenCalledWith('/api/v1/messages/unread-count', { quiet: true });
	});

	it('marks one and all read, without a body', async () => {
		await markRead(12);
		expect(api.post).toHaveBeenCalledWith('/api/v1/messages/12/read', undefined, undefined);
		await markAllRead({ quiet: true });
		expect(api.post).toHaveBeenLastCalledWith('/api/v1/messages/read-all', undefined, { quiet: true });
	});

	it('names the events', () => {
		expect(eventLabel('return')).toBe('退回修改');
		expect(eventLabel('tech_open')).toBe('技术验证');
		expect(eventLabel('something_new')).toBe('通知');
	});
});
