import { describe, it, expect, vi } from 'vitest';
import { useCsvImport, MAX_BYTES } from './csvImport.js';

const file = (name = 'a.csv', size = 10) => ({ name, size });
const ok = { rows: [{ line: 1, uscc: 'X' }, { line: 2, uscc: 'Y', checksum_ok: false }], errors: [], applied: false };
const bad = { rows: [{ line: 1, uscc: 'X' }], errors: [{ line: 3, message: '统一社会信用代码“badcode”格式不正确' }], applied: false };

function deferred() {
	let resolve;
	const p = new Promise((r) => {
		resolve = r;
	});
	return { p, resolve };
}

describe('the CSV import', () => {
	it('previews first; a file with errors cannot be applied', async () => {
		const check = vi.fn().mockResolvedValue(bad);
		const apply = vi.fn();
		const c = useCsvImport({ check, apply });
		await c.choose(file());
		expect(check).toHaveBeenCalledTimes(1);
		expect(c.phase.value).toBe('checked');
		expect(c.errors.value).toEqual(bad.errors);
		expect(c.canApply.value).toBe(false);
		expect(c.blocked.value).toMatch(/1 处错误/);
		expect(await c.confirm()).toBe(false);
		expect(apply).not.toHaveBeenCalled();
	});

	it('a clean file is applied with the same file, then done', async () => {
		const f = file('fixed.csv');
		const check = vi.fn().mockResolvedValue(ok);
		const apply = vi.fn().mockResolvedValue({ ...ok, applied: true });
		const c = useCsvImport({ check, apply });
		await c.choose(f);
		expect(c.canApply.value).toBe(true);
		expect(c.blocked.value).toBe('');
		expect(c.checksumWarnings.value).toBe(1);
		expect(await c.confirm()).toBe(true);
		expect(apply).toHaveBeenCalledWith(f);
		expect(c.phase.value).toBe('applied');
		expect(c.done.value).toEqual({ rows: 2, name: 'fixed.csv' });
		expect(c.file.value).toBe(null);
		expect(c.canApply.value).toBe(false);
	});

	it('an empty file has nothing to import', async () => {
		const c = useCsvImport({ check: vi.fn().mockResolvedValue({ rows: [], errors: [], applied: false }), apply: vi.fn() });
		await c.choose(file());
		expect(c.canApply.value).toBe(false);
		expect(c.blocked.value).toBe('文件中没有可导入的数据行。');
	});

	it('a refused check shows the error and leaves nothing to apply', async () => {
		const c = useCsvImport({ check: vi.fn().mockRejectedValue({ status: 403, message: '需要管理员权限' }), apply: vi.fn() });
		await c.choose(file());
		expect(c.phase.value).toBe('idle');
		expect(c.error.value.message).toBe('需要管理员权限');
		expect(c.canApply.value).toBe(false);
	});

	it('a failed apply keeps the preview to try again', async () => {
		const apply = vi.fn().mockRejectedValueOnce({ message: '网络连接失败' }).mockResolvedValueOnce({ ...ok, applied: true });
		const c = useCsvImport({ check: vi.fn().mockResolvedValue(ok), apply });
		await c.choose(file());
		expect(await c.confirm()).toBe(false);
		expect(c.phase.value).toBe('checked');
		expect(c.error.value.message).toBe('网络连接失败');
		expect(c.canApply.value).toBe(true);
		expect(await c.confirm()).toBe(true);
	});

	it('a too large file is refused before sending', async () => {
		const check = vi.fn();
		const c = useCsvImport({ check, apply: vi.fn() });
		await c.choose(file('big.csv', MAX_BYTES + 1));
		expect(check).not.toHaveBeenCalled();
		expect(c.error.value.message).toMatch(/不能超过 8 MB/);
	});

	it('the answer for a file no longer chosen is dropped', async () => {
		const first = deferred();
		const check = vi.fn().mockReturnValueOnce(first.p).mockResolvedValueOnce(ok);
		const c = useCsvImport({ check, apply: vi.fn() });
		const a = c.choose(file('old.csv'));
		await c.choose(file('new.csv'));
		first.resolve(bad);
		await a;
		expect(c.file.value.name).toBe('new.csv');
		expect(c.errors.value).toEqual([]);
		expect(c.canApply.value).toBe(true);
	});

	it('reset forgets the file and the preview', async () => {
		const c = useCsvImport({ check: vi.fn().mockResolvedValue(ok), apply: vi.fn() });
		await c.choose(file());
		c.reset();
		expect(c.phase.value).toBe('idle');
		expect(c.result.value).toBe(null);
		expect(c.canApply.value).toBe(false);
	});
});
