import { reactive, computed, markRaw } from 'vue';
import { setUnsaved } from './useUnsaved.js';

export const UPLOAD_STATE_LABELS = {
	uploading: '上传中',
	done: '已完成',
	error: '上传失败',
	cancelled: '已取消',
};

// Refusals about the file itself: sending it again cannot help.
const FINAL_CODES = new Set(['file_type', 'bad_container', 'file_too_large', 'bad_file_name', 'empty_file', 'infected']);

// Whether 重试 makes sense for a task (cancelled, or a failure that may pass).
export function canRetry(task) {
	return task.state === 'cancelled' || (task.state === 'error' && !FINAL_CODES.has(task.errorCode));
}

let nextId = 1;

// A list of file uploads with progress, 取消 and 重试.
//
// send(file, { onProgress, ...meta }) must return { promise, abort } — the
// shape of upload() in api/http.js. onSuccess(result, task) runs once per
// stored file; the task then leaves the list (the caller shows the stored
// file instead). Failed and cancelled tasks stay, for 重试 or 移除.
//
// A running upload counts as unsaved work: closing the tab asks first.
export function useUpload(send, { onSuccess } = {}) {
	const tasks = reactive([]);

	function settle(task, result) {
		setUnsaved(task.unsavedKey, false);
		task.abort = null;
		task.progress = 100;
		task.state = 'done';
		task.result = result;
		const i = tasks.indexOf(task);
		if (i >= 0)
			tasks.splice(i, 1);
		if (onSuccess)
			onSuccess(result, task);
	}

	function fail(task, e) {
		setUnsaved(task.unsavedKey, false);
		task.abort = null;
		if (task.state === 'cancelled' || e?.code === 'aborted') {
			task.state = 'cancelled';
			task.error = '';
			return;
		}
		task.state = 'error';
		task.error = e?.message || '上传失败，请重试';
		task.errorCode = e?.code || '';
	}

	function run(task) {
		task.state = 'uploading';
		task.progress = 0;
		task.error = '';
		task.errorCode = '';
		task.attempt++;
		const attempt = task.attempt;
		setUnsaved(task.unsavedKey, true);
		let handle;
		try {
			handle = send(task.file, {
				...task.meta,
				onProgress: (p) => {
					if (task.attempt === attempt && task.state === 'uploading')
						task.progress = p;
				},
			});
		} catch (e) {
			fail(task, e);
			return Promise.resolve(null);
		}
		task.abort = handle.abort;
		task.done = handle.promise.then(
			(result) => {
				// A cancel that came too late to stop the request: the
				// server has stored the file, so it is shown all the same.
				if (task.attempt === attempt)
					settle(task, result);
				else if (onSuccess)
					onSuccess(result, task);
				return result;
			},
			(e) => {
				if (task.attempt === attempt)
					fail(task, e);
				return null;
			},
		);
		return task.done;
	}

	// Starts uploading file; meta is passed to send (name, row, replace …).
	function add(file, meta = {}) {
		const id = nextId++;
		const task = reactive({
			id,
			// Raw: XMLHttpRequest.send() needs the File itself, not a proxy.
			file: markRaw(file),
			name: meta.name ?? file.name,
			size: file.size,
			meta,
			state: 'uploading',
			progress: 0,
			error: '',
			errorCode: '',
			result: null,
			attempt: 0,
			abort: null,
			done: null,
			unsavedKey: `upload:${id}`,
		});
		tasks.push(task);
		run(task);
		return task;
	}

	function cancel(task) {
		if (task.state !== 'uploading')
			return;
		task.state = 'cancelled';
		setUnsaved(task.unsavedKey, false);
		if (task.abort)
			task.abort();
	}

	function retry(task) {
		if (task.state !== 'error' && task.state !== 'cancelled')
			return Promise.resolve(null);
		return run(task);
	}

	function dismiss(task) {
		cancel(task);
		const i = tasks.indexOf(task);
		if (i >= 0)
			tasks.splice(i, 1);
	}

	const busy = computed(() => tasks.some((t) => t.state === 'uploading'));
	// Bytes of files still on their way, for the quota pre-checks.
	const pendingBytes = computed(() =>
		tasks.reduce((n, t) => n + (t.state === 'uploading' ? t.size : 0), 0));
	const pendingCount = computed(() =>
		tasks.filter((t) => t.state === 'uploading' && !t.meta.replace).length);

	return { tasks, add, cancel, retry, dismiss, busy, pendingBytes, pendingCount, stateLabel: (t) => UPLOAD_STATE_LABELS[t.state] };
}
