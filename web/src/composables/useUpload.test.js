import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/http.js';
import { hasUnsaved } from './useUnsaved.js';
import { canRetry, useUpload } from './useUpload.js';

// A fake of upload() from api/http.js: each call is recorded with hooks to
// report progress, finish, fail, and an abort that rejects as XHR does.
function fakeSend() {
	const calls = [];
	const send = vi.fn((file, meta) => {
		const call = { file, meta, aborted: false };
		call.promise = new Promise((resolve, reject) => {
			call.resolve = resolve;
			call.reject = reject;
		});
		call.abort = () => {
			call.aborted = true;
			call.reject(new ApiError({ status: 0, code: 'aborted', message: '已取消上传' }));
		};
		calls.push(call);
		return { promise: call.promise, abort: call.abort };
	});
	return { send, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const pdf = { name: '营业执照.pdf', size: 2048 };

describe('useUpload', () => {
	it('reports progress and hands the stored file over', async () => {
		const { send, calls } = fakeSend();
		const onSuccess = vi.fn();
		const up = useUpload(send, { onSuccess });
		const task = up.add(pdf, { row: 'value.cases[0]' });

		expect(send).toHaveBeenCalledWith(pdf, expect.objectContaining({ row: 'value.cases[0]' }));
		expect(task.state).toBe('uploading');
		expect(up.stateLabel(task)).toBe('上传中');
		expect(up.busy.value).toBe(true);
		expect(up.pendingBytes.value).toBe(2048);
		expect(hasUnsaved.value).toBe(true);

		calls[0].meta.onProgress(42);
		expect(task.progress).toBe(42);

		calls[0].resolve({ id: 9, file_name: pdf.name });
		await task.done;
		expect(onSuccess).toHaveBeenCalledWith({ id: 9, file_name: pdf.name }, task);
		expect(task.state).toBe('done');
		expect(up.tasks).toHaveLength(0);
		expect(up.busy.value).toBe(false);
		expect(hasUnsaved.value).toBe(false);
	});

	it('cancels: the request is aborted and the state is 已取消', async () => {
		const { send, calls } = fakeSend();
		const onSuccess = vi.fn();
		const up = useUpload(send, { onSuccess });
		const task = up.add(pdf);
		up.cancel(task);
		expect(calls[0].aborted).toBe(true);
		await task.done;
		expect(task.state).toBe('cancelled');
		expect(up.stateLabel(task)).toBe('已取消');
		expect(task.error).toBe('');
		expect(up.tasks).toHaveLength(1);
		expect(onSuccess).not.toHaveBeenCalled();
		expect(hasUnsaved.value).toBe(false);
	});

	it('shows the server\'s message on failure and retries the same file', async () => {
		const { send, calls } = fakeSend();
		const onSuccess = vi.fn();
		const up = useUpload(send, { onSuccess });
		const task = up.add(pdf, { replace: 4 });
		calls[0].reject(new ApiError({ status: 415, code: 'file_type', message: '文件类型不符：仅接受 PDF 文件（该文件实际为 PNG 图片，扩展名却是 .pdf）' }));
		await task.done;
		expect(task.state).toBe('error');
		expect(up.stateLabel(task)).toBe('上传失败');
		expect(task.error).toContain('该文件实际为 PNG 图片');
		// The same bytes would be refused again: no 重试 for this one.
		expect(canRetry(task)).toBe(false);
		up.dismiss(task);

		const t2 = up.add(pdf, { replace: 4 });
		calls[1].reject(new ApiError({ status: 503, code: 'scan_failed', message: '病毒扫描服务暂不可用，请稍后重试' }));
		await t2.done;
		expect(t2.error).toBe('病毒扫描服务暂不可用，请稍后重试');
		expect(canRetry(t2)).toBe(true);
		const task2 = t2;

		const again = up.retry(task2);
		expect(send).toHaveBeenCalledTimes(3);
		expect(calls[2].file).toBe(pdf);
		expect(calls[2].meta.replace).toBe(4);
		expect(task2.state).toBe('uploading');
		expect(task2.error).toBe('');
		expect(task2.progress).toBe(0);
		calls[2].resolve({ id: 10 });
		await again;
		expect(onSuccess).toHaveBeenCalledTimes(1);
		expect(up.tasks).toHaveLength(0);
	});

	it('retries after a cancel, ignoring the old attempt\'s progress', async () => {
		const { send, calls } = fakeSend();
		const up = useUpload(send);
		const task = up.add(pdf);
		up.cancel(task);
		await tick();
		up.retry(task);
		calls[0].meta.onProgress(90);
		expect(task.progress).toBe(0);
		calls[1].meta.onProgress(30);
		expect(task.progress).toBe(30);
	});

	it('gives a network failure a readable message and lets a task go', async () => {
		const { send, calls } = fakeSend();
		const up = useUpload(send);
		const task = up.add(pdf);
		calls[0].reject(new Error());
		await task.done;
		expect(task.error).toBe('上传失败，请重试');
		up.dismiss(task);
		expect(up.tasks).toHaveLength(0);
	});

	it('counts only new files (not replacements) against the slot', () => {
		const { send } = fakeSend();
		const up = useUpload(send);
		up.add(pdf);
		up.add({ name: 'b.pdf', size: 10 }, { replace: 3 });
		expect(up.pendingCount.value).toBe(1);
		expect(up.pendingBytes.value).toBe(2058);
	});
});
