// 55-console-permissions: the permission matrix of the organisers'
// console — every console API × {reviewer of this sub-contest, reviewer of
// another, applicant, anonymous}, plus this sub-contest's admin and the
// owner where it matters. "allowed" means the permission check let the
// call through (what happens then depends on the record's state).
// The route table (`saiwu routes`) is read, so a console route added
// without a row here fails the first test.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BIN, assertSecurityHeaders } from './lib.mjs';
import { Client } from './auth-lib.mjs';
import { GD, startConsole, approvedApp, latestMessage, stopClean,
} from './console-fixtures.mjs';

const routes = JSON.parse(execFileSync(BIN, ['routes'], { encoding: 'utf8' }));
const CONSOLE = /^\/api\/v1\/(review\/|messages|admin\/(sms-templates|audit|competitions\/))|tech-verification/;
// Routes under these paths that other issues added (documents, exports)
// and test themselves; 09-security-matrix covers every route generically.
const OTHERS = /pdf|export|letter|xlsx|csv/;

let cast, app, msg, judgeId;

before(async () => {
	cast = await startConsole();
	app = await approvedApp(cast.alice, cast.rev);
	msg = await latestMessage(cast.alice);
	const staff = await cast.admin.get(`/api/v1/admin/competitions/${GD}/staff`);
	judgeId = staff.json.items.find((x) => x.account === cast.judge.account).user_id;
});

after(() => stopClean(cast?.server));

const now = () => Math.floor(Date.now() / 1000);
const A = 'allowed';

