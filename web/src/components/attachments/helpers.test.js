import { describe, expect, it } from 'vitest';
// The real form schema: the panel must show what the server declares.
import schema from '../../../../catalog/forms/2026.json';
import {
	acceptString,
	fileNameProblem,
	formatBytes,
	formatTime,
	limitMB,
	limitText,
	missingRequired,
	precheck,
	rowChoices,
	rowLabel,
	slotOpen,
	typeLabels,
	typeProblem,
} from './helpers.js';

const slot = (key) => schema.attachments.find((s) => s.key === key);
const file = (name, size) => ({ name, size });
const MB = 1024 * 1024;

describe('formatBytes', () => {
	it('uses binary units with at most one decimal', () => {
		expect(formatBytes(0)).toBe('0 B');
		expect(formatBytes(800)).toBe('800 B');
		expect(formatBytes(1024)).toBe('1 KB');
		expect(formatBytes(1536)).toBe('1.5 KB');
		expect(formatBytes(2483911)).toBe('2.4 MB');
		expect(formatBytes(20 * MB)).toBe('20 MB');
		expect(formatBytes(500 * MB)).toBe('500 MB');
		expect(formatBytes(1024 * MB)).toBe('1 GB');
	});

	it('gives nothing for nonsense', () => {
		expect(formatBytes(undefined)).toBe('');
		expect(formatBytes(-1)).toBe('');
	});
});

describe('limits and types', () => {
	it('words limits like the server (whole MB)', () => {
		expect(limitMB(20971520)).toBe('20 MB');
		expect(limitMB(1073741824)).toBe('1024 MB');
	});

	it('names each type label once, in order', () => {
		expect(typeLabels(['pdf', 'doc', 'docx', 'jpg', 'png'])).toBe('PDF、Word、JPG、PNG');
		expect(typeLabels(['ppt', 'pptx', 'pdf'])).toBe('PPT、PDF');
	});

	it('builds the accept attribute from extensions and MIME types', () => {
		expect(acceptString(['pdf', 'jpg'])).toBe('.pdf,.jpg,.jpeg,application/pdf,image/jpeg');
		expect(acceptString(['mp4'])).toBe('.mp4,video/mp4');
		expect(acceptString(['nope'])).toBe('');
	});

	it('describes each slot of the 2026 schema before upload', () => {
		expect(limitText(slot('declaration'))).toBe('支持 PDF、JPG、PNG，单个文件不超过 20 MB，最多 3 个文件');
		expect(limitText(slot('ppt'))).toBe('支持 PPT、PDF，单个文件不超过 100 MB，限 1 个文件');
		expect(limitText(slot('video'))).toBe('支持 MP4，单个文件不超过 500 MB，限 1 个文件');
	});
});

describe('pre-checks (the server\'s wording)', () => {
	const q = slot('qualification');

	it('refuses a wrong extension', () => {
		expect(typeProblem('setup.exe', q.types)).toBe('文件类型不符：仅接受 PDF、Word、JPG、PNG 文件（不接受扩展名 .exe）');
		expect(typeProblem('README', q.types)).toBe('文件类型不符：仅接受 PDF、Word、JPG、PNG 文件（文件名缺少扩展名）');
		expect(typeProblem('x.' + 'a'.repeat(17), q.types)).toBe('文件类型不符：仅接受 PDF、Word、JPG、PNG 文件（不接受该扩展名）');
	});

	it('accepts .jpeg and upper case as the server does', () => {
		expect(typeProblem('扫描件.JPEG', q.types)).toBeNull();
		expect(typeProblem('执照.Pdf', q.types)).toBeNull();
	});

	it('checks names', () => {
		expect(fileNameProblem('')).toBe('文件名不能为空');
		expect(fileNameProblem('a/b.pdf')).toBe('文件名不能包含 / 或 \\');
		expect(fileNameProblem('文件\u202Efdp.exe')).toBe('文件名不能包含控制字符或不可见字符');
		expect(fileNameProblem('文'.repeat(197) + '.pdf')).toBe('文件名过长：最多 200 个字符');
		expect(fileNameProblem('文'.repeat(196) + '.pdf')).toBeNull();
	});

	it('checks in the server\'s order: name, empty, size, type, count, total', () => {
		expect(precheck(file('a.pdf', 0), q)).toBe('文件为空');
		expect(precheck(file('a.exe', 21 * MB), q)).toBe('资格证明单个文件不能超过 20 MB');
		expect(precheck(file('a.exe', MB), q)).toMatch(/^文件类型不符/);
		expect(precheck(file('a.pdf', MB), q, { inSlot: 20 })).toBe('资格证明最多上传 20 个文件，请先删除或替换');
		expect(precheck(file('a.pdf', MB), q, { inSlot: 20, replacing: true })).toBeNull();
		expect(precheck(file('a.pdf', 2 * MB), q, { usedBytes: 1023 * MB, totalMaxBytes: 1024 * MB }))
			.toBe('全部附件合计不能超过 1024 MB');
		expect(precheck(file('a.pdf', MB), q, { usedBytes: 1023 * MB, totalMaxBytes: 1024 * MB })).toBeNull();
	});
});

describe('time, openness, required slots, rows', () => {
	it('formats Unix seconds in Beijing time', () => {
		// 2026-06-14T01:05:00Z is 09:05 in Beijing.
		expect(formatTime(Date.UTC(2026, 5, 14, 1, 5) / 1000)).toBe('2026-06-14 09:05');
		expect(formatTime(null)).toBe('');
	});

	it('opens the tech slot only while verification is pending', () => {
		expect(slotOpen(slot('tech'), { editable: true, techStatus: 'not_started' })).toBe(false);
		expect(slotOpen(slot('tech'), { editable: false, techStatus: 'pending' })).toBe(true);
		expect(slotOpen(slot('ppt'), { editable: false, techStatus: 'pending' })).toBe(false);
		expect(slotOpen(slot('ppt'), { editable: true })).toBe(true);
	});

	it('lists the required slots without a file', () => {
		const missing = missingRequired(schema.attachments, [{ slot: 'ppt' }, { slot: 'other' }]);
		expect(missing.map((s) => s.key)).toEqual(['qualification', 'declaration', 'authorization']);
	});

	it('offers the document rows of a per-row slot', () => {
		const doc = {
			value: { cases: [{ unit_name: '广州地铁集团' }, {}] },
			ip: { contracts: [{ name: '数据服务合同' }] },
		};
		const choices = rowChoices(slot('contract'), doc, schema.sections);
		expect(choices).toEqual([
			{ value: 'value.cases[0]', label: '案例 1：广州地铁集团' },
			{ value: 'value.cases[1]', label: '案例 2' },
			{ value: 'ip.contracts[0]', label: '合同 1：数据服务合同' },
		]);
		expect(rowLabel('ip.contracts[0]', doc, schema.sections)).toBe('合同 1：数据服务合同');
		expect(rowLabel('ip.property.patents[2]', null, [])).toBe('第 3 行');
		expect(rowChoices(slot('ppt'), doc, schema.sections)).toEqual([]);
	});
});
