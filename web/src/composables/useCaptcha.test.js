import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { effectScope } from 'vue';

vi.mock('../api/http.js', () => ({ api: { get: vi.fn() } }));

const { api } = await import('../api/http.js');
const { useCaptcha } = await import('./useCaptcha.js');

const answer = (id, expires = 300) => ({ captcha_id: id, image: `data:image/png;base64,${id}`, expires_in: expires });

describe('useCaptcha', () => {
	beforeEach(() => {
		vi.useFakeTimers();
		api.get.mockReset();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('loads a captcha and clears the answer on every refresh', async () => {
		api.get.mockResolvedValueOnce(answer('c1'));
		const onRefresh = vi.fn();
		const c = useCaptcha({ onRefresh });
		const p = c.refresh();
		expect(c.loading.value).toBe(true);
		expect(onRefresh).toHaveBeenCalledTimes(1);
		await p;
		expect(api.get).toHaveBeenCalledWith('/api/v1/captcha');
		expect(c.id.value).toBe('c1');
		expect(c.image.value).toBe('data:image/png;base64,c1');
		expect(c.loading.value).toBe(false);
	});

	it('keeps the newest captcha when answers arrive out of order', async () => {
		let first;
		api.get.mockImplementationOnce(() => new Promise((r) => {
			first = r;
		}));
		api.get.mockResolvedValueOnce(answer('new'));
		const c = useCaptcha();
		const p1 = c.refresh();
		await c.refresh();
		first(answer('old'));
		await p1;
		expect(c.id.value).toBe('new');
	});

	it('replaces the captcha shortly before it expires', async () => {
		api.get.mockResolvedValueOnce(answer('c1', 300)).mockResolvedValueOnce(answer('c2', 300));
		const c = useCaptcha();
		await c.refresh();
		await vi.advanceTimersByTimeAsync(289_000);
		expect(c.id.value).toBe('c1');
		await vi.advanceTimersByTimeAsync(1_000);
		expect(api.get).toHaveBeenCalledTimes(2);
		expect(c.id.value).toBe('c2');
	});

	it('marks a failed load and forgets the old captcha', async () => {
		api.get.mockResolvedValueOnce(answer('c1')).mockRejectedValueOnce(new Error('网络连接失败'));
		const c = useCaptcha();
		await c.refresh();
		await c.refresh();
		expect(c.failed.value).toBe(true);
		expect(c.id.value).toBe('');
		expect(c.loading.value).toBe(false);
	});

	it('stops refreshing once its scope ends', async () => {
		api.get.mockResolvedValue(answer('c1', 30));
		const scope = effectScope();
		const c = scope.run(() => useCaptcha());
		await c.refresh();
		scope.stop();
		await vi.advanceTimersByTimeAsync(60_000);
		expect(api.get).toHaveBeenCalledTimes(1);
	});
});