// name → [method, path(), body, {rev, revFj, applicant, anon, admin, owner}]
// Missing columns: rev, revFj and applicant default as for a review route.
function matrix() {
	const id = app.id;
	return {
		review_queue: ['GET', `/api/v1/review/competitions/${GD}/applications`, undefined,
			{ rev: A, revFj: 404, applicant: 404, admin: A }],
		review_batch: ['POST', `/api/v1/review/competitions/${GD}/batch`, { action: 'approve', ids: [id] },
			{ rev: A, revFj: 404, applicant: 404, admin: A }],
		review_reasons: ['GET', `/api/v1/review/competitions/${GD}/return-reasons`, undefined,
			{ rev: A, revFj: 404, applicant: 404, admin: A }],
		review_reasons_put: ['PUT', `/api/v1/review/competitions/${GD}/return-reasons`, { reasons: ['请补充材料。'] },
			{ rev: 403, revFj: 404, applicant: 404, admin: A }],
		review_application: ['GET', `/api/v1/review/applications/${id}`, undefined,
			{ rev: A, revFj: 404, applicant: 404, admin: A }],
		review_approve: ['POST', `/api/v1/review/applications/${id}/approve`, {},
			{ rev: A, revFj: 404, applicant: 404, admin: A, owner: 404 }],
		review_return: ['POST', `/api/v1/review/applications/${id}/return`, { reason: '请补充。' },
			{ rev: A, revFj: 404, applicant: 404, admin: A, owner: 404 }],
		review_stage: ['POST', `/api/v1/review/applications/${id}/stage`, { stage: 'preliminary' },
			{ rev: A, revFj: 404, applicant: 404, admin: A, owner: 404 }],
		review_tech_open: ['POST', `/api/v1/review/applications/${id}/tech-verification`,
			{ instructions: '请上传。', due_at: now() + 86400 },
			{ rev: A, revFj: 404, applicant: 404, admin: A, owner: 404 }],
		review_tech_result: ['POST', `/api/v1/review/applications/${id}/tech-verification/result`, { result: 'passed' },
			{ rev: A, revFj: 404, applicant: 404, admin: A, owner: 404 }],
		tech_submit: ['POST', `/api/v1/applications/${id}/tech-verification/submit`, undefined,
			{ rev: 404, revFj: 404, applicant: 404, admin: 404, owner: A }],
		messages_list: ['GET', '/api/v1/messages', undefined, { rev: A, revFj: A, applicant: A, admin: A, owner: A }],
		messages_unread: ['GET', '/api/v1/messages/unread-count', undefined,
			{ rev: A, revFj: A, applicant: A, admin: A, owner: A }],
		messages_read_all: ['POST', '/api/v1/messages/read-all', undefined,
			{ rev: A, revFj: A, applicant: A, admin: A }],
		message_read: ['POST', `/api/v1/messages/${msg.id}/read`, undefined,
			{ rev: 404, revFj: 404, applicant: 404, admin: 404, owner: A }],
		admin_sms_templates: ['GET', '/api/v1/admin/sms-templates', undefined,
			{ rev: 403, revFj: 403, applicant: 403, admin: 403 }],
		admin_sms_templates_put: ['PUT', '/api/v1/admin/sms-templates', { templates: {} },
			{ rev: 403, revFj: 403, applicant: 403, admin: 403 }],
		admin_audit: ['GET', '/api/v1/admin/audit', undefined, { rev: 403, revFj: 403, applicant: 403, admin: A }],
		admin_staff: ['GET', `/api/v1/admin/competitions/${GD}/staff`, undefined,
			{ rev: 403, revFj: 403, applicant: 403, admin: A }],
		admin_staff_add: ['POST', `/api/v1/admin/competitions/${GD}/staff`, { role: 'judge', account: cast.judge.account },
			{ rev: 403, revFj: 403, applicant: 403, admin: A }],
		// The judge has no reviewer role to lose: past the check, 404.
		admin_staff_remove: ['DELETE', `/api/v1/admin/competitions/${GD}/staff/${judgeId}?role=reviewer`, undefined,
			{ rev: 403, revFj: 403, applicant: 403, admin: 404, root: 404 }],
		admin_schedule: ['GET', `/api/v1/admin/competitions/${GD}/schedule`, undefined,
			{ rev: 403, revFj: 403, applicant: 403, admin: A }],
		admin_schedule_put: ['PUT', `/api/v1/admin/competitions/${GD}/schedule`, { resubmit_closes: null },
			{ rev: 403, revFj: 403, applicant: 403, admin: A }],
		// Judging (70-judging tests what happens past the check).
		admin_rubric: ['GET', `/api/v1/admin/competitions/${GD}/rubrics/preliminary`, undefined,
			{ rev: 403, revFj: 403, applicant: 403, admin: A }],
		admin_rubric_put: ['PUT', `/api/v1/admin/competitions/${GD}/rubrics/final`, { scoring_opens: null },
			{ rev: 403, revFj: 403, applicant: 403, admin: A }],
		admin_judges: ['GET', `/api/v1/admin/competitions/${GD}/judges`, undefined,
			{ rev: 403, revFj: 403, applicant: 403, admin: A }],
		admin_judge_put: ['PUT', `/api/v1/admin/competitions/${GD}/judges/${judgeId}`,
			{ name: '评审专家', unit_name: '某研究院' }, { rev: 403, revFj: 403, applicant: 403, admin: A }],
		admin_judging_assignments: ['GET', `/api/v1/admin/competitions/${GD}/judging/preliminary/assignments`,
			undefined, { rev: 403, revFj: 403, applicant: 403, admin: A }],
		// The record is not in the stage: past the check, 409.
		admin_judging_assignment_add: ['POST', `/api/v1/admin/competitions/${GD}/judging/preliminary/assignments`,
			{ application_id: app.id, judge_id: judgeId }, { rev: 403, revFj: 403, applicant: 403, admin: A }],
		admin_judging_assign: ['POST', `/api/v1/admin/competitions/${GD}/judging/final/assign`, {},
			{ rev: 403, revFj: 403, applicant: 403, admin: A }],
		// No such assignment: past the check, 404.
		admin_judging_unassign: ['DELETE', `/api/v1/admin/competitions/${GD}/judging/assignments/999999`, undefined,
			{ rev: 403, revFj: 403, applicant: 403, admin: 404, root: 404 }],
		// Awards (issue 10): the calls run in this order, so lock is
		// undone by unlock and publish finds the round open (409).
		admin_ranking: ['GET', `/api/v1/admin/competitions/${GD}/judging/preliminary/ranking`, undefined,
			{ rev: 403, revFj: 403, applicant: 403, admin: A }],
		admin_awards: ['GET', `/api/v1/admin/competitions/${GD}/awards`, undefined,
			{ rev: 403, revFj: 403, applicant: 403, admin: A }],
		admin_award_quotas: ['PUT', `/api/v1/admin/competitions/${GD}/awards/quotas`, { tracks: [] },
			{ rev: 403, revFj: 403, applicant: 403, admin: A }],
		admin_awards_propose: ['POST', `/api/v1/admin/competitions/${GD}/awards/propose`, { stage: 'final' },
			{ rev: 403, revFj: 403, applicant: 403, admin: A }],
		admin_award_put: ['PUT', `/api/v1/admin/competitions/${GD}/awards/${id}`, { level: null },
			{ rev: 403, revFj: 403, applicant: 403, admin: A, owner: 403 }],
		admin_awards_lock: ['POST', `/api/v1/admin/competitions/${GD}/awards/lock`, undefined,
			{ rev: 403, revFj: 403, applicant: 403, admin: A }],
		admin_awards_unlock: ['POST', `/api/v1/admin/competitions/${GD}/awards/unlock`, undefined,
			{ rev: 403, revFj: 403, applicant: 403, admin: A }],
		admin_awards_publish: ['POST', `/api/v1/admin/competitions/${GD}/awards/publish`, undefined,
			{ rev: 403, revFj: 403, applicant: 403, admin: A }],
		admin_statistics: ['GET', `/api/v1/admin/competitions/${GD}/statistics`, undefined,
			{ rev: A, revFj: 404, applicant: 404, admin: A }],
	};
}

