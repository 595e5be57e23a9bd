import { ref, computed } from 'vue';
import { listCompetitions } from '../../api/catalog.js';
import { staffCompetitions } from '../../api/console.js';
import { useSessionStore } from '../../stores/session.js';
import { api } from '../../api/http.js';

// The sub-contests the signed-in user works on in the console, named from
// the catalog (GET /api/v1/competitions, cached per page load). While the
// catalog loads, or when it fails, the roles' slugs still give the list.
export function useConsoleCompetitions() {
	const session = useSessionStore();
	const catalog = ref([]);
	const loading = ref(true);
	const error = ref(null);

	async function load() {
		loading.value = true;
		error.value = null;
		try {
			catalog.value = await listCompetitions();
		} catch (e) {
			error.value = e;
		} finally {
			loading.value = false;
		}
	}
	load();

	const competitions = computed(() => staffCompetitions(session.roles, catalog.value));
	const reviewable = computed(() => competitions.value.filter((c) => c.review));
	const find = (slug) => competitions.value.find((c) => c.slug === slug) || null;
	const isPlatformAdmin = computed(() => session.roles.some((r) => r.role === 'platform_admin'));

	return { catalog, competitions, reviewable, find, isPlatformAdmin, loading, error, reload: load };
}

const forms = new Map();
// The sub-contest's form schema (GET /api/v1/competitions/{slug}/form),
// once per page load; a failure is forgotten so that a retry asks again.
export function formOf(slug) {
	if (!forms.has(slug))
		forms.set(slug, api.get(`/api/v1/competitions/${encodeURIComponent(slug)}/form`, { quiet: true })
			.catch((e) => {
				forms.delete(slug);
				throw e;
			}));
	return forms.get(slug);
}

// 单位性质 choices of the form (units[].nature), for the queue's filter.
export function unitNatures(schema) {
	const units = (schema?.sections || []).find((s) => s.key === 'units');
	const col = units?.table?.columns?.find((c) => c.key === 'nature');
	return Array.isArray(col?.options) ? col.options : [];
}
