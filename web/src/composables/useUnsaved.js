import { reactive, computed, watch, onBeforeUnmount } from 'vue';
import { onBeforeRouteLeave } from 'vue-router';
import { ElMessageBox } from 'element-plus';

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

// An editing page's unsaved changes (`dirty`, a ref or computed): counted
// above while they last, and leaving the page by the router asks first.
// `what` names them in the question (e.g. '短信模板'). Call from setup().
export function guardUnsaved(key, dirty, what) {
	watch(dirty, (d) => setUnsaved(key, d));
	onBeforeUnmount(() => setUnsaved(key, false));
	onBeforeRouteLeave(async () => {
		if (!dirty.value)
			return true;
		try {
			await ElMessageBox.confirm(`${what}有尚未保存的修改，离开后这些修改将会丢失。确定离开吗？`, '离开页面', {
				type: 'warning', confirmButtonText: '离开', cancelButtonText: '留在此页',
			});
			return true;
		} catch {
			return false;
		}
	});
}