test('the matrix covers the console routes of the route table, each for signed-in users only', () => {
	const m = matrix();
	const table = new Map(routes.map((r) => [r.name, r]));
	for (const name of Object.keys(m)) {
		const r = table.get(name);
		assert.ok(r, `${name} is in the route table`);
		assert.equal(r.session, true, `${name} needs a session`);
		assert.ok(CONSOLE.test(r.pattern), `${name}: ${r.pattern}`);
	}
	// The console's own routes (review decisions, queue, messages, admin).
	const mine = routes.filter((r) => CONSOLE.test(r.pattern) && !OTHERS.test(r.name)).map((r) => r.name);
	for (const n of mine)
		assert.ok(m[n], `console route ${n} has no row in the permission matrix`);
});

function check(res, want, what) {
	assertSecurityHeaders(res, what);
	if (want === A)
		assert.ok(![401, 403, 404, 405].includes(res.status) && res.status < 500, `${what}: allowed, got ${res.status} ${res.text}`);
	else
		assert.equal(res.status, want, `${what}: ${res.text}`);
	if (want !== A) {
		assert.ok(res.json?.error?.message, what);
		// Never a hint of the record behind a 404.
		if (want === 404)
			assert.ok(!res.text.includes(app.project_name || '—'), what);
	}
}

test('anonymous: 401 on every console route', async () => {
	const anon = new Client(cast.server);
	for (const [name, [method, path, body]] of Object.entries(matrix())) {
		const res = await anon.req(method, path, { body, absorb: false });
		check(res, 401, `${name} anonymous`);
		assert.equal(res.json.error.code, 'login_required');
	}
});

test('a reviewer of another sub-contest, an applicant, a judge: refused everywhere staff-only', async () => {
	for (const [name, [method, path, body, want]] of Object.entries(matrix())) {
		check(await cast.revFj.req(method, path, { body }), want.revFj, `${name} as a fujian reviewer`);
		check(await cast.bob.req(method, path, { body }), want.applicant, `${name} as an applicant`);
		// A judge is no reviewer: the same answers as an applicant.
		check(await cast.judge.req(method, path, { body }), want.applicant, `${name} as a judge`);
	}
	// Nothing changed the record.
	const got = await cast.alice.get(`/api/v1/applications/${app.id}`);
	assert.equal(got.json.stage, 'unreviewed');
	assert.equal(got.json.tech_status, 'not_started');
});

test('the owner: their own record and messages, no review powers', async () => {
	for (const [name, [method, path, body, want]] of Object.entries(matrix())) {
		if (want.owner === undefined)
			continue;
		check(await cast.alice.req(method, path, { body }), want.owner, `${name} as the owner`);
	}
});

test('a reviewer and an admin of this sub-contest', async () => {
	for (const [name, [method, path, body, want]] of Object.entries(matrix())) {
		check(await cast.rev.req(method, path, { body }), want.rev, `${name} as the reviewer`);
		check(await cast.admin.req(method, path, { body }), want.admin, `${name} as the admin`);
	}
	// The platform admin may do all of it.
	for (const [name, [method, path, body, want]] of Object.entries(matrix())) {
		if (name === 'tech_submit' || name === 'message_read')
			continue;
		check(await cast.root.req(method, path, { body }), want.root ?? A, `${name} as the platform admin`);
	}
});
