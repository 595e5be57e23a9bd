// 56-unit-lists: the exclusion (组织单位名单, per sub-contest) and dishonesty
// (失信名单, for all) lists read back — a page with search, and the whole
// list as CSV (BOM, the import's header, RFC 4180, neutralised cells, a
// Chinese file name) that imports again to the same entries — and who may
// do what: {platform admin, this sub-contest's admin, another's, a
// reviewer, an applicant, anonymous}.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError } from './lib.mjs';
import { newUnit, uscc } from './app-fixtures.mjs';
import { Client } from './auth-lib.mjs';
import { GD, FJ, ADMIN, startConsole, stopClean } from './console-fixtures.mjs';

let cast;

before(async () => {
	cast = await startConsole();
});

after(() => stopClean(cast?.server));

const LIST = `${ADMIN}/unit-lists`;
const HEADER = '统一社会信用代码,单位名称,备注';

function importCsv(c, kind, csv, query = '') {
	return c.req('POST', `${LIST}/${kind}${query}`, { body: csv, headers: { 'Content-Type': 'text/csv' } });
}

// Parses RFC 4180 text (CRLF records, quoted fields) into rows of fields.
function parseCsv(text) {
	const rows = [];
	let row = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (ch === '"') {
				quoted = false;
			} else {
				field += ch;
			}
		} else if (ch === '"') {
			quoted = true;
		} else if (ch === ',') {
			row.push(field);
			field = '';
		} else if (ch === '\r' && text[i + 1] === '\n') {
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
			i++;
		} else {
			field += ch;
		}
	}
	assert.equal(field + row.join(''), '', 'the file ends with CRLF');
	return rows;
}

test('an exclusion list reads back page by page, newest first, with search by code or name', async () => {
	const { admin } = cast;
	const units = Array.from({ length: 25 }, () => newUnit());
	const csv = `${HEADER}\n${units.map((u, i) => `${u.uscc},${u.name},备注${i}`).join('\n')}\n`;
	const imp = await importCsv(admin, 'exclusion', csv, `?competition=${GD}`);
	assert.equal(imp.status, 200, imp.text);
	assert.equal(imp.json.applied, true);

	let res = await admin.get(`${LIST}/exclusion?competition=${GD}`);
	assert.equal(res.status, 200, res.text);
	assert.equal(res.headers['cache-control'], 'no-store');
	assert.ok(res.json.total >= 25);
	assert.equal(res.json.page, 1);
	assert.equal(res.json.per_page, 20);
	assert.equal(res.json.items.length, 20);
	const it = res.json.items[0];
	assert.deepEqual(Object.keys(it), ['uscc', 'name', 'note', 'added_at']);
	assert.equal(typeof it.added_at, 'number');

	res = await admin.get(`${LIST}/exclusion?competition=${GD}&per_page=10&page=3`);
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.page, 3);
	assert.equal(res.json.per_page, 10);
	assert.equal(res.json.items.length, res.json.total - 20);

	// By a part of the code (lower case too) and by a part of the name.
	const u = units[7];
	res = await admin.get(`${LIST}/exclusion?competition=${GD}&q=${u.uscc.slice(12).toLowerCase()}`);
	assert.equal(res.status, 200, res.text);
	assert.deepEqual(res.json.items, [{ uscc: u.uscc, name: u.name, note: '备注7', added_at: res.json.items[0].added_at }]);
	assert.equal(res.json.total, 1);
	const word = u.name.match(/（\d+号）/)[0];
	res = await admin.get(`${LIST}/exclusion?competition=${GD}&q=${encodeURIComponent(word)}`);
	assert.deepEqual(res.json.items.map((x) => x.uscc), [u.uscc]);
	// LIKE wildcards are searched for as text.
	res = await admin.get(`${LIST}/exclusion?competition=${GD}&q=${encodeURIComponent('%')}`);
	assert.equal(res.json.total, 0);
	res = await admin.get(`${LIST}/exclusion?competition=${GD}&q=_`);
	assert.equal(res.json.total, 0);

	// Another sub-contest's list is its own.
	res = await cast.root.get(`${LIST}/exclusion?competition=${FJ}&q=${u.uscc}`);
	assert.equal(res.status, 200, res.text);
	assert.equal(res.json.total, 0);

	// Bad queries.
	for (const qs of ['page=0', 'page=x', 'per_page=101', 'per_page=0', `q=${encodeURIComponent('码'.repeat(100))}`]) {
		res = await admin.get(`${LIST}/exclusion?competition=${GD}&${qs}`);
		assertError(res, 400, 'bad_query');
		assert.ok(res.json.error.fields.length > 0, qs);
	}
	assertError(await admin.get(`${LIST}/exclusion`), 400, 'competition_required');
	assertError(await admin.get(`${LIST}/exclusion?competition=nope-2026`), 400, 'bad_competition');
	assertError(await admin.get(`${LIST}/blacklist?competition=${GD}`), 404, 'not_found');
	assertError(await admin.get(`${LIST}/blacklist/export.csv?competition=${GD}`), 404, 'not_found');
});

