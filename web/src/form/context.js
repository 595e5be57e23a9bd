import { inject, provide } from 'vue';

// What every field of a rendered form needs from the page: whether it is
// read-only, the server's errors by path, the sub-contest's tracks.
const KEY = Symbol('saiwu-form');

export function provideForm(ctx) {
	provide(KEY, ctx);
	return ctx;
}

const NONE = {
	readonly: false,
	errorsFor: () => [],
	clearErrors: () => {},
	competitionName: '',
	tracks: [],
	topicLocked: false,
};

export function useForm() {
	return inject(KEY, NONE);
}

// Stable keys for table rows (rows have no ids of their own), so that
// deleting a row keeps the inputs of the others where they are.
const rowKeys = new WeakMap();
let nextKey = 1;

export function rowKey(row, i) {
	if (row === null || typeof row !== 'object')
		return `i${i}`;
	let k = rowKeys.get(row);
	if (!k) {
		k = `r${nextKey++}`;
		rowKeys.set(row, k);
	}
	return k;
}
