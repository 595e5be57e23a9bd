// 31-app-fields: the checks on single values and across fields, seen
// through the API. Credit codes (GB 32100) and ID numbers (GB 11643) are
// checked by their check characters, and a legal code that fails its
// check is accepted once an admin marks it verified (`saiwu lists
// verify-uscc` or POST /api/v1/admin/uscc-verified). Text limits count
// characters as the server documents: code points after CRLF→LF and
// trimming. The lead unit of page 01 must be the lead row of the units
// table; exactly one contact member and one lead unit; at most 5 members.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, runSaiwu } from './lib.mjs';
import {
	startAppServer, newApplicant, newStaff, completeDoc, createApp, getApp, putDoc, saveDoc,
	submitApp, validateApp, fieldErrors, findField, newPerson, newUnit, memberRow, unitRow,
	corruptCheck, usccValid, idCheck, uscc,
} from './app-fixtures.mjs';

let server;
let alice;
let admin;

before(async () => {
	server = await startAppServer();
	// One at a time: the server hashes one password at a time (else 429).
	alice = await newApplicant(server);
	admin = await newStaff(server, ['platform_admin'], 'admin');
});

after(() => server?.stop());

// A draft holding doc; returns {id, version}.
async function draftWith(doc) {
	const a = await createApp(alice);
	const s = await saveDoc(alice, a.id, a.version, doc);
	return { id: s.id, version: s.version };
}

function assert422(res, field, code, what = '') {
	assertError(res, 422, null, what);
	const e = findField(fieldErrors(res), field, code);
	assert.ok(e, `${what}: no ${field}/${code} in ${res.text.slice(0, 1500)}`);
	assert.match(e.message, /[\u4e00-\u9fff]/);
	return e;
}

test('the identifiers of the fixture are computed right', () => {
	assert.ok(usccValid('91350100M000100Y43'));
	assert.ok(!usccValid(corruptCheck('91350100M000100Y43', 'uscc')));
	// GB 11643-1999's own example.
	assert.equal(idCheck('11010519491231002'), 'X');
	assert.equal(uscc('M000100Y4', { division: '350100' }), '91350100M000100Y43');
});

test('a corrupted credit code fails with checksum at its path, until `saiwu lists verify-uscc` accepts it', async () => {
	const doc = completeDoc();
	const bad = corruptCheck(doc.units[0].uscc, 'uscc');
	doc.units[0].uscc = bad;
	doc.basic.lead_uscc = bad;
	// A draft cannot hold it either: the check character is a format check.
	const a = await createApp(alice);
	const put = await putDoc(alice, a.id, a.version, doc);
	const e = assert422(put, 'units[0].uscc', 'checksum', 'PUT');
	assert.match(e.message, /参赛单位第 1 行/);
	assert.match(e.message, /校验位/);
	assert422(put, 'basic.lead_uscc', 'checksum', 'PUT');
	assert.equal(fieldErrors(put).length, 2, put.text);
	assert.equal((await getApp(alice, a.id)).version, a.version, 'nothing saved');

	// Written another way (spaces, lower case) it is the same code.
	const spaced = `${bad.slice(0, 6)} ${bad.slice(6, 12).toLowerCase()} ${bad.slice(12)}`;
	const r = runSaiwu(['lists', 'verify-uscc', spaced, '--note', '登记机关确认', ...server.store.storeArgs()]);
	assert.equal(r.status, 0, r.stderr);
	assert.match(r.stdout, new RegExp(`${bad} marked as verified`));

	const s = await saveDoc(alice, a.id, a.version, doc);
	assert.deepEqual(await validateApp(alice, a.id), { valid: true, errors: [] });
	const sub = await submitApp(alice, a.id, { version: s.version });
	assert.equal(sub.status, 200, sub.text);

	// Verifying a code is not verifying every code.
	const b = await createApp(alice);
	const other = completeDoc();
	other.units[1].uscc = corruptCheck(other.units[1].uscc, 'uscc');
	assert422(await putDoc(alice, b.id, b.version, other), 'units[1].uscc', 'checksum');
	// A value that is not shaped like a code is refused by the CLI.
	const junk = runSaiwu(['lists', 'verify-uscc', 'NOT-A-CODE', ...server.store.storeArgs()]);
	assert.notEqual(junk.status, 0);
});

test('a corrupted credit code is accepted after POST /api/v1/admin/uscc-verified', async () => {
	const doc = completeDoc();
	const bad = corruptCheck(doc.units[1].uscc, 'uscc');
	doc.units[1].uscc = bad;
	const a = await createApp(alice);
	const e = assert422(await putDoc(alice, a.id, a.version, doc), 'units[1].uscc', 'checksum');
	assert.match(e.message, /参赛单位第 2 行/);

	// Only an admin may vouch for a code.
	assertError(await alice.post('/api/v1/admin/uscc-verified', { uscc: bad, note: '我自己说的' }), 403, 'forbidden');
	assert422(await putDoc(alice, a.id, a.version, doc), 'units[1].uscc', 'checksum');

	const ok = await admin.post('/api/v1/admin/uscc-verified', { uscc: bad.toLowerCase(), note: '营业执照核验无误' });
	assert.equal(ok.status, 200, ok.text);
	assert.deepEqual(ok.json, { uscc: bad, verified: true });
	const s = await saveDoc(alice, a.id, a.version, doc);
	const sub = await submitApp(alice, a.id, { version: s.version });
	assert.equal(sub.status, 200, sub.text);

	// Something that is not a credit code at all cannot be verified.
	const junk = await admin.post('/api/v1/admin/uscc-verified', { uscc: '12345', note: '' });
	assert422(junk, 'uscc', 'format');
});

