import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { ref, nextTick, effectScope } from 'vue';
import { ApiError } from '../api/http.js';

vi.mock('../api/applications.js', () => ({
	saveApplication: vi.fn(),
	getApplication: vi.fn(),
}));

const api = await import('../api/applications.js');
const { useAutosave, draftKey } = await import('./useAutosave.js');
const { hasUnsaved } = await import('./useUnsaved.js');

const record = (over = {}) => ({ id: 7, version: 3, saved_at: 1000, doc: { basic: { competition: 'guangdong-2026' } }, ...over });

// A session store stand-in: onRelogin handlers run on relogin().
function fakeSession() {
	const handlers = [];
	return {
		onRelogin: (cb) => {
			handlers.push(cb);
			return () => handlers.splice(handlers.indexOf(cb), 1);
		},
		relogin: () => handlers.forEach((h) => h()),
		handlers,
	};
}

let scope;
function setup(opts = {}) {
	const doc = ref(null);
	const version = ref(0);
	const session = fakeSession();
	const calls = { invalid: [], saved: [], reload: [] };
	scope = effectScope();
	const a = scope.run(() => useAutosave({
		appId: 7,
		userId: 42,
		doc,
		version,
		session,
		onInvalid: (e) => calls.invalid.push(e),
		onSaved: (r) => calls.saved.push(r),
		onReload: (r) => calls.reload.push(r),
		...opts,
	}));
	return { a, doc, version, session, calls };
}

// Lets the deep watcher and pending promises run.
async function settle() {
	await nextTick();
	await Promise.resolve();
	await nextTick();
}

beforeEach(() => {
	vi.useFakeTimers();
	sessionStorage.clear();
	api.saveApplication.mockReset();
	api.getApplication.mockReset();
});

afterEach(() => {
	scope?.stop();
	vi.useRealTimers();
});

