import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { mount, flushPromises } from '@vue/test-utils';
import ElementPlus from 'element-plus';

vi.mock('../../api/attachments.js', () => ({
	listAttachments: vi.fn(),
	uploadAttachment: vi.fn(),
	deleteAttachment: vi.fn(),
	attachmentUrl: (id, att) => `/api/v1/applications/${id}/attachments/${att}`,
}));
vi.mock('../../api/tech.js', () => ({ submitTechVerification: vi.fn() }));
vi.mock('../../api/http.js', async (orig) => ({ ...(await orig()), notifyError: vi.fn() }));
vi.mock('element-plus', async (orig) => {
	const ep = await orig();
	return { ...ep, ElMessageBox: { confirm: vi.fn() }, ElMessage: vi.fn() };
});

const { listAttachments } = await import('../../api/attachments.js');
const { submitTechVerification } = await import('../../api/tech.js');
const { notifyError, ApiError } = await import('../../api/http.js');
const { ElMessageBox } = await import('element-plus');
const { default: Panel } = await import('./TechVerificationPanel.vue');

const now = () => Math.floor(Date.now() / 1000);
const TECH_FILE = { id: 9, slot: 'tech', row: null, file_name: '演示视频.mp4', size: 2048, kind: 'mp4', mime: 'video/mp4', sha256: 'ab', uploaded_at: 1781500000 };

function app(tv, extra = {}) {
	return { id: 7, version: 5, status: 'approved', tech_status: tv?.status || 'not_started', tech_verification: tv, ...extra };
}
const pending = (over = {}) => ({ status: 'pending', status_label: '待提交', instructions: '请上传演示视频。', due_at: now() + 86400 * 7, submitted_at: null, comment: null, overdue: false, can_submit: true, ...over });

describe('TechVerificationPanel', () => {
	let wrapper;
	beforeEach(() => {
		listAttachments.mockReset().mockResolvedValue({ slots: [], files: [], total_bytes: 0, total_max_bytes: 1 << 30 });
		submitTechVerification.mockReset();
		notifyError.mockReset();
		ElMessageBox.confirm.mockReset().mockResolvedValue('confirm');
	});
	afterEach(() => wrapper?.unmount());

	const mountIt = async (a) => {
		wrapper = mount(Panel, { props: { application: a }, global: { plugins: [ElementPlus] }, attachTo: document.body });
		await flushPromises();
		return wrapper;
	};
	const submitButton = () => wrapper.findAll('button').find((b) => b.text() === '提交验证材料');

	it('renders nothing before verification is opened', async () => {
		await mountIt(app(null));
		expect(wrapper.find('#tech').exists()).toBe(false);
	});

	it('pending: status, instructions, due time, the open slot and the submit button', async () => {
		await mountIt(app(pending({ due_at: now() + 3600 * 5 })));
		expect(wrapper.find('.tech-status').text()).toBe('待提交');
		expect(wrapper.text()).toContain('请上传演示视频。');
		expect(wrapper.text()).toContain('（北京时间）');
		expect(wrapper.find('.tech-countdown').text()).toMatch(/剩余 [45] 小时/);
		expect(wrapper.find('.att-drop').exists()).toBe(true);
		expect(submitButton()).toBeTruthy();
	});

	it('asks to upload first when the slot is empty, without calling the server', async () => {
		await mountIt(app(pending()));
		await submitButton().trigger('click');
		await flushPromises();
		expect(submitTechVerification).not.toHaveBeenCalled();
		expect(wrapper.find('.att-slot__error').text()).toBe('请上传技术验证材料');
	});

	it('submits with the version after confirmation, then reloads', async () => {
		listAttachments.mockResolvedValue({ slots: [], files: [TECH_FILE], total_max_bytes: 1 << 30 });
		submitTechVerification.mockResolvedValue({ id: 7, tech_status: 'verifying' });
		await mountIt(app(pending()));
		expect(wrapper.text()).toContain('演示视频.mp4');
		await submitButton().trigger('click');
		await flushPromises();
		expect(ElMessageBox.confirm).toHaveBeenCalledTimes(1);
		expect(submitTechVerification).toHaveBeenCalledWith(7, 5, { quiet: true });
		expect(wrapper.emitted('reload')).toHaveLength(1);
	});

	it('cancelling the confirmation sends nothing', async () => {
		listAttachments.mockResolvedValue({ slots: [], files: [TECH_FILE] });
		ElMessageBox.confirm.mockRejectedValue('cancel');
		await mountIt(app(pending()));
		await submitButton().trigger('click');
		await flushPromises();
		expect(submitTechVerification).not.toHaveBeenCalled();
	});

	it('422 incomplete (a file deleted elsewhere): says to upload first, at the slot', async () => {
		listAttachments.mockResolvedValue({ slots: [], files: [TECH_FILE] });
		submitTechVerification.mockRejectedValue(new ApiError({ status: 422, code: 'incomplete', message: '报名信息不完整',
			fields: [{ field: 'attachments.tech', code: 'required', message: '请上传技术验证材料（PDF、Word…）' }] }));
		await mountIt(app(pending()));
		await submitButton().trigger('click');
		await flushPromises();
		expect(notifyError).toHaveBeenCalledWith({ message: '请先上传技术验证材料，再提交验证。' });
		expect(wrapper.emitted('reload')).toBeUndefined();
	});

	it('409 tech_overdue: the server’s message, and the record reloaded', async () => {
		listAttachments.mockResolvedValue({ slots: [], files: [TECH_FILE] });
		submitTechVerification.mockRejectedValue(new ApiError({ status: 409, code: 'tech_overdue', message: '技术验证材料的提交时间已截止（2026-08-01 18:00）' }));
		await mountIt(app(pending()));
		await submitButton().trigger('click');
		await flushPromises();
		expect(notifyError).toHaveBeenCalledWith({ message: '技术验证材料的提交时间已截止（2026-08-01 18:00）' });
		expect(wrapper.emitted('reload')).toHaveLength(1);
	});

	it('verifying: the files without upload or submit', async () => {
		listAttachments.mockResolvedValue({ slots: [], files: [TECH_FILE] });
		await mountIt(app(pending({ status: 'verifying', status_label: '验证中', can_submit: false, submitted_at: now() - 60 })));
		expect(wrapper.find('.tech-status').text()).toBe('验证中');
		expect(wrapper.text()).toContain('演示视频.mp4');
		expect(wrapper.find('.att-drop').exists()).toBe(false);
		expect(submitButton()).toBeUndefined();
		expect(wrapper.text()).toContain('材料提交时间');
	});

	it('failed: the reviewer’s comment', async () => {
		await mountIt(app(pending({ status: 'failed', status_label: '未通过', can_submit: false, comment: '视频无法播放，请重新录制。' })));
		expect(wrapper.find('.tech-comment').text()).toContain('视频无法播放，请重新录制。');
		expect(submitButton()).toBeUndefined();
	});

	it('past the due time: closed, says so', async () => {
		await mountIt(app(pending({ due_at: now() - 10, overdue: true, can_submit: false })));
		expect(wrapper.find('.tech-note').text()).toMatch(/已截止/);
		expect(wrapper.find('.att-drop').exists()).toBe(false);
		expect(submitButton()).toBeUndefined();
	});
});