test('a corrupted ID number fails with members[i].id_number checksum', async () => {
	const doc = completeDoc();
	const good = doc.members[0].id_number;
	doc.members[0].id_number = corruptCheck(good, 'id');
	doc.members[2].id_number = corruptCheck(doc.members[2].id_number, 'id');
	const a = await createApp(alice);
	const put = await putDoc(alice, a.id, a.version, doc);
	const e = assert422(put, 'members[0].id_number', 'checksum');
	assert.match(e.message, /团队成员第 1 行/);
	assert422(put, 'members[2].id_number', 'checksum');
	assert.equal(fieldErrors(put).length, 2, put.text);
	// An admin's verification is about credit codes, not ID numbers.
	const v = await admin.post('/api/v1/admin/uscc-verified', { uscc: '91350100M000100Y43', note: '' });
	assert.equal(v.status, 200, v.text);
	// Other shapes: a birth date in the future, a 15-digit number, a bad passport.
	const future = `440305${new Date().getUTCFullYear() + 1}0101123`;
	for (const [num, type, code] of [
		[future + idCheck(future), '居民身份证', 'format'],
		['440305880101123', '居民身份证', 'format'],
		['E12', '护照', 'format'],
	]) {
		const d = completeDoc();
		d.members[1].id_type = type;
		d.members[1].id_number = num;
		assert422(await putDoc(alice, a.id, a.version, d), 'members[1].id_number', code, num);
	}
	// Fixed, it saves; lower-case x and spaces are the same number.
	doc.members[0].id_number = good.toLowerCase();
	doc.members[2] = memberRow(newPerson());
	const p = newPerson();
	doc.members[1] = memberRow({ ...p, id_number: `${p.id_number.slice(0, 6)} ${p.id_number.slice(6)}` });
	const s = await saveDoc(alice, a.id, a.version, doc);
	assert.equal(s.status, 'draft');
});

// Saves a summary of the given text and returns the response.
async function putSummary(rec, text) {
	const doc = completeDoc({ project: { summary: text } });
	return putDoc(alice, rec.id, rec.version, doc);
}

async function acceptsSummary(rec, text, what) {
	const res = await putSummary(rec, text);
	assert.equal(res.status, 200, `${what}: ${res.text.slice(0, 500)}`);
	rec.version = res.json.version;
	const v = await validateApp(alice, rec.id);
	assert.equal(findField(v.errors, 'project.summary'), undefined, `${what}: ${JSON.stringify(v.errors)}`);
	return res;
}

function refusesSummary(res, count, what) {
	const e = assert422(res, 'project.summary', 'too_long', what);
	assert.match(e.message, /项目简述/);
	assert.match(e.message, /1000/);
	assert.match(e.message, new RegExp(`当前 ${count} 字`), `${what}: ${e.message}`);
}

test('project.summary: exactly 1000 Chinese characters pass, 1001 fail with too_long', async () => {
	const rec = await draftWith({});
	const han = '数据要素乘数效应赋能千行百业';
	const text = (n) => Array.from({ length: n }, (_, i) => han[i % han.length]).join('');
	const ok = await acceptsSummary(rec, text(1000), '1000 字');
	assert.equal([...ok.json.doc.project.summary].length, 1000);
	refusesSummary(await putSummary(rec, text(1001)), 1001, '1001 字');
	// 4-byte characters are one character each too.
	await acceptsSummary(rec, '𠀀'.repeat(1000), '1000 supplementary-plane characters');
	refusesSummary(await putSummary(rec, '𠀀'.repeat(1001)), 1001, '1001 supplementary-plane characters');
	// The submitted text is the one that was counted.
	const v = await validateApp(alice, rec.id);
	assert.equal(v.valid, true, JSON.stringify(v.errors));
});

test('mixed Latin and CJK text counts each character once', async () => {
	const rec = await draftWith({});
	const MIX = 'AI大模型 data数据x'; // no space at either end of any cut below
	const mixed = (n) => Array.from({ length: n }, (_, i) => MIX[i % MIX.length]).join('');
	assert.notEqual(mixed(1000).at(-1), ' ');
	assert.notEqual(mixed(1001).at(-1), ' ');
	await acceptsSummary(rec, mixed(1000), 'mixed 1000');
	refusesSummary(await putSummary(rec, mixed(1001)), 1001, 'mixed 1001');
	await acceptsSummary(rec, 'a'.repeat(1000), 'ASCII 1000');
	refusesSummary(await putSummary(rec, 'a'.repeat(1001)), 1001, 'ASCII 1001');
});

