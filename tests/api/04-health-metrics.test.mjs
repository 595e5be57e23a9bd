// 04-health-metrics: /healthz does a real database round trip; /metrics is
// Prometheus text that counts the requests this test makes, by route and
// status, with duration histograms, the in-flight gauge and database errors.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, request, raw, rawRequest, parseMetrics, assertSecurityHeaders, eventually, STORE,
} from './lib.mjs';

let srv;
before(async () => {
	srv = await startServer();
});
after(async () => {
	const res = await srv.stop();
	assert.deepEqual(res, { code: 0, signal: null }, srv.stderr());
});

async function metrics() {
	const res = await request(srv, '/metrics');
	assert.equal(res.status, 200);
	return { res, ...parseMetrics(res.text) };
}

test('/healthz reports the server and its database as ok', async () => {
	const res = await request(srv, '/healthz');
	assert.equal(res.status, 200);
	assert.match(res.headers['content-type'], /^application\/json/);
	assert.equal(res.json.status, 'ok');
	assert.equal(res.json.database, 'ok');
	assert.equal(res.json.driver, STORE === 'pg' ? 'postgresql' : 'sqlite');
	assert.equal(res.headers['cache-control'], 'no-store');
	assertSecurityHeaders(res, 'healthz');
	const head = await request(srv, '/healthz', { method: 'HEAD' });
	assert.equal(head.status, 200);
	assert.equal(head.body.length, 0);
});

test('/metrics is Prometheus text with the documented families', async () => {
	await request(srv, '/healthz');
	const { res, samples, types } = await metrics();
	assert.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
	assert.equal(res.headers['cache-control'], 'no-store');
	assertSecurityHeaders(res, 'metrics');
	assert.equal(types.get('saiwu_http_requests_total'), 'counter');
	assert.equal(types.get('saiwu_http_request_duration_seconds'), 'histogram');
	assert.equal(types.get('saiwu_http_requests_in_flight'), 'gauge');
	assert.equal(types.get('saiwu_db_errors_total'), 'counter');
	assert.match(res.text, /^# HELP saiwu_http_requests_total /m);
	assert.ok(samples.has('saiwu_http_requests_in_flight'));
	assert.equal(samples.get('saiwu_db_errors_total'), 0);
	assert.ok(res.text.endsWith('\n'));
	// Once earlier requests are done, the metrics request is the one in flight.
	await eventually(async () => {
		assert.equal((await metrics()).samples.get('saiwu_http_requests_in_flight'), 1);
	});
});

test('requests are counted by route and status, with a duration histogram', async () => {
	const before = (await metrics()).samples;
	const N = 7;
	for (let i = 0; i < N; i++)
		assert.equal((await request(srv, '/api/v1/competitions')).status, 200);
	const etag = (await request(srv, '/api/v1/competitions/fujian-2026')).headers.etag;
	assert.equal((await request(srv, '/api/v1/competitions/fujian-2026', { headers: { 'If-None-Match': etag } })).status, 304);
	assert.equal((await request(srv, '/api/v1/competitions/nope')).status, 404);
	assert.equal((await request(srv, '/api/v1/nope')).status, 404);
	assert.equal((await request(srv, '/api/v1/competitions', { method: 'DELETE' })).status, 405);
	assert.equal((await raw(srv, rawRequest('GET', '/%zz'))).status, 400);
	assert.equal((await request(srv, '/api/v1/csp-reports', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' })).status, 415);
	// A request is counted when it completes, a moment after its answer.
	let after;
	const delta = (k) => (after.get(k) || 0) - (before.get(k) || 0);
	await eventually(async () => {
		after = (await metrics()).samples;
		assert.equal(delta('saiwu_http_requests_total{route="competitions_list",status="200"}'), N);
		assert.equal(delta('saiwu_http_requests_total{route="competition_get",status="200"}'), 1);
		assert.equal(delta('saiwu_http_requests_total{route="competition_get",status="304"}'), 1);
		assert.equal(delta('saiwu_http_requests_total{route="competition_get",status="404"}'), 1);
		assert.equal(delta('saiwu_http_requests_total{route="csp_reports",status="415"}'), 1);
		assert.equal(delta('saiwu_http_requests_total{route="unmatched",status="404"}'), 1);
		assert.equal(delta('saiwu_http_requests_total{route="unmatched",status="405"}'), 1);
		assert.equal(delta('saiwu_http_requests_total{route="unmatched",status="400"}'), 1);
		assert.ok(delta('saiwu_http_requests_total{route="metrics",status="200"}') >= 1);
	});

	// Histogram: cumulative buckets ending in +Inf == _count, and a _sum.
	const route = 'competitions_list';
	const count = after.get(`saiwu_http_request_duration_seconds_count{route="${route}"}`);
	assert.equal(delta(`saiwu_http_request_duration_seconds_count{route="${route}"}`), N);
	assert.equal(after.get(`saiwu_http_request_duration_seconds_bucket{route="${route}",le="+Inf"}`), count);
	const buckets = [...after.entries()]
		.filter(([k]) => k.startsWith(`saiwu_http_request_duration_seconds_bucket{route="${route}",`));
	assert.ok(buckets.length >= 5, 'several buckets');
	for (let i = 1; i < buckets.length; i++)
		assert.ok(buckets[i][1] >= buckets[i - 1][1], `bucket ${buckets[i][0]} is cumulative`);
	const sum = after.get(`saiwu_http_request_duration_seconds_sum{route="${route}"}`);
	assert.ok(sum > 0 && sum < count * 5, `sum ${sum} is plausible`);
	assert.equal(after.get('saiwu_db_errors_total'), 0);
});