describe('useAutosave', () => {
	it('saves 2 s after the last change, not before', async () => {
		const { a, doc, version } = setup();
		a.start(record());
		await settle();
		expect(a.state.value).toBe('saved');

		api.saveApplication.mockImplementation(async (id, body) => ({ id, version: body.version + 1, doc: body.doc }));
		doc.value.basic.lead_unit_name = '深';
		await settle();
		expect(a.state.value).toBe('dirty');
		expect(hasUnsaved.value).toBe(true);
		await vi.advanceTimersByTimeAsync(1500);
		doc.value.basic.lead_unit_name = '深圳';
		await settle();
		await vi.advanceTimersByTimeAsync(1500);
		expect(api.saveApplication).not.toHaveBeenCalled();
		await vi.advanceTimersByTimeAsync(600);
		expect(api.saveApplication).toHaveBeenCalledTimes(1);
		const [id, body, opts] = api.saveApplication.mock.calls[0];
		expect(id).toBe(7);
		expect(body.version).toBe(3);
		expect(body.doc.basic.lead_unit_name).toBe('深圳');
		expect(opts).toEqual({ quiet: true });
		await settle();
		expect(version.value).toBe(4);
		expect(a.state.value).toBe('saved');
		expect(a.savedAt.value).toBeInstanceOf(Date);
		expect(hasUnsaved.value).toBe(false);
		expect(sessionStorage.getItem(draftKey(42, 7))).toBe(null);
	});

	it('keeps every change in sessionStorage until the server has it', async () => {
		const { a, doc } = setup();
		a.start(record());
		await settle();
		doc.value.basic.address = '深圳市南山区';
		await settle();
		const b = JSON.parse(sessionStorage.getItem(draftKey(42, 7)));
		expect(b.v).toBe(3);
		expect(b.doc.basic.address).toBe('深圳市南山区');
		// Undoing the change makes the page clean again.
		delete doc.value.basic.address;
		await settle();
		expect(a.state.value).toBe('saved');
		expect(sessionStorage.getItem(draftKey(42, 7))).toBe(null);
	});

	it('restores a newer copy of this tab on load and saves it', async () => {
		sessionStorage.setItem(draftKey(42, 7), JSON.stringify({ v: 3, t: 5, doc: { basic: { competition: 'guangdong-2026', address: '未保存的地址' } } }));
		api.saveApplication.mockImplementation(async (id, body) => ({ id, version: body.version + 1, doc: body.doc }));
		const { a, doc, version } = setup();
		expect(a.start(record())).toBe(true);
		expect(doc.value.basic.address).toBe('未保存的地址');
		await settle();
		expect(api.saveApplication).toHaveBeenCalledTimes(1);
		expect(api.saveApplication.mock.calls[0][1].doc.basic.address).toBe('未保存的地址');
		await settle();
		expect(version.value).toBe(4);
		expect(a.state.value).toBe('saved');
	});

	it('ignores an older copy (the server saved since)', async () => {
		sessionStorage.setItem(draftKey(42, 7), JSON.stringify({ v: 2, t: 5, doc: { basic: { address: '旧' } } }));
		const { a, doc } = setup();
		expect(a.start(record({ version: 3, saved_at: 1000 }))).toBe(false);
		expect(doc.value.basic.address).toBeUndefined();
		expect(sessionStorage.getItem(draftKey(42, 7))).toBe(null);
		expect(api.saveApplication).not.toHaveBeenCalled();
	});

	it('saves on flush() at once, and only when something changed', async () => {
		api.saveApplication.mockImplementation(async (id, body) => ({ id, version: body.version + 1 }));
		const { a, doc } = setup();
		a.start(record());
		await settle();
		expect(await a.flush()).toEqual({ ok: true });
		expect(api.saveApplication).not.toHaveBeenCalled();
		doc.value.team = { name: '团队' };
		await settle();
		const r = await a.flush();
		expect(r.ok).toBe(true);
		expect(api.saveApplication).toHaveBeenCalledTimes(1);
		// The debounce timer was cancelled by the flush.
		await vi.advanceTimersByTimeAsync(5000);
		expect(api.saveApplication).toHaveBeenCalledTimes(1);
	});

	it('hands 422 invalid to the page and keeps the text', async () => {
		const err = new ApiError({ status: 422, code: 'invalid', message: '提交的内容有误', fields: [{ field: 'basic.lead_uscc', code: 'checksum', message: '校验位不正确' }] });
		api.saveApplication.mockRejectedValue(err);
		const { a, doc, calls } = setup();
		a.start(record());
		await settle();
		doc.value.basic.lead_uscc = '91440300XXXXXXXXX0';
		await settle();
		const r = await a.flush();
		expect(r).toEqual({ ok: false, error: err });
		expect(calls.invalid).toEqual([err]);
		expect(a.state.value).toBe('error');
		expect(JSON.parse(sessionStorage.getItem(draftKey(42, 7))).doc.basic.lead_uscc).toBe('91440300XXXXXXXXX0');
		expect(hasUnsaved.value).toBe(true);
	});

	it('on 409 stale_version waits for the choice: 保留我的修改 overwrites with the new version', async () => {
		api.saveApplication.mockRejectedValueOnce(new ApiError({ status: 409, code: 'stale_version', message: '报名内容已在其他页面修改' }));
		const { a, doc, version } = setup();
		a.start(record());
		await settle();
		doc.value.basic.address = '我的地址';
		await settle();
		await vi.advanceTimersByTimeAsync(2100);
		expect(a.stale.value).toBe(true);
		// More typing does not save while the choice is open.
		doc.value.basic.address = '我的地址2';
		await settle();
		await vi.advanceTimersByTimeAsync(5000);
		expect(api.saveApplication).toHaveBeenCalledTimes(1);

		api.getApplication.mockResolvedValue(record({ version: 9, doc: { basic: { address: '别处' } } }));
		api.saveApplication.mockImplementation(async (id, body) => ({ id, version: body.version + 1 }));
		const r = await a.keepMine();
		expect(r.ok).toBe(true);
		expect(a.stale.value).toBe(false);
		const [, body] = api.saveApplication.mock.calls[1];
		expect(body.version).toBe(9);
		expect(body.doc.basic.address).toBe('我的地址2');
		expect(version.value).toBe(10);
		await settle();
		expect(a.state.value).toBe('saved');
	});

	it('on 409 stale_version, 使用服务器版本 reloads and drops the local copy', async () => {
		api.saveApplication.mockRejectedValueOnce(new ApiError({ status: 409, code: 'stale_version', message: '已修改' }));
		const { a, doc, version, calls } = setup();
		a.start(record());
		await settle();
		doc.value.basic.address = '我的地址';
		await settle();
		await a.flush();
		expect(a.stale.value).toBe(true);
		api.getApplication.mockResolvedValue(record({ version: 9, doc: { basic: { address: '服务器地址' } } }));
		await a.useServer();
		await settle();
		expect(doc.value.basic.address).toBe('服务器地址');
		expect(version.value).toBe(9);
		expect(a.stale.value).toBe(false);
		expect(a.state.value).toBe('saved');
		expect(calls.reload).toHaveLength(1);
		expect(sessionStorage.getItem(draftKey(42, 7))).toBe(null);
	});

	it('after a 401 keeps the text and saves once the user signs in again', async () => {
		api.saveApplication.mockRejectedValueOnce(new ApiError({ status: 401, code: 'login_required', message: '请先登录' }));
		const { a, doc, session } = setup();
		a.start(record());
		await settle();
		doc.value.basic.address = '登录过期前输入';
		await settle();
		await vi.advanceTimersByTimeAsync(2100);
		expect(a.waitingLogin.value).toBe(true);
		expect(a.state.value).toBe('error');
		doc.value.basic.address = '登录过期后继续输入';
		await settle();
		await vi.advanceTimersByTimeAsync(10000);
		expect(api.saveApplication).toHaveBeenCalledTimes(1);
		expect(JSON.parse(sessionStorage.getItem(draftKey(42, 7))).doc.basic.address).toBe('登录过期后继续输入');

		api.saveApplication.mockImplementation(async (id, body) => ({ id, version: body.version + 1 }));
		session.relogin();
		await settle();
		await settle();
		expect(api.saveApplication).toHaveBeenCalledTimes(2);
		expect(api.saveApplication.mock.calls[1][1].doc.basic.address).toBe('登录过期后继续输入');
		expect(a.state.value).toBe('saved');
		expect(a.waitingLogin.value).toBe(false);
	});

	it('keeps the backup under the same key while the session has no user', async () => {
		let user = 42;
		api.saveApplication.mockRejectedValueOnce(new ApiError({ status: 401, code: 'login_required', message: '请先登录' }));
		const { a, doc } = setup({ userId: () => user });
		a.start(record());
		await settle();
		doc.value.basic.address = 'a';
		await settle();
		await a.flush();
		user = undefined;
		doc.value.basic.address = 'ab';
		await settle();
		expect(JSON.parse(sessionStorage.getItem(draftKey(42, 7))).doc.basic.address).toBe('ab');
		expect(sessionStorage.getItem(draftKey(undefined, 7))).toBe(null);
	});

	it('retries by itself after a network failure', async () => {
		api.saveApplication.mockRejectedValueOnce(new ApiError({ status: 0, code: 'network', message: '网络连接失败' }));
		const { a, doc } = setup({ retryDelay: 10000 });
		a.start(record());
		await settle();
		doc.value.basic.address = 'x';
		await settle();
		await vi.advanceTimersByTimeAsync(2100);
		expect(a.state.value).toBe('error');
		api.saveApplication.mockImplementation(async (id, body) => ({ id, version: body.version + 1 }));
		await vi.advanceTimersByTimeAsync(10100);
		expect(api.saveApplication).toHaveBeenCalledTimes(2);
		await settle();
		expect(a.state.value).toBe('saved');
	});

	it('keeps typing made during a save and saves it next', async () => {
		let resolve;
		api.saveApplication.mockImplementationOnce((id, body) => new Promise((r) => {
			resolve = () => r({ id, version: body.version + 1 });
		}));
		const { a, doc } = setup();
		a.start(record());
		await settle();
		doc.value.basic.address = 'a';
		await settle();
		const p = a.flush();
		await settle();
		expect(a.state.value).toBe('saving');
		doc.value.basic.address = 'ab';
		await settle();
		resolve();
		await p;
		expect(a.state.value).toBe('dirty');
		api.saveApplication.mockImplementation(async (id, body) => ({ id, version: body.version + 1 }));
		await vi.advanceTimersByTimeAsync(2100);
		expect(api.saveApplication).toHaveBeenCalledTimes(2);
		expect(api.saveApplication.mock.calls[1][1]).toMatchObject({ version: 4, doc: { basic: { address: 'ab' } } });
	});

	it('does nothing for a read-only record', async () => {
		const { a, doc } = setup({ enabled: ref(false) });
		a.start(record());
		await settle();
		doc.value.basic.address = 'x';
		await settle();
		await vi.advanceTimersByTimeAsync(5000);
		expect(api.saveApplication).not.toHaveBeenCalled();
		expect(a.state.value).toBe('saved');
	});
});
