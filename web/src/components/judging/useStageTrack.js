import { ref, computed, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { getTracks } from '../../api/catalog.js';
import { isScoringStage } from '../../api/judging.js';

// The sub-contest, 评审阶段 and 赛道 an admin judging page works on, kept in
// the address (?stage=final&track=3) so that a reload or a shared link
// shows the same table; and the sub-contest's tracks for the choice.
export function useStageTrack() {
	const route = useRoute();
	const router = useRouter();
	const slug = computed(() => String(route.params.slug || ''));
	const stage = computed({
		get: () => (isScoringStage(route.query.stage) ? route.query.stage : 'preliminary'),
		set: (v) => router.replace({ query: { ...route.query, stage: v } }),
	});
	const track = computed({
		get: () => (/^\d+$/.test(String(route.query.track || '')) ? Number(route.query.track) : ''),
		set: (v) => router.replace({ query: { ...route.query, track: v === '' || v === null ? undefined : v } }),
	});
	const tracks = ref([]);
	watch(slug, async (s) => {
		tracks.value = [];
		if (!s)
			return;
		try {
			tracks.value = await getTracks(s);
		} catch {
			// The page's own load reports a missing sub-contest.
		}
	}, { immediate: true });
	const trackName = (id) => tracks.value.find((t) => t.id === id)?.name || '';
	return { slug, stage, track, tracks, trackName };
}

// A page's table for the chosen sub-contest, stage and track: fetch() runs
// now and whenever a source changes, and only the newest answer is applied
// (apply(data)) or shown as the error, so a quick switch of stage or track
// never leaves the previous choice's table on screen. load() reloads and
// resolves when done.
export function useStageLoad(sources, fetch, apply) {
	const loading = ref(true);
	const error = ref(null);
	let seq = 0;
	async function load() {
		const mine = ++seq;
		loading.value = true;
		error.value = null;
		try {
			const d = await fetch();
			if (mine === seq)
				apply(d);
		} catch (e) {
			if (mine === seq)
				error.value = e;
		} finally {
			if (mine === seq)
				loading.value = false;
		}
	}
	watch(sources, () => load(), { immediate: true });
	return { loading, error, load };
}
