// China time (UTC+8, no daylight saving) whatever the browser's zone.
// The date pickers work on wall-clock strings ("2026-06-13 00:00:00"),
// which they parse and format back unchanged in any zone; the offset is
// added only when talking to the server.

const fmt = new Intl.DateTimeFormat('en-GB', {
	timeZone: 'Asia/Shanghai',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hourCycle: 'h23',
});

// Unix seconds → "2026-06-13 09:05:07"; '' for none.
export function formatChinaTime(sec) {
	if (sec === null || sec === undefined || sec === '' || !Number.isFinite(Number(sec)))
		return '';
	const p = {};
	for (const part of fmt.formatToParts(new Date(Number(sec) * 1000)))
		p[part.type] = part.value;
	return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

// Unix seconds → "2026-06-13 09:05" (tables, lists); '' for none.
export const formatChinaMinute = (sec) => formatChinaTime(sec).slice(0, 16);

// The server's "2026-06-13T00:00:00+08:00" → the picker's
// "2026-06-13 00:00:00"; null stays null. Another offset (the server
// always writes +08:00) is converted.
export function isoToWall(iso) {
	if (!iso)
		return null;
	const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\+08:00)?$/.exec(iso);
	if (m)
		return `${m[1]} ${m[2]}`;
	const t = Date.parse(iso);
	if (Number.isNaN(t))
		return null;
	return formatChinaTime(t / 1000);
}

// The picker's wall clock → what the server reads; null for empty.
export function wallToIso(wall) {
	return wall ? `${wall.replace(' ', 'T')}+08:00` : null;
}

// "2026-06-13 00:00:00" → "2026-06-13 00:00" for reading.
export function wallText(wall) {
	return wall ? `${wall.slice(0, 10)} ${wall.slice(11, 16)}` : '';
}

// Today in China, "2026-06-13".
export function chinaToday(nowMs = Date.now()) {
	return formatChinaTime(nowMs / 1000).slice(0, 10);
}
