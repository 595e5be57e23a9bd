import { describe, it, expect } from 'vitest';
import { parseMarkdown } from './markdown.js';

describe('parseMarkdown', () => {
	it('turns the agreement into headings, paragraphs and lists', () => {
		const blocks = parseMarkdown('# 平台服务协议\n\n版本：2026-06\n\n## 一、账号\n\n1. 第一条\n2. **第二条**\n\n- 甲\n- 乙\n\n正文一行\n接着一行');
		expect(blocks).toEqual([
			{ type: 'heading', level: 1, text: '平台服务协议' },
			{ type: 'paragraph', text: '版本：2026-06' },
			{ type: 'heading', level: 2, text: '一、账号' },
			{ type: 'list', ordered: true, items: ['第一条', '第二条'] },
			{ type: 'list', ordered: false, items: ['甲', '乙'] },
			{ type: 'paragraph', text: '正文一行接着一行' },
		]);
	});

	it('keeps markup as text, never as HTML', () => {
		const [b] = parseMarkdown('<img src=x onerror=alert(1)> [链接](https://example.com)');
		expect(b.text).toBe('<img src=x onerror=alert(1)> 链接（https://example.com）');
	});

	it('accepts nothing', () => {
		expect(parseMarkdown(null)).toEqual([]);
	});
});