test('CRLF counts as one character', async () => {
	const rec = await draftWith({});
	// 10 lines of 99 characters: 990 + 9 line breaks = 999, then one more.
	const line = '数'.repeat(99);
	const crlf = Array(10).fill(line).join('\r\n') + '据';
	const lf = Array(10).fill(line).join('\n') + '据';
	await acceptsSummary(rec, crlf, 'CRLF, 1000');
	await acceptsSummary(rec, lf, 'LF, 1000');
	refusesSummary(await putSummary(rec, `${crlf}\r\n据`), 1002, 'CRLF, 1002');
	// A lone CR is a character of its own.
	refusesSummary(await putSummary(rec, `${crlf}\r据`), 1002, 'CR, 1002');
});

test('surrounding whitespace is trimmed before counting', async () => {
	const rec = await draftWith({});
	const body = '数'.repeat(1000);
	await acceptsSummary(rec, `  \t\r\n\u3000${body}\u3000 \r\n\n`, 'padded 1000');
	refusesSummary(await putSummary(rec, `  ${body}据  `), 1001, 'padded 1001');
	// Inside the text, spaces count.
	refusesSummary(await putSummary(rec, `${'数'.repeat(500)} ${'数'.repeat(500)}`), 1001, 'inner space');
	// Only whitespace is empty: required at submit.
	const res = await putSummary(rec, ' \u3000\r\n ');
	assert.equal(res.status, 200, res.text);
	rec.version = res.json.version;
	const v = await validateApp(alice, rec.id);
	assert.ok(findField(v.errors, 'project.summary', 'required'), JSON.stringify(v.errors));
});

test('a lead unit that is not the lead row of the units table → lead_mismatch', async () => {
	const cases = [
		['another name', (d) => { d.basic.lead_unit_name = `${d.units[0].name}（分公司）`; }],
		['another code', (d) => { d.basic.lead_uscc = newUnit().uscc; }],
		['the lead flag on the other row', (d) => { d.units[0].is_lead = false; d.units[1].is_lead = true; }],
	];
	for (const [what, change] of cases) {
		const doc = completeDoc();
		change(doc);
		const rec = await draftWith(doc);
		const res = await submitApp(alice, rec.id, { version: rec.version });
		const e = assert422(res, 'units', 'lead_mismatch', what);
		assert.match(e.message, /牵头单位/);
		assert.equal((await getApp(alice, rec.id)).status, 'draft');
	}
	// The same code written with spaces and in lower case is the same unit.
	const doc = completeDoc();
	doc.basic.lead_uscc = doc.units[0].uscc.toLowerCase().replace(/(.{6})/, '$1 ');
	const rec = await draftWith(doc);
	const ok = await submitApp(alice, rec.id, { version: rec.version });
	assert.equal(ok.status, 200, ok.text);
});

test('two contact members, or none → the exactly_one rule', async () => {
	for (const contacts of [[true, true, false], [false, false, false]]) {
		const doc = completeDoc();
		doc.members.forEach((m, i) => { m.is_contact = contacts[i]; });
		const rec = await draftWith(doc);
		const res = await submitApp(alice, rec.id, { version: rec.version });
		assertError(res, 422, 'incomplete');
		const e = fieldErrors(res).find((x) => x.code === 'rule' && x.field.startsWith('members'));
		assert.ok(e, res.text);
		assert.equal(e.message, '团队成员中须有且仅有一名团队联络人');
		assert.equal(fieldErrors(res).length, 1, res.text);
	}
	// Two lead units, too.
	const doc = completeDoc();
	doc.units[1].is_lead = true;
	const rec = await draftWith(doc);
	const res = await submitApp(alice, rec.id, { version: rec.version });
	const e = fieldErrors(res).find((x) => x.code === 'rule' && x.field.startsWith('units'));
	assert.ok(e, res.text);
	assert.equal(e.message, '参赛单位中须有且仅有一家牵头单位');
});

test('more than 5 members (or units) → rows', async () => {
	const doc = completeDoc();
	const six = [...doc.members, ...[1, 2, 3].map(() => memberRow(newPerson()))];
	assert.equal(six.length, 6);
	const a = await createApp(alice);
	const res = await putDoc(alice, a.id, a.version, { ...doc, members: six });
	const e = assert422(res, 'members', 'rows');
	assert.match(e.message, /最多 5 行/);
	// Five is fine.
	const five = await saveDoc(alice, a.id, a.version, { ...doc, members: six.slice(0, 5) });
	assert.equal(five.doc.members.length, 5);
	const sub = await submitApp(alice, a.id, { version: five.version });
	assert.equal(sub.status, 200, sub.text);
	// Six units are refused the same way.
	const b = await createApp(alice);
	const units = [unitRow(newUnit(), { lead: true }), ...[1, 2, 3, 4, 5].map(() => unitRow(newUnit()))];
	assert422(await putDoc(alice, b.id, b.version, { ...doc, units }), 'units', 'rows');
});
