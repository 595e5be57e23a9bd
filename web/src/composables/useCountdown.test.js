import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { effectScope } from 'vue';
import { useCountdown } from './useCountdown.js';

describe('useCountdown', () => {
	beforeEach(() => {
		vi.useFakeTimers();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('counts down by the clock and stops at zero', () => {
		const c = useCountdown();
		expect(c.running.value).toBe(false);
		c.start(60);
		expect(c.remaining.value).toBe(60);
		expect(c.running.value).toBe(true);
		vi.advanceTimersByTime(1000);
		expect(c.remaining.value).toBe(59);
		vi.advanceTimersByTime(58_000);
		expect(c.remaining.value).toBe(1);
		vi.advanceTimersByTime(1000);
		expect(c.remaining.value).toBe(0);
		expect(c.running.value).toBe(false);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('restarts with a new length and ignores nonsense', () => {
		const c = useCountdown();
		c.start(60);
		vi.advanceTimersByTime(10_000);
		c.start('5');
		expect(c.remaining.value).toBe(5);
		c.start(-3);
		expect(c.running.value).toBe(false);
		c.start(Number.NaN);
		expect(c.remaining.value).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('rounds a fractional wait up', () => {
		const c = useCountdown();
		c.start(1.2);
		expect(c.remaining.value).toBe(2);
	});

	it('stops its timer when the owning scope ends', () => {
		const scope = effectScope();
		const c = scope.run(() => useCountdown());
		c.start(30);
		expect(vi.getTimerCount()).toBe(1);
		scope.stop();
		expect(vi.getTimerCount()).toBe(0);
		expect(c.remaining.value).toBe(0);
	});
});
