// 站内消息: docs/API.md "Messages (站内消息)", src/api/messages.c. Each
// review decision on a record writes one message to its owner.
import { api } from './http.js';

const BASE = '/api/v1/messages';

// → { items: [Message…], total, unread, page, per_page }, newest first.
export function listMessages({ page = 1, perPage = 20 } = {}, opts) {
	return api.get(BASE, { ...opts, query: { page, per_page: perPage } });
}

// → { unread: N }
export function unreadCount(opts) {
	return api.get(`${BASE}/unread-count`, opts);
}

// → { id, read: true, unread: N }; reading again keeps the first read_at.
export function markRead(id, opts) {
	return api.post(`${BASE}/${encodeURIComponent(id)}/read`, undefined, opts);
}

// → { marked: N, unread: 0 }
export function markAllRead(opts) {
	return api.post(`${BASE}/read-all`, undefined, opts);
}

// What each event is about, for the tag beside a message's title.
export const EVENT_LABELS = {
	approve: '审核通过',
	return: '退回修改',
	stage: '阶段变更',
	tech_open: '技术验证',
	tech_result: '验证结果',
};

export const eventLabel = (event) => EVENT_LABELS[event] || '通知';
