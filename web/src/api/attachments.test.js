import { describe, expect, it } from 'vitest';
import { attachmentUrl, uploadUrl } from './attachments.js';

describe('attachment URLs', () => {
	it('puts the file name, row and replace into the query, encoded', () => {
		expect(uploadUrl(7, 'ppt', { name: '项目 PPT&终版.pdf' }))
			.toBe('/api/v1/applications/7/attachments/ppt?name=%E9%A1%B9%E7%9B%AE%20PPT%26%E7%BB%88%E7%89%88.pdf');
		expect(uploadUrl(7, 'contract', { name: 'a.pdf', row: 'value.cases[0]', replace: 12 }))
			.toBe('/api/v1/applications/7/attachments/contract?name=a.pdf&row=value.cases%5B0%5D&replace=12');
	});

	it('names the download', () => {
		expect(attachmentUrl(7, 4)).toBe('/api/v1/applications/7/attachments/4');
	});
});
