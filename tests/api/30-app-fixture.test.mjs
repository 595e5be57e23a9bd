import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';
import { TEST_MODE } from './auth-lib.mjs';
import * as F from './app-fixtures.mjs';

let server, a;
before(async () => {
	server = await startServer({ args: [...TEST_MODE, '--demo', 'true', '--sms-ip-hourly-limit', '100000'] });
	a = await F.newApplicant(server);
});
after(() => server?.stop());

test('fixture submits', async () => {
	const doc = F.completeDoc();
	const rec = await F.createApp(a);
	const saved = await F.putDoc(a, rec.id, rec.version, doc);
	console.log(saved.status, saved.text.slice(0, 3000));
	const v = await F.validateApp(a, rec.id);
	console.log(JSON.stringify(v, null, 1).slice(0, 5000));
});
