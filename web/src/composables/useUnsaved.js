import { reactive, computed } from 'vue';

// Which parts of the page hold changes the server has not stored yet. The
// header's 退出登录 warns about them, and so does closing the tab.
const dirty = reactive(new Set());

export function setUnsaved(key, on) {
	if (on)
		dirty.add(key);
	else
		dirty.delete(key);
}

export const hasUnsaved = computed(() => dirty.size > 0);

if (typeof window !== 'undefined')
	window.addEventListener('beforeunload', (ev) => {
		if (dirty.size > 0) {
			ev.preventDefault();
			ev.returnValue = '';
		}
	});
