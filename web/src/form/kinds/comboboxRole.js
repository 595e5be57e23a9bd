import { onMounted, onBeforeUnmount } from 'vue';

// el-cascader and el-date-picker put aria-expanded on a plain <input>
// (sometimes only after the first open). Without a role that is invalid
// ARIA (axe: critical aria-allowed-attr) and screen readers do not announce
// the popup: such an input is a combobox. An input without aria-expanded
// must stay without the role (a combobox requires aria-expanded).
// root: a ref to an element wrapping the widget.
export function useComboboxRole(root) {
	let observer = null;
	const fix = () => {
		for (const input of root.value?.querySelectorAll?.('input[aria-expanded]:not([role])') || [])
			input.setAttribute('role', 'combobox');
	};
	onMounted(() => {
		fix();
		if (root.value && typeof MutationObserver !== 'undefined') {
			observer = new MutationObserver(fix);
			observer.observe(root.value, { subtree: true, attributes: true, attributeFilter: ['aria-expanded'], childList: true });
		}
	});
	onBeforeUnmount(() => observer?.disconnect());
}
