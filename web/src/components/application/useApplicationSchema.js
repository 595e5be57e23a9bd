import { ref, computed } from 'vue';

// The 报名表 (form schema) and the competition a record shown read-only
// needs beside the record itself, and the record's document fields both
// views head their page with. `fetch(slug)` → [form, competition]: the
// applicant's view asks the server each time, the console uses its caches.
// `app` is the ref holding the record (Application).
export function useApplicationSchema(app, fetch) {
	const schema = ref(null);
	const competition = ref(null);
	const schemaError = ref(null);

	async function loadExtras(slug) {
		schemaError.value = null;
		try {
			const [f, c] = await fetch(slug);
			schema.value = f;
			competition.value = c;
		} catch (e) {
			schemaError.value = e;
		}
	}

	// Both change only with the competition; records of the same one reuse them.
	async function ensureExtras(slug) {
		if (!schema.value || competition.value?.slug !== slug)
			await loadExtras(slug);
	}

	const doc = computed(() => app.value?.doc || {});
	const projectName = computed(() => doc.value.project?.name || '');
	const teamName = computed(() => doc.value.team?.name || '');

	return { schema, competition, schemaError, loadExtras, ensureExtras, doc, projectName, teamName };
}
