import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { mount, flushPromises } from '@vue/test-utils';
import ElementPlus from 'element-plus';

vi.mock('../../api/console.js', async (orig) => ({
	...(await orig()),
	downloadFile: vi.fn(async () => {}),
}));

// Mounting Element Plus is slow on a busy machine.
vi.setConfig({ testTimeout: 30000 });

const consoleApi = await import('../../api/console.js');
const { default: JudgeAttachments } = await import('./JudgeAttachments.vue');

const SLOTS = [
	{ key: 'tech', label: '技术验证材料' },
	{ key: 'letter', label: '责任声明' },
];
// As GET /judge/assignments/{id} lists them (by id); 'old' is a slot the
// form no longer has.
const FILES = [
	{ id: 5, slot: 'tech', filename: '截图.png', size: 2048, content_type: 'image/png' },
	{ id: 7, slot: 'old', filename: '说明.docx', size: 100, content_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
	{ id: 9, slot: 'tech', filename: '报告.pdf', size: 4096, content_type: 'application/pdf' },
];

function mountList(props = {}) {
	return mount(JudgeAttachments, {
		props: { assignmentId: 4, files: FILES, slots: SLOTS, ...props },
		global: { plugins: [ElementPlus] },
		attachTo: document.body,
	});
}

describe('JudgeAttachments', () => {
	let fetchMock;
	beforeEach(() => {
		consoleApi.downloadFile.mockClear();
		fetchMock = vi.fn(async () => new Response(new Uint8Array([1, 2, 3]), { status: 200 }));
		vi.stubGlobal('fetch', fetchMock);
		URL.createObjectURL = vi.fn(() => 'blob:preview');
		URL.revokeObjectURL = vi.fn();
	});
	afterEach(() => {
		vi.unstubAllGlobals();
		document.body.innerHTML = '';
	});

	it('groups the files by slot in the form order, slots without files left out, unknown slots last', async () => {
		const w = mountList();
		await flushPromises();
		const regions = w.findAll('section');
		expect(regions.map((s) => s.find('h3').text())).toEqual(['技术验证材料', 'old']);
		expect(regions[0].attributes('aria-labelledby')).toBe('ja-tech');
		expect(regions[0].find('#ja-tech').exists()).toBe(true);
		expect(regions[0].findAll('.ja-name').map((n) => n.text())).toEqual(['截图.png · 2 KB', '报告.pdf · 4 KB']);
		// 预览 for images and PDFs only, 下载 for every file.
		expect(w.findAll('button').filter((b) => b.text() === '预览').map((b) => b.attributes('aria-label'))).toEqual(['预览 截图.png', '预览 报告.pdf']);
		expect(w.findAll('button').filter((b) => b.text() === '下载')).toHaveLength(3);
		w.unmount();
	});

	it('downloads and previews through the assignment route', async () => {
		const w = mountList();
		await flushPromises();
		await w.find('button[aria-label="下载 说明.docx"]').trigger('click');
		await flushPromises();
		expect(consoleApi.downloadFile).toHaveBeenCalledWith('/api/v1/judge/assignments/4/attachments/7', '说明.docx');

		await w.find('button[aria-label="预览 截图.png"]').trigger('click');
		await flushPromises();
		expect(fetchMock).toHaveBeenCalledTimes(1);
		expect(fetchMock.mock.calls[0][0]).toBe('/api/v1/judge/assignments/4/attachments/5');
		w.unmount();
	});

	it('says so when the project has no files', async () => {
		const w = mountList({ files: [] });
		await flushPromises();
		expect(w.findAll('section')).toHaveLength(0);
		expect(w.text()).toContain('该项目没有上传附件');
		w.unmount();
	});
});
