import { ref, computed, getCurrentScope, onScopeDispose } from 'vue';

// A seconds countdown (e.g. 重新发送(59s)). It reads the clock on every
// tick instead of counting ticks, because background tabs throttle timers.
export function useCountdown() {
	const remaining = ref(0);
	let timer = null;
	let end = 0;

	function stop() {
		if (timer)
			clearInterval(timer);
		timer = null;
		remaining.value = 0;
	}

	function tick() {
		const left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
		if (left <= 0)
			stop();
		else
			remaining.value = left;
	}

	function start(seconds) {
		stop();
		const s = Math.ceil(Number(seconds));
		if (!Number.isFinite(s) || s <= 0)
			return;
		end = Date.now() + s * 1000;
		remaining.value = s;
		timer = setInterval(tick, 250);
	}

	if (getCurrentScope())
		onScopeDispose(stop);

	return { remaining, running: computed(() => remaining.value > 0), start, stop };
}
