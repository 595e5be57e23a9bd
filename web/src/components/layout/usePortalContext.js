import { ref, computed, watch } from 'vue';
import { useRoute } from 'vue-router';
import { listCompetitions, getCompetition, getPlatform } from '../../api/catalog.js';

export const DEFAULT_SLUG = 'guangdong-2026';

// What the portal frame shows around a page: the sub-contest being looked
// at (by the route), the list for the nav, and the platform flags. The
// pages load the same (cached) data and show its errors in place, so the
// frame only degrades (fewer nav items, no organizers) when a load fails.
export function usePortalContext() {
	const route = useRoute();
	const competitions = ref([]);
	const current = ref(null);
	const platform = ref(null);

	const slug = computed(() => {
		if (typeof route.params.slug === 'string')
			return route.params.slug;
		const q = route.query.competition;
		return typeof q === 'string' && /^[a-z0-9-]{1,64}$/.test(q) ? q : null;
	});
	const currentSummary = computed(() => competitions.value.find((c) => c.slug === slug.value) || null);
	// The footer's organizers: the sub-contest shown, else the first one.
	const footerSlug = computed(() => currentSummary.value?.slug || competitions.value[0]?.slug || null);

	listCompetitions().then((items) => {
		competitions.value = items;
	}, () => {});
	getPlatform().then((p) => {
		platform.value = p;
	}, () => {});

	watch(footerSlug, (s) => {
		if (!s)
			return;
		getCompetition(s).then((c) => {
			if (footerSlug.value === s)
				current.value = c;
		}, () => {});
	}, { immediate: true });

	const applySlug = computed(() => currentSummary.value?.slug || DEFAULT_SLUG);

	return { competitions, current, platform, slug, currentSummary, applySlug };
}
