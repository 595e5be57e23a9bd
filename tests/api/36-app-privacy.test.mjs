// 36-app-privacy: ID numbers and mobile numbers in a 申报书 are sealed
// before they are stored (PIPL): neither the SQLite file and its
// write-ahead log nor PostgreSQL's applications.doc hold them in plain
// text, and the owner still reads them back whole.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { STORE } from './lib.mjs';
import {
	APPS, startAppServer, newApplicant, newStaff, completeDoc, createApp, getApp, saveDoc,
	patchSection, submitApp, memberRow, newPerson,
} from './app-fixtures.mjs';

let server;
let alice;

before(async () => {
	server = await startAppServer();
	alice = await newApplicant(server);
});

after(() => server?.stop());

function psql(sql) {
	const r = spawnSync('psql', [server.databaseUrl, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql],
		{ encoding: 'utf8' });
	assert.equal(r.status, 0, `psql: ${r.stderr}`);
	return r.stdout;
}

// The stored bytes an attacker with the database would read.
function storedBytes() {
	if (STORE === 'sqlite') {
		const files = ['saiwu.db', 'saiwu.db-wal'].map((f) => path.join(server.dataDir, f));
		for (const f of files)
			assert.ok(fs.existsSync(f), `${f} exists`);
		return files.map((f) => [path.basename(f), fs.readFileSync(f)]);
	}
	return [
		['applications.doc', Buffer.from(psql('SELECT doc FROM applications'))],
		['every application table', Buffer.from(psql(
			'SELECT row_to_json(x)::text FROM applications x UNION ALL ' +
			'SELECT row_to_json(x)::text FROM application_people x UNION ALL ' +
			'SELECT row_to_json(x)::text FROM application_history x'))],
	];
}

test('a known ID number and mobile number are not stored in plain text', async () => {
	const x = newPerson();
	const y = newPerson();
	const doc = completeDoc();
	doc.members[0] = memberRow(x, { contact: true });
	doc.basic.contact_mobile = y.mobile;
	// A passport number is an ID number as well.
	doc.members[2] = { ...memberRow(newPerson()), id_type: '护照', id_number: 'EJ7654321' };
	const a = await createApp(alice);
	const s = await saveDoc(alice, a.id, a.version, doc);
	// Saved again by PATCH, and submitted: every write path.
	const p = await patchSection(alice, a.id, s.version, 'members', doc.members);
	assert.equal(p.status, 200, p.text);
	const sub = await submitApp(alice, a.id, { version: p.json.version });
	assert.equal(sub.status, 200, sub.text);
	// Something else did get stored (the check is not vacuous).
	const stored = storedBytes();
	assert.ok(stored.some(([, b]) => b.includes(doc.project.name)), 'the project name is stored');
	assert.ok(stored.some(([, b]) => b.includes('enc:v1:')), 'sealed values are stored');
	for (const [where, bytes] of stored) {
		for (const [what, v] of [
			['ID number', x.id_number], ['mobile', x.mobile], ['contact mobile', y.mobile],
			['passport number', 'EJ7654321'], ['other member ID', doc.members[1].id_number],
		])
			assert.equal(bytes.indexOf(v), -1, `${where} holds the ${what} ${v} in plain text`);
	}
	if (STORE === 'pg') {
		// The column itself, row by row.
		for (const line of psql(`SELECT doc FROM applications WHERE id = ${a.id}`).split('\n').filter(Boolean)) {
			assert.ok(!line.includes(x.id_number));
			assert.ok(!line.includes(x.mobile));
			const stored = JSON.parse(line);
			assert.match(stored.members[0].id_number, /^enc:v1:/);
			assert.match(stored.members[0].mobile, /^enc:v1:/);
			assert.match(stored.basic.contact_mobile, /^enc:v1:/);
			assert.equal(stored.members[0].name, x.name, 'names are not sealed');
		}
	}
});

test('the owner reads the full ID number back', async () => {
	const x = newPerson();
	const doc = completeDoc();
	doc.members[0] = memberRow(x, { contact: true });
	const a = await createApp(alice);
	const s = await saveDoc(alice, a.id, a.version, doc);
	assert.equal(s.doc.members[0].id_number, x.id_number);
	const got = await getApp(alice, a.id);
	assert.equal(got.doc.members[0].id_number, x.id_number);
	assert.equal(got.doc.members[0].mobile, x.mobile);
	assert.equal(got.doc.basic.contact_mobile, doc.basic.contact_mobile);
	assert.deepEqual(got.doc, doc);
	// A PATCH of another section keeps them whole (unsealed, then sealed again).
	const p = await patchSection(alice, a.id, got.version, 'team', { name: '改名' });
	assert.equal(p.status, 200, p.text);
	const again = await getApp(alice, a.id);
	assert.equal(again.doc.members[0].id_number, x.id_number);
	assert.deepEqual(again.doc.members, doc.members);
	// The list does not carry them.
	const list = await alice.get(APPS);
	assert.ok(!list.text.includes(x.id_number));
	// Nor does anyone else's view of the record.
	const reviewer = await newStaff(server, ['reviewer:guangdong-2026'], 'rev');
	const r = await reviewer.get(`${APPS}/${a.id}`);
	assert.equal(r.status, 404);
	assert.ok(!r.text.includes(x.id_number));
});
