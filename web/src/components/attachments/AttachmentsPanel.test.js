import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
// The real form schema: the panel must show what the server declares.
import schema from '../../../../catalog/forms/2026.json';
import ElementPlus, { ElMessageBox } from 'element-plus';
import AttachmentsPanel from './AttachmentsPanel.vue';
import * as attApi from '../../api/attachments.js';

vi.mock('../../api/attachments.js', () => ({
	listAttachments: vi.fn(),
	uploadAttachment: vi.fn(),
	deleteAttachment: vi.fn(),
	attachmentUrl: (id, att) => `/api/v1/applications/${id}/attachments/${att}`,
}));

const slots = schema.attachments;

const pptFile = {
	id: 4, slot: 'ppt', row: null, file_name: '项目PPT.pdf', size: 2483911, kind: 'pdf',
	mime: 'application/pdf', sha256: 'x', uploaded_at: Date.UTC(2026, 5, 14, 1, 5) / 1000,
};

function listAnswer(files = [pptFile]) {
	return {
		slots,
		files,
		total_bytes: files.reduce((n, f) => n + f.size, 0),
		total_max_bytes: schema.attachments_total_max_bytes,
	};
}

function mountPanel(props = {}) {
	return mount(AttachmentsPanel, {
		props: { applicationId: 7, slots, editable: true, techStatus: 'not_started', ...props },
		global: { plugins: [ElementPlus] },
		attachTo: document.body,
	});
}

function pick(wrapper, slotKey, files) {
	const input = wrapper.find(`input[type="file"][data-slot="${slotKey}"]`);
	Object.defineProperty(input.element, 'files', { value: files, configurable: true });
	return input.trigger('change');
}

let wrapper;

beforeEach(() => {
	vi.mocked(attApi.listAttachments).mockResolvedValue(listAnswer());
});

afterEach(() => {
	wrapper?.unmount();
	vi.clearAllMocks();
});

