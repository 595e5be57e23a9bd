import { ref, computed } from 'vue';

// The two steps of a unit-list import: a chosen file is first checked by
// the server (dry run: rows and row errors, nothing stored); 确认导入 then
// sends the same file for real, which is allowed only when the check found
// rows and no errors. Choosing another file starts over, and an answer for
// a file no longer chosen is dropped.

export const MAX_BYTES = 8 * 1024 * 1024;

// phase: 'idle' (no file), 'checking', 'checked' (result holds the
// preview), 'applying', 'applied' (done holds the count stored).
export function useCsvImport({ check, apply }) {
	const file = ref(null);
	const phase = ref('idle');
	const result = ref(null);
	const error = ref(null);
	const done = ref(null);
	let ticket = 0;

	const rows = computed(() => result.value?.rows || []);
	const errors = computed(() => result.value?.errors || []);
	const checksumWarnings = computed(() => rows.value.filter((r) => r.checksum_ok === false).length);
	const canApply = computed(() => phase.value === 'checked' && rows.value.length > 0 && errors.value.length === 0);
	// Why 确认导入 is not offered, in words; '' when it is.
	const blocked = computed(() => {
		if (phase.value !== 'checked')
			return '';
		if (errors.value.length)
			return `文件中有 ${errors.value.length} 处错误，请修改后重新选择文件；修改前不会导入任何数据。`;
		if (!rows.value.length)
			return '文件中没有可导入的数据行。';
		return '';
	});

	function reset() {
		ticket++;
		file.value = null;
		phase.value = 'idle';
		result.value = null;
		error.value = null;
	}

	async function choose(f) {
		reset();
		done.value = null;
		if (!f)
			return;
		file.value = f;
		if (f.size > MAX_BYTES) {
			error.value = { message: `文件过大（${(f.size / 1048576).toFixed(1)} MB），名单文件不能超过 8 MB` };
			phase.value = 'idle';
			return;
		}
		const my = ++ticket;
		phase.value = 'checking';
		try {
			const r = await check(f);
			if (my !== ticket)
				return;
			result.value = r;
			phase.value = 'checked';
		} catch (e) {
			if (my !== ticket)
				return;
			error.value = e;
			phase.value = 'idle';
		}
	}

	async function confirm() {
		if (!canApply.value)
			return false;
		const my = ++ticket;
		const f = file.value;
		phase.value = 'applying';
		error.value = null;
		try {
			const r = await apply(f);
			if (my !== ticket)
				return false;
			if (r?.applied) {
				done.value = { rows: r.rows.length, name: f.name };
				file.value = null;
				result.value = null;
				phase.value = 'applied';
				return true;
			}
			// The file changed on the server's side of things (cannot with
			// the same bytes, but the answer is what counts): show it.
			result.value = r;
			phase.value = 'checked';
		} catch (e) {
			if (my !== ticket)
				return false;
			error.value = e;
			phase.value = 'checked';
		}
		return false;
	}

	return { file, phase, result, error, done, rows, errors, checksumWarnings, canApply, blocked, choose, confirm, reset };
}
