// 61-docs-letters: the 申报主体责任声明 and the 参赛单位授权书 the applicant
// prints, stamps and uploads. Their sentences are the guide's (第二部分
// 第二章 and 第三章) word for word; the blanks hold the team, the project,
// the units, the members and the team leader; the places for stamps,
// signatures and the date stay blank. Only the owner downloads them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, request } from './lib.mjs';
import { APPS, startAppServer, newApplicant, newStaff, completeDoc, createApp, saveDoc, submitted } from './app-fixtures.mjs';
import { pdfText, pdfPages, renderPage, squeeze, cleanupDocs } from './docs-lib.mjs';

const LONG = { timeout: 60000 };
let server;
let alice;
let mallory;

before(async () => {
	server = await startAppServer();
	alice = await newApplicant(server);
	mallory = await newApplicant(server);
});

after(async () => {
	cleanupDocs();
	// A clean stop: under the sanitizer build, no leak and no error.
	const stopped = await server?.stop();
	assert.deepEqual({ code: stopped?.code, signal: stopped?.signal }, { code: 0, signal: null },
		server?.stderr().slice(-3000));
});

// The guide's sentences, as printed there (the blanks are where "____"
// stands; each piece between them must appear whole).
const DECLARATION = [
	'申报主体责任声明',
	'本团队', '（团队名称）', '自愿以项目', '（项目名称）', '参加 2026 年“数据要素×”大赛广东分赛，并做出如下声明：',
	'1.本团队所有成员单位不属于广东分赛组织单位及其下属分公司、子公司、控股公司、母公司，所有成员单位及团队代表未被列入“信用中国”网站记录失信被执行人、重大税收违法案件当事人名单、政府采购严重违法失信行为记录名单。',
	'2.参赛项目申报材料内容、数据真实准确，知识产权均归属团队成员单位，未侵犯任何他人的专利权、著作权、商标权及其他知识产权，证明材料合法合规且真实有效。所有材料均为团队成员单位所有，未使用母公司、分公司、子公司、控股公司或其它非参赛单位材料。',
	'3.本团队所有成员仅代表一个团队参赛，本团队仅在本届大赛中申报一个参赛项目，参赛项目仅申报本届大赛一个赛题方向且仅在一个分赛区参赛。',
	'4.参赛期间，本团队严格按照大赛组委会要求提交参赛项目有关资料，自愿配合资质审核、尽职调查，接受赛事过程中可能产生的质疑与申诉裁定，如参赛项目获奖，本团队接受项目公示，接受各界监督。',
	'如违反以上声明，本团队自愿放弃参赛资格、取消比赛成绩、退回已享受奖励，并承担一切责任。',
	'牵头参赛单位名称（盖章）',
	'其他参赛单位名称（盖章）',
	'2026 年 月 日',
];

const AUTHORIZATION = [
	'参赛单位授权书',
	'兹授权我单位之团队', '（团队名称及成员姓名），以本单位的名义参加 2026 年“数据要素×”大赛，并代表本单位在该大赛中行使相关权利、履行相关义务。',
	'授权事项包括但不限于：',
	'1.代表本单位参加 2026 年“数据要素×”大赛；',
	'2.在大赛中展示本单位的研究成果、方案或产品；',
	'3.与大赛组织方、其他参赛单位或个人进行交流与合作；',
	'4.在大赛中签署相关文件、协议等；',
	'5.在大赛中行使其他与本单位权益相关的合法权利。',
	'授权期限：自授权书签发之日起至大赛结束之日止。',
	'本单位对被授权人/团队在授权期限内所进行的一切行为承担法律责任。',
	'特此授权。',
	'团队负责人名称：',
	'团队负责人身份证号码：',
	'牵头参赛单位名称（盖章）：',
	'其他参赛单位名称（盖章）（如合作组队参赛）：',
	'授权日期： 年 月 日',
];

async function letter(c, id, name) {
	const res = await c.get(`${APPS}/${id}/letters/${name}`, LONG);
	assert.equal(res.status, 200, `${name}: ${res.text.slice(0, 300)}`);
	assert.equal(res.headers['content-type'], 'application/pdf');
	assert.match(res.headers['content-disposition'], /^attachment; /);
	return res;
}

