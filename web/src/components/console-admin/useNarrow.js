import { ref, onMounted, onBeforeUnmount } from 'vue';

// True below 768 px: tables become cards there (a phone cannot show
// five columns without scrolling sideways).
export function useNarrow(query = '(max-width: 767px)') {
	const mq = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(query) : null;
	const narrow = ref(mq ? mq.matches : false);
	const on = (ev) => {
		narrow.value = ev.matches;
	};
	onMounted(() => mq?.addEventListener('change', on));
	onBeforeUnmount(() => mq?.removeEventListener('change', on));
	return narrow;
}