describe('AttachmentsPanel', () => {
	it('lists the 2026 slots with their limits, required marks and notes', async () => {
		wrapper = mountPanel();
		await flushPromises();
		expect(attApi.listAttachments).toHaveBeenCalledWith(7, { quiet: true });

		const sections = wrapper.findAll('section.att-slot');
		// Every slot but 技术验证材料, which waits for tech_status pending.
		expect(sections.map((s) => s.attributes('data-field'))).toEqual(
			slots.filter((s) => s.key !== 'tech').map((s) => `attachments.${s.key}`));

		const q = wrapper.find('[data-field="attachments.qualification"]');
		expect(q.find('h3').text()).toContain('资格证明');
		expect(q.text()).toContain('必传');
		expect(q.text()).toContain('支持 PDF、Word、JPG、PNG，单个文件不超过 20 MB，最多 20 个文件');
		expect(q.text()).toContain('参赛单位的营业执照、财务审计报告、信用报告等资质文件');
		expect(q.find('input[type="file"]').attributes('accept')).toContain('.pdf');
		expect(q.find('button[aria-label="选择文件：资格证明"]').exists()).toBe(true);
		expect(wrapper.find('[data-field="attachments.other"]').text()).not.toContain('必传');

		expect(wrapper.text()).toContain('还有 3 项必传材料未上传');
		expect(wrapper.text()).toContain('附件总量：已用 2.4 MB / 上限 1 GB');
		expect(wrapper.emitted('change')[0][0]).toEqual([pptFile]);
	});

	it('shows uploaded files with size, time, 下载 and, when editable, 替换/删除', async () => {
		wrapper = mountPanel();
		await flushPromises();
		const ppt = wrapper.find('[data-field="attachments.ppt"]');
		const row = ppt.find('.att-file');
		expect(row.text()).toContain('项目PPT.pdf');
		expect(row.text()).toContain('2.4 MB');
		expect(row.text()).toContain('2026-06-14 09:05');
		expect(row.find('a').attributes('href')).toBe('/api/v1/applications/7/attachments/4');
		expect(row.find('a').text()).toBe('下载');
		expect(row.find('button[aria-label="删除 项目PPT.pdf"]').exists()).toBe(true);
		expect(row.find('button[aria-label="替换 项目PPT.pdf"]').exists()).toBe(true);
		// The one-file slot is full: no drop zone, a hint to replace.
		expect(ppt.find('.att-drop').exists()).toBe(false);
		expect(ppt.text()).toContain('已达文件数量上限（1 个）');
	});

	it('pre-checks a chosen file and shows the server\'s wording', async () => {
		wrapper = mountPanel();
		await flushPromises();
		await pick(wrapper, 'declaration', [new File(['MZ'], '声明.exe')]);
		const d = wrapper.find('[data-field="attachments.declaration"]');
		expect(d.find('[role="alert"]').text()).toContain('文件类型不符：仅接受 PDF、JPG、PNG 文件（不接受扩展名 .exe）');
		expect(attApi.uploadAttachment).not.toHaveBeenCalled();
	});

	it('uploads with progress, cancels, and shows a new file once stored', async () => {
		const handles = [];
		vi.mocked(attApi.uploadAttachment).mockImplementation((id, slot, file, opts) => {
			const h = { id, slot, file, opts };
			h.promise = new Promise((res, rej) => {
				h.resolve = res;
				h.reject = rej;
			});
			h.abort = vi.fn(() => h.reject(Object.assign(new Error('已取消上传'), { code: 'aborted' })));
			handles.push(h);
			return { promise: h.promise, abort: h.abort };
		});
		wrapper = mountPanel();
		await flushPromises();

		const big = new File([new Uint8Array(4096)], '营业执照.pdf', { type: 'application/pdf' });
		await pick(wrapper, 'qualification', [big]);
		expect(handles[0].slot).toBe('qualification');
		expect(handles[0].id).toBe(7);
		expect(handles[0].opts.quiet).toBe(true);
		handles[0].opts.onProgress(35);
		await flushPromises();
		const q = () => wrapper.find('[data-field="attachments.qualification"]');
		expect(q().find('.el-progress').exists()).toBe(true);
		expect(q().text()).toContain('上传中');

		await q().find('button[aria-label="取消上传 营业执照.pdf"]').trigger('click');
		await flushPromises();
		expect(handles[0].abort).toHaveBeenCalled();
		expect(q().text()).toContain('已取消');
		expect(q().find('button[aria-label="重试上传 营业执照.pdf"]').exists()).toBe(true);

		await q().find('button[aria-label="重试上传 营业执照.pdf"]').trigger('click');
		const stored = { ...pptFile, id: 5, slot: 'qualification', file_name: '营业执照.pdf', size: 4096 };
		handles[1].resolve(stored);
		await flushPromises();
		expect(q().find('.att-task').exists()).toBe(false);
		expect(q().find('.att-file').text()).toContain('营业执照.pdf');
		expect(wrapper.text()).toContain('还有 2 项必传材料未上传');
		const last = wrapper.emitted('change').at(-1)[0];
		expect(last.map((f) => f.id)).toEqual([4, 5]);
	});

	it('deletes after confirmation', async () => {
		const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm');
		vi.mocked(attApi.deleteAttachment).mockResolvedValue(null);
		wrapper = mountPanel();
		await flushPromises();
		await wrapper.find('button[aria-label="删除 项目PPT.pdf"]').trigger('click');
		await flushPromises();
		expect(confirm).toHaveBeenCalled();
		expect(attApi.deleteAttachment).toHaveBeenCalledWith(7, 4);
		expect(wrapper.find('[data-field="attachments.ppt"] .att-file').exists()).toBe(false);
		expect(wrapper.text()).toContain('还有 4 项必传材料未上传');
		confirm.mockRestore();
	});

	it('shows files without upload or delete when not editable; opens the tech slot when pending', async () => {
		wrapper = mountPanel({ editable: false, techStatus: 'pending', readOnlyReason: '已提交的报名不可编辑；如需修改，请等待审核退回' });
		await flushPromises();
		expect(wrapper.text()).toContain('已提交的报名不可编辑；如需修改，请等待审核退回，附件仅可查看和下载');
		expect(wrapper.find('[data-field="attachments.qualification"] .att-drop').exists()).toBe(false);
		expect(wrapper.find('button[aria-label="删除 项目PPT.pdf"]').exists()).toBe(false);
		expect(wrapper.find('[data-field="attachments.ppt"] a').text()).toBe('下载');
		expect(wrapper.find('[data-field="attachments.tech"] .att-drop').exists()).toBe(true);
	});

	it('readonly: just the list with downloads', async () => {
		wrapper = mountPanel({ readonly: true });
		await flushPromises();
		expect(wrapper.find('.att-summary').exists()).toBe(false);
		expect(wrapper.find('.att-drop').exists()).toBe(false);
		expect(wrapper.find('input[type="file"]').exists()).toBe(false);
		expect(wrapper.text()).not.toContain('必传');
		expect(wrapper.find('[data-field="attachments.ppt"] a').attributes('href')).toBe('/api/v1/applications/7/attachments/4');
		expect(wrapper.find('[data-field="attachments.qualification"]').text()).toContain('未上传');
	});

	it('shows the server\'s submit error at its slot and a load failure with 重新加载', async () => {
		wrapper = mountPanel({ fieldErrors: [{ field: 'attachments.authorization', code: 'required', message: '请上传参赛单位授权书（盖章扫描件）（PDF、JPG、PNG，单个文件不超过 20 MB）' }] });
		await flushPromises();
		expect(wrapper.find('[data-field="attachments.authorization"] [role="alert"]').text()).toContain('请上传参赛单位授权书');
		wrapper.unmount();

		vi.mocked(attApi.listAttachments).mockRejectedValueOnce(Object.assign(new Error('报名记录不存在'), { code: 'not_found' }));
		wrapper = mountPanel();
		await flushPromises();
		expect(wrapper.text()).toContain('报名记录不存在');
		await wrapper.find('.att-panel__load-error button').trigger('click');
		await flushPromises();
		expect(attApi.listAttachments).toHaveBeenCalledTimes(3);
		expect(wrapper.findAll('section.att-slot').length).toBeGreaterThan(0);
	});
});