test('the CSV export: BOM, header, quoting, neutralised cells, a Chinese file name, and it imports again', async () => {
	const { admin, root } = cast;
	const a = newUnit();
	const b = newUnit();
	const c = newUnit();
	// A code that fails the check character is listed all the same.
	const badCheck = uscc('QA0000001');
	const wrong = badCheck.slice(0, 17) + (badCheck[17] === '0' ? '1' : '0');
	const csv = [
		HEADER,
		`${a.uscc},"${a.name}，""简称""","含逗号，和"" 引号"`,
		`${b.uscc},=HYPERLINK("http://x"),-1`,
		`${c.uscc},"多行
名称",@cmd`,
		`${wrong},校验位不符的单位,`,
	].join('\r\n') + '\r\n';
	let res = await importCsv(root, 'dishonest', csv);
	assert.equal(res.status, 200, res.text);
	assert.deepEqual(res.json.errors, []);
	assert.equal(res.json.applied, true);

	res = await root.get(`${LIST}/dishonest/export.csv`);
	assert.equal(res.status, 200, res.text);
	assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
	assert.equal(res.headers['cache-control'], 'private, no-store');
	const day = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10).replaceAll('-', '');
	const name = `失信名单-${day}.csv`;
	assert.match(res.headers['content-disposition'], /^attachment; filename="[^"]+"; filename\*=UTF-8''/);
	assert.equal(decodeURIComponent(res.headers['content-disposition'].split("UTF-8''")[1]), name);
	assert.deepEqual([...res.body.subarray(0, 3)], [0xEF, 0xBB, 0xBF]);
	const text = res.body.subarray(3).toString('utf8');
	assert.ok(text.startsWith(`${HEADER}\r\n`), text.slice(0, 100));
	const rows = parseCsv(text);
	assert.deepEqual(rows[0], HEADER.split(','));
	const by = Object.fromEntries(rows.slice(1).map((r) => [r[0], r]));
	assert.equal(rows.length - 1, Number(res.headers['x-list-rows']));
	assert.deepEqual(by[a.uscc], [a.uscc, `${a.name}，"简称"`, '含逗号，和" 引号']);
	assert.deepEqual(by[b.uscc], [b.uscc, `'=HYPERLINK("http://x")`, `'-1`]);
	assert.deepEqual(by[c.uscc], [c.uscc, '多行\n名称', `'@cmd`]);
	assert.deepEqual(by[wrong], [wrong, '校验位不符的单位', '']);
	// Quoting only where RFC 4180 needs it.
	assert.ok(text.includes(`\r\n${wrong},校验位不符的单位,\r\n`), text);

	// Round trip: the file imports cleanly and the list is unchanged.
	const before = (await root.get(`${LIST}/dishonest?per_page=100`)).json;
	res = await importCsv(root, 'dishonest', res.body, '?dry_run=1');
	assert.equal(res.status, 200, res.text);
	assert.deepEqual(res.json.errors, []);
	assert.equal(res.json.rows.length, rows.length - 1);
	const row = (code) => res.json.rows.find((r) => r.uscc === code);
	assert.equal(row(b.uscc).name, '=HYPERLINK("http://x")');
	assert.equal(row(b.uscc).note, '-1');
	assert.equal(row(c.uscc).name, '多行\n名称');
	assert.equal(row(wrong).checksum_ok, false);
	const again = await root.get(`${LIST}/dishonest/export.csv`);
	res = await importCsv(root, 'dishonest', again.body);
	assert.equal(res.json.applied, true, res.text);
	const after = (await root.get(`${LIST}/dishonest?per_page=100`)).json;
	assert.deepEqual(after, before);

	// An exclusion list's file is named after its sub-contest.
	res = await admin.get(`${LIST}/exclusion/export.csv?competition=${GD}`);
	assert.equal(res.status, 200, res.text);
	const excl = decodeURIComponent(res.headers['content-disposition'].split("UTF-8''")[1]);
	assert.match(excl, new RegExp(`^组织单位名单-广东分赛-${day}\\.csv$`));
	assert.ok(parseCsv(res.body.subarray(3).toString('utf8')).length > 1);
	// An empty list is its header alone.
	res = await root.get(`${LIST}/exclusion/export.csv?competition=${FJ}`);
	assert.equal(res.status, 200, res.text);
	assert.equal(res.body.toString('utf8'), `\uFEFF${HEADER}\r\n`);
});

test('who may read and export the lists', async () => {
	const { root, admin, adminFj, rev, alice, server } = cast;
	const anon = new Client(server);
	const paths = (kind, query) => [`${LIST}/${kind}${query}`, `${LIST}/${kind}/export.csv${query}`];
	const cases = [
		// [who, exclusion of GD, dishonest]
		['a platform admin', root, 200, 200],
		["this sub-contest's admin", admin, 200, 403],
		["another sub-contest's admin", adminFj, 403, 403],
		['a reviewer', rev, 403, 403],
		['an applicant', alice, 403, 403],
		['anonymous', anon, 401, 401],
	];
	for (const [who, c, excl, dis] of cases) {
		for (const [p, want] of [...paths('exclusion', `?competition=${GD}`).map((p) => [p, excl]),
			...paths('dishonest', '').map((p) => [p, dis])]) {
			const res = await c.get(p);
			assert.equal(res.status, want, `${who} GET ${p}: ${res.text.slice(0, 200)}`);
			if (want === 403)
				assertError(res, 403, 'forbidden');
			if (want === 401)
				assertError(res, 401, 'login_required');
		}
	}
	// The dishonesty list ignores a competition, but it must still be one.
	assert.equal((await root.get(`${LIST}/dishonest?competition=${FJ}`)).status, 200);
	assertError(await root.get(`${LIST}/dishonest?competition=x`), 400, 'bad_competition');
	// Writes stay POST only.
	assertError(await root.req('DELETE', `${LIST}/dishonest`), 405, 'method_not_allowed');
	assertError(await root.req('POST', `${LIST}/dishonest/export.csv`, { body: '' }), 405, 'method_not_allowed');
});
