// The agreement's Markdown as plain blocks, rendered with text
// interpolation (never v-html): headings, paragraphs and lists. Inline
// marks are dropped.
function inline(s) {
	return s
		.replace(/\*\*(.+?)\*\*/g, '$1')
		.replace(/__(.+?)__/g, '$1')
		.replace(/`([^`]*)`/g, '$1')
		.replace(/\[([^\]]*)\]\(([^)]*)\)/g, '$1（$2）')
		.trim();
}

export function parseMarkdown(text) {
	const blocks = [];
	let para = null;
	let list = null;
	const end = () => {
		para = null;
		list = null;
	};
	for (const raw of String(text ?? '').split(/\r?\n/)) {
		const line = raw.trim();
		let m;
		if (!line) {
			end();
		} else if ((m = /^(#{1,6})\s+(.*)$/.exec(line))) {
			end();
			blocks.push({ type: 'heading', level: m[1].length, text: inline(m[2]) });
		} else if ((m = /^(?:[-*+]|(\d+)[.、)])\s+(.*)$/.exec(line))) {
			para = null;
			const ordered = m[1] !== undefined;
			if (!list || list.ordered !== ordered) {
				list = { type: 'list', ordered, items: [] };
				blocks.push(list);
			}
			list.items.push(inline(m[2]));
		} else if (/^(-{3,}|\*{3,})$/.test(line)) {
			end();
		} else if (list && /^\s{2,}/.test(raw)) {
			// A wrapped list item continues on an indented line.
			list.items[list.items.length - 1] += inline(line);
		} else if (para) {
			para.text += inline(line);
		} else {
			list = null;
			para = { type: 'paragraph', text: inline(line) };
			blocks.push(para);
		}
	}
	return blocks;
}