function inOrder(flat, pieces, what) {
	let at = 0;
	for (const p of pieces) {
		const i = flat.indexOf(squeeze(p), at);
		assert.ok(i >= 0, `${what}: "${p}" (in order)`);
		at = i + squeeze(p).length;
	}
}

test('the declaration: the guide\'s text, the team, the project and the units', async () => {
	const doc = completeDoc();
	const a = await createApp(alice);
	await saveDoc(alice, a.id, a.version, doc);
	const res = await letter(alice, a.id, 'declaration.pdf');
	assert.equal(pdfPages(res.body), 1);
	const flat = squeeze(pdfText(res.body, { layout: true }));
	inOrder(flat, DECLARATION, 'declaration');
	// The blanks, filled: team before （团队名称）, project before （项目名称）.
	assert.ok(flat.includes(`本团队${squeeze(doc.team.name)}（团队名称）自愿以项目${squeeze(doc.project.name)}（项目名称）`));
	assert.ok(flat.includes(`牵头参赛单位名称（盖章）${squeeze(doc.units[0].name)}`), 'lead unit');
	assert.ok(flat.includes(`其他参赛单位名称（盖章）${squeeze(doc.units[1].name)}`), 'other unit');
	renderPage(res.body, 1);
});

test('the authorization: the guide\'s text, the team and its members, the leader', async () => {
	const doc = completeDoc();
	const s = await submitted(alice, doc);
	const res = await letter(alice, s.id, 'authorization.pdf');
	assert.equal(pdfPages(res.body), 1);
	const flat = squeeze(pdfText(res.body, { layout: true }));
	inOrder(flat, AUTHORIZATION, 'authorization');
	const names = doc.members.map((m) => m.name).join('、');
	assert.ok(flat.includes(`兹授权我单位之团队${squeeze(doc.team.name)}：${names}（团队名称及成员姓名）`), 'team and members');
	// The leader is the team's 联络人.
	const lead = doc.members.find((m) => m.is_contact);
	assert.ok(flat.includes(`团队负责人名称：${lead.name}`), 'leader');
	assert.ok(flat.includes(`团队负责人身份证号码：${lead.id_number}`), 'leader ID');
	assert.ok(flat.includes('团队负责人（签字）：'), 'a place to sign');
	assert.ok(flat.includes(`牵头参赛单位名称（盖章）：${squeeze(doc.units[0].name)}`));
	assert.ok(flat.includes(`其他参赛单位名称（盖章）（如合作组队参赛）：${squeeze(doc.units[1].name)}`));
	renderPage(res.body, 1);
});

test('an empty draft leaves blanks to write on; Fujian\'s names its sub-contest', async () => {
	const fj = await createApp(alice, 'fujian-2026', { attach: false });
	const res = await letter(alice, fj.id, 'declaration.pdf');
	const flat = squeeze(pdfText(res.body, { layout: true }));
	assert.ok(flat.includes('本团队（团队名称）自愿以项目（项目名称）参加2026年“数据要素×”大赛福建分赛，并做出如下声明：'), flat.slice(0, 200));
	assert.ok(flat.includes('1.本团队所有成员单位不属于福建分赛组织单位'), 'Fujian');
	const auth = squeeze(pdfText((await letter(alice, fj.id, 'authorization.pdf')).body, { layout: true }));
	inOrder(auth, AUTHORIZATION, 'blank authorization');
});

test('only the owner downloads the letters', async () => {
	const a = await createApp(alice, 'guangdong-2026', { attach: false });
	for (const name of ['declaration.pdf', 'authorization.pdf']) {
		const missing = await mallory.get(`${APPS}/987654/letters/${name}`);
		assertError(missing, 404, 'not_found', name);
		const other = await mallory.get(`${APPS}/${a.id}/letters/${name}`);
		assertError(other, 404, 'not_found', name);
		assert.equal(other.json.error.message, missing.json.error.message);
		assertError(await request(server, `${APPS}/${a.id}/letters/${name}`), 401, 'login_required');
		const rev = await newStaff(server, ['competition_admin:guangdong-2026'], 'letadm');
		assertError(await rev.get(`${APPS}/${a.id}/letters/${name}`), 404, 'not_found', 'organisers print their own copy');
	}
	for (const name of ['other.pdf', 'declaration', 'DECLARATION.PDF', '..%2Fdeclaration.pdf'])
		assertError(await alice.get(`${APPS}/${a.id}/letters/${name}`), 404, 'not_found', name);
});
