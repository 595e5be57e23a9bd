import { describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { createUnreadPoller } from './unread.js';

// A poller on a hand-driven clock and timer queue.
function rig({ counts = [1], visible = true } = {}) {
	const t = { now: 1_000_000, visible, timers: [] };
	const fetchCount = vi.fn(async () => {
		const v = counts.length > 1 ? counts.shift() : counts[0];
		if (v instanceof Error)
			throw v;
		return { unread: v };
	});
	const p = createUnreadPoller({
		fetchCount,
		interval: 60000,
		minGap: 3000,
		isVisible: () => t.visible,
		now: () => t.now,
		setTimer: (fn, ms) => {
			const timer = { fn, at: t.now + ms };
			t.timers.push(timer);
			return timer;
		},
		clearTimer: (timer) => {
			t.timers = t.timers.filter((x) => x !== timer);
		},
	});
	// Moves the clock on and runs the timers that fall due.
	t.advance = async (ms) => {
		t.now += ms;
		for (;;) {
			const due = t.timers.filter((x) => x.at <= t.now);
			if (!due.length)
				break;
			t.timers = t.timers.filter((x) => !due.includes(x));
			for (const d of due)
				d.fn();
			await flushPromises();
		}
	};
	return { p, t, fetchCount };
}

describe('the unread poller', () => {
	it('asks at start and then once a minute', async () => {
		const { p, t, fetchCount } = rig({ counts: [2, 3, 0] });
		p.start();
		await flushPromises();
		expect(fetchCount).toHaveBeenCalledTimes(1);
		expect(p.unread.value).toBe(2);
		await t.advance(59000);
		expect(fetchCount).toHaveBeenCalledTimes(1);
		await t.advance(1000);
		expect(fetchCount).toHaveBeenCalledTimes(2);
		expect(p.unread.value).toBe(3);
		await t.advance(60000);
		expect(p.unread.value).toBe(0);
		expect(t.timers).toHaveLength(1);
	});

	it('does not poll while the tab is hidden, and catches up when it is shown', async () => {
		const { p, t, fetchCount } = rig({ counts: [1, 5] });
		p.start();
		await flushPromises();
		t.visible = false;
		p.visibilityChanged();
		expect(t.timers).toHaveLength(0);
		await t.advance(10 * 60000);
		expect(fetchCount).toHaveBeenCalledTimes(1);
		t.visible = true;
		p.visibilityChanged();
		await flushPromises();
		expect(fetchCount).toHaveBeenCalledTimes(2);
		expect(p.unread.value).toBe(5);
	});

	it('shown again within the minute, it waits for the poll that is due', async () => {
		const { p, t, fetchCount } = rig();
		p.start();
		await flushPromises();
		t.visible = false;
		p.visibilityChanged();
		await t.advance(20000);
		t.visible = true;
		p.visibilityChanged();
		await flushPromises();
		expect(fetchCount).toHaveBeenCalledTimes(1);
		await t.advance(39999);
		expect(fetchCount).toHaveBeenCalledTimes(1);
		await t.advance(1);
		expect(fetchCount).toHaveBeenCalledTimes(2);
	});

	it('asks again after a route change, but not twice within seconds', async () => {
		const { p, t, fetchCount } = rig({ counts: [1, 2] });
		p.start();
		await flushPromises();
		await p.touch();
		expect(fetchCount).toHaveBeenCalledTimes(1);
		t.now += 3000;
		await p.touch();
		expect(fetchCount).toHaveBeenCalledTimes(2);
		expect(p.unread.value).toBe(2);
		// The next poll is a full minute after the last answer.
		expect(t.timers).toHaveLength(1);
		expect(t.timers[0].at).toBe(t.now + 60000);
	});

	it('sends one request at a time', async () => {
		const { p, fetchCount } = rig();
		p.start();
		p.refresh();
		p.touch();
		await flushPromises();
		expect(fetchCount).toHaveBeenCalledTimes(1);
	});

	it('stops when signed out: no timer, count cleared, late answers dropped', async () => {
		let release;
		const { p, t, fetchCount } = rig();
		fetchCount.mockImplementationOnce(() => new Promise((r) => {
			release = r;
		}));
		p.start();
		p.stop();
		release({ unread: 9 });
		await flushPromises();
		expect(p.unread.value).toBe(0);
		expect(t.timers).toHaveLength(0);
		await p.touch();
		p.visibilityChanged();
		await t.advance(120000);
		expect(fetchCount).toHaveBeenCalledTimes(1);
		expect(p.active.value).toBe(false);
	});

	it('keeps the last count on a failure, says so, and tries again later', async () => {
		const { p, t } = rig({ counts: [4, new Error('网络连接失败'), 1] });
		p.start();
		await flushPromises();
		await t.advance(60000);
		expect(p.unread.value).toBe(4);
		expect(p.error.value?.message).toBe('网络连接失败');
		await t.advance(60000);
		expect(p.unread.value).toBe(1);
		expect(p.error.value).toBe(null);
	});

	it('takes the count the messages page learnt', () => {
		const { p } = rig();
		p.set(7);
		expect(p.unread.value).toBe(7);
		p.set('x');
		p.set(-1);
		expect(p.unread.value).toBe(7);
	});

	it('reads a nonsense answer as none', async () => {
		const { p } = rig({ counts: [undefined] });
		p.start();
		await flushPromises();
		expect(p.unread.value).toBe(0);
	});
});
