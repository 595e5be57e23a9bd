import { ref } from 'vue';
import { unreadCount } from '../../api/messages.js';

// The unread count of 站内消息, shared by the header's bell, the menu item
// and the messages page. It is polled gently: once a minute while the tab
// is visible, at once when the tab comes back after a minute or more,
// after route changes (throttled), and not at all when signed out.
//
// fetchCount resolves to { unread }; isVisible tells whether the tab is
// shown; timers and now are injectable for tests.
export function createUnreadPoller({
	fetchCount,
	interval = 60000,
	minGap = 3000,
	isVisible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden',
	setTimer = (fn, ms) => setTimeout(fn, ms),
	clearTimer = (t) => clearTimeout(t),
	now = () => Date.now(),
} = {}) {
	const unread = ref(0);
	// The last failure (an ApiError), null after a good answer: the bell
	// says the number may be out of date.
	const error = ref(null);
	const active = ref(false);
	let timer = null;
	let inflight = null;
	let lastAt = 0;
	// Bumped by stop(): an answer that arrives after it is dropped.
	let epoch = 0;

	function clear() {
		if (timer !== null)
			clearTimer(timer);
		timer = null;
	}

	function schedule(ms = interval) {
		clear();
		if (active.value && isVisible())
			timer = setTimer(() => {
				timer = null;
				refresh();
			}, Math.max(0, ms));
	}

	// Asks the server now (one request at a time); the next poll is a
	// full interval after the answer.
	function refresh() {
		if (!active.value)
			return Promise.resolve();
		if (inflight)
			return inflight;
		const mine = epoch;
		lastAt = now();
		inflight = (async () => {
			try {
				const r = await fetchCount();
				if (mine !== epoch)
					return;
				const n = Number(r?.unread);
				unread.value = Number.isFinite(n) && n > 0 ? n : 0;
				error.value = null;
			} catch (e) {
				if (mine === epoch)
					error.value = e;
			} finally {
				inflight = null;
				if (mine === epoch)
					schedule();
			}
		})();
		return inflight;
	}

	function start() {
		if (active.value)
			return refresh();
		active.value = true;
		return refresh();
	}

	function stop() {
		epoch++;
		active.value = false;
		inflight = null;
		clear();
		unread.value = 0;
		error.value = null;
	}

	// A route change: ask again unless an answer is only seconds old.
	function touch() {
		if (!active.value || inflight || now() - lastAt < minGap)
			return inflight || Promise.resolve();
		return refresh();
	}

	// visibilitychange: no polls in a hidden tab; a tab shown again asks
	// at once when its count is a poll old, else when the poll is due.
	function visibilityChanged() {
		if (!active.value)
			return;
		if (!isVisible()) {
			clear();
			return;
		}
		if (inflight)
			return;
		const age = now() - lastAt;
		if (age >= interval)
			refresh();
		else
			schedule(interval - age);
	}

	// The messages page knows the count from its own answers.
	function set(n) {
		const v = Number(n);
		if (Number.isFinite(v) && v >= 0) {
			unread.value = v;
			error.value = null;
		}
	}

	return { unread, error, active, start, stop, refresh, touch, visibilityChanged, set, pending: () => timer !== null };
}

let shared = null;

// The one poller of the page.
export function useUnread() {
	shared ??= createUnreadPoller({ fetchCount: () => unreadCount({ quiet: true }) });
	return shared;
}
