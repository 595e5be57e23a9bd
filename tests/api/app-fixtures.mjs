// app-fixtures.mjs: complete, valid 申报书 documents for the application
// tests (guangdong-2026 by default), the identifiers they need computed
// here (GB 32100 credit codes, GB 11643 ID numbers), and the helpers the
// 3x tests share: signed-in applicants, reviewers and admins made with
// `saiwu user add`, and short calls of the applications API.
//
//   completeDoc(overrides)   a document that passes submit; overrides are
//                            merged in (objects deeply, arrays replaced,
//                            undefined deletes a key)
//   newPerson(), newUnit()   a person / unit no other call returned
//   memberRow(p, opts), unitRow(u, opts), makeDoc({members, units, lead})
//   uscc(), usccCheck(), residentId(), idCheck(), corruptCheck()
//   startAppServer()         test mode + 演示 mode (registration open)
//   newApplicant(server)     signed up by SMS and signed in
//   newStaff(server, roles)  `saiwu user add --role …`, signed in by password
//   createApp(c, slug)       a draft with its required attachments uploaded
//   saveDoc / putDoc / patchSection / submitApp / validateApp / submitted
//
// Sign-ins are made one at a time: the server hashes one password at a
// time and answers 429 to a second. Built-ins only.

import assert from 'node:assert/strict';
import { runSaiwu, startServer } from './lib.mjs';
import { Client, GOOD_PASSWORD, loginPassword, register } from './auth-lib.mjs';

// ---- identifiers -------------------------------------------------------

// GB 32100-2015: the 31 characters (no I, O, S, V, Z) and their values.
export const USCC_SET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

// The check character of the first 17 characters of a credit code.
export function usccCheck(first17) {
	assert.equal(first17.length, 17, first17);
	let sum = 0;
	let w = 1;
	for (const ch of first17) {
		const v = USCC_SET.indexOf(ch);
		assert.ok(v >= 0, `not a credit-code character: ${ch} in ${first17}`);
		sum += v * w;
		w = (w * 3) % 31;
	}
	return USCC_SET[(31 - (sum % 31)) % 31];
}

export function usccValid(code) {
	return code.length === 18 && usccCheck(code.slice(0, 17)) === code[17];
}

// A valid credit code: 91 (工商, 企业) + division + 9-character body.
export function uscc(body, { prefix = '91', division = '440300' } = {}) {
	assert.equal(body.length, 9, body);
	const first = `${prefix}${division}${body}`;
	return first + usccCheck(first);
}

// ISO 7064 MOD 11-2 over 17 digits (GB 11643-1999).
export function idCheck(first17) {
	assert.match(first17, /^\d{17}$/);
	const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	let sum = 0;
	for (let i = 0; i < 17; i++)
		sum += Number(first17[i]) * w[i];
	return '10X98765432'[sum % 11];
}

// A valid 居民身份证 number: area, birth date (YYYYMMDD), 3-digit serial.
export function residentId(area, birth, serial) {
	const first = `${area}${birth}${String(serial).padStart(3, '0')}`;
	return first + idCheck(first);
}

// The same identifier with a wrong (but well-formed) check character:
// kind 'uscc' (any of the 31 characters) or 'id' (a digit or X).
export function corruptCheck(code, kind) {
	assert.ok(kind === 'uscc' || kind === 'id', kind);
	const last = code[code.length - 1];
	for (const c of kind === 'id' ? '0123456789X' : USCC_SET)
		if (c !== last)
			return code.slice(0, -1) + c;
	throw new Error(`cannot corrupt ${code}`);
}

// The standard's own sample is a well-formed code with a valid check.
assert.ok(usccValid('91350100M000100Y43'), 'GB 32100 sample');

// ---- people and units, distinct per call -------------------------------

// Every process makes its own values (a file's tests share one server).
const SALT = (process.pid * 7919 + Date.now()) % 1000000;
let counter = 0;
const next = () => counter++;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐';
const GIVEN = ['晓明', '海燕', '志强', '丽娟', '建国', '秀英', '俊杰', '雨桐', '子涵', '浩然', '思远', '嘉怡'];
const UNIT_WORDS = ['智联', '数海', '云途', '粤通', '星图', '鹏程', '融数', '南岭', '蓝湾', '前海'];
const AREAS = ['440305', '440304', '440106', '350102', '440104', '440306'];

// Base-31 digits of n, width w, over the credit-code alphabet.
function b31(n, w) {
	let s = '';
	for (let i = 0; i < w; i++) {
		s = USCC_SET[n % 31] + s;
		n = Math.floor(n / 31);
	}
	return s;
}

// A person: name, a valid 居民身份证 number and a mobile number, none of
// which another call of this process returns.
export function newPerson() {
	const n = next();
	const k = SALT + n * 17;
	const name = SURNAMES[k % SURNAMES.length] + GIVEN[Math.floor(k / SURNAMES.length) % GIVEN.length];
	const year = 1970 + (k % 30);
	const month = String(1 + (k % 12)).padStart(2, '0');
	const day = String(1 + (k % 28)).padStart(2, '0');
	// The serial (and the area) carry the counter: no two calls collide.
	const area = AREAS[n % AREAS.length];
	const id = residentId(area, `${year}${month}${day}`, (SALT + n) % 1000);
	const mobile = `13${(SALT % 10)}${String((SALT * 31 + n) % 100000000).padStart(8, '0')}`;
	return { name, id_number: id, mobile };
}

// A unit: name and a valid credit code.
export function newUnit() {
	const n = next();
	const word = UNIT_WORDS[n % UNIT_WORDS.length];
	// The first 4 body characters are this process's, the last 5 the count.
	const code = uscc(b31(SALT % 923521, 4) + b31(n, 5));
	return { name: `深圳市${word}数据科技有限公司（${n}号）`, uscc: code };
}

let projectNo = 0;
export function newProjectName() {
	return `粤港澳综合客运枢纽数据智能调度平台（${SALT.toString(36)}-${projectNo++}）`;
}

// ---- rows -------------------------------------------------------------

export function memberRow(p, { contact = false, unitName = '深圳市智联数据科技有限公司' } = {}) {
	return {
		name: p.name,
		id_type: '居民身份证',
		id_number: p.id_number,
		unit_name: unitName,
		title: '高级工程师',
		mobile: p.mobile,
		role: '负责数据治理方案设计与平台研发',
		is_contact: contact,
	};
}

const yearly = (amount, growth) => ({ amount_2025: amount, growth });

export function unitRow(u, { lead = false } = {}) {
	return {
		is_lead: lead,
		name: u.name,
		uscc: u.uscc,
		founded: '2015-06-18',
		region: ['440000', '440300', '440305'],
		address: '广东省深圳市南山区粤海街道高新南七道18号数字大厦12楼',
		nature: '民营',
		is_soe_subsidiary: false,
		enterprise_size: '中型企业',
		contact_name: '陈海燕',
		contact_title: '数据业务部总监',
		contact_phone: '0755-86001234',
		intro: '公司专注于交通运输领域的数据治理与智能分析，拥有完整的数据采集、清洗、建模与服务能力，服务粤港澳大湾区多个城市的交通管理部门与运输企业。',
		capability: '具备多源交通数据融合、客流预测、运力调度优化等核心算法能力，自主研发交通数据中台，已获得多项发明专利与软件著作权。',
		revenue: yearly(12800.5, 18.6),
		profit: yearly(1560.25, 12.3),
		data_revenue: yearly(5200, 25.4),
		data_assets: yearly(860, 40),
		governance_investment: yearly(320, 15),
		product_investment: yearly(980, 22.5),
		external_data_investment: yearly(150, 10),
		token_volume: yearly(12.3456, 80),
		token_spend: yearly(36.5, 60),
		agent_token_volume_share: yearly(35, 20),
		agent_token_cost_share: yearly(28.5, 15),
		data_use: {
			supply: {
				datasets: { count: 12, direct: 5, exchange: 3, broker: 2, broker_trades: 24, platform: 2, platform_trades: 18 },
				analytic: { count: 8, direct: 4, exchange: 2, broker: 1, platform: 1 },
				generative: { count: 3, direct: 2, exchange: 1, broker: 1, platform: 1 },
			},
			governance: { standardized_share: 78.5, usable_share: 65 },
			services: {
				processing: ['数据清洗', '数据标注'],
				circulation: ['交易撮合'],
				analysis: ['大模型', '行业模型'],
				consulting: ['接口服务', '咨询报告'],
				compliance: ['数据质检'],
			},
			infrastructure: {
				compute: ['混合云算力'],
				storage: ['本地存储', '公共云存储'],
				algorithm: ['自主研发'],
			},
		},
		financing: { listed: false, stage: 'A 轮', total: 3000 },
		funding_need: true,
	};
}

const source = (volume, growth, extra = {}) => ({ selected: true, volume_gb: volume, growth, ...extra });

// A complete document from explicit members and units (the lead unit of
// page 01 is `lead`, by default the units row marked is_lead).
export function makeDoc({ members, units, lead, projectName = newProjectName(), teamName } = {}) {
	const leadRow = lead || units.find((u) => u.is_lead) || units[0];
	return {
		basic: {
			competition: 'guangdong-2026',
			track: 'transportation',
			topic: 2,
			lead_unit_name: leadRow.name,
			founded: '2015-06-18',
			lead_uscc: leadRow.uscc,
			contact_name: members[0]?.name || '陈海燕',
			contact_mobile: members[0]?.mobile || '13926881234',
			contact_email: 'bisai@zhilian-data.com.cn',
			address: '广东省深圳市南山区粤海街道高新南七道18号数字大厦12楼',
			region: ['440000', '440300', '440305'],
		},
		project: {
			name: projectName,
			track_direction: '交通运输',
			source: '广东省',
			summary: '项目汇聚公交、地铁、城际铁路、民航与网约车等多源出行数据，构建综合客运枢纽客流感知与运力调度数据产品，实现客流预测、运力动态匹配与应急疏散辅助决策，提升枢纽运行效率与旅客出行体验。',
			scenarios: ['公共服务', '经营管理'],
		},
		market: {
			service_targets: ['政府', '企业'],
			data_kinds: ['公共数据', '企业数据'],
			sources: {
				own: { volume_gb: 5200, growth: 35 },
				open: {
					government: source(860, 12),
					internet: source(320.5, 8),
					other: { selected: false, volume_gb: 0, growth: 0 },
				},
				public: {
					authorized: source(1500, 20),
					other: { selected: false, volume_gb: 0, growth: 0 },
				},
				exchange: {
					partners: source(640, 15),
					user_uploads: source(45.5, 30),
					other: { selected: false, volume_gb: 0, growth: 0 },
				},
				purchase: {
					vendors: source(120, 10, { cost: 35 }),
					platforms: source(80, 5, { cost: 18.5 }),
					exchanges: source(60, 12, { cost: 22 }),
				},
			},
			datasets: {
				formed: { count: 6, volume_gb: 2300, growth: 40 },
				used: { count: 9, volume_gb: 4100, growth: 25 },
			},
			data_types: {
				structured: { selected: true, share: 60 },
				semi_structured: { selected: true, share: 25 },
				unstructured: { selected: true, share: 15 },
				other: { selected: false },
			},
			products: {
				resource: ['数据集'],
				analytic: ['接口服务', '指数服务'],
				generative: ['大模型服务'],
				third_party: ['数据清洗', '数据标注'],
			},
		},
		value: {
			customers: 36,
			customers_by_kind: {
				government: { national: 1, provincial: 3, municipal: 8 },
				research_institutes: 2,
				universities: 3,
				public_institutions: 4,
				large_enterprises: 6,
				medium_enterprises: 5,
				small_enterprises: 3,
				individuals: 1,
			},
			industries: ['541', '544', '645'],
			cases: [
				{
					unit_name: '深圳市综合交通枢纽运营管理有限公司',
					unit_type: '企业',
					enterprise_size: '大',
					province: '广东省',
					industry: ['544'],
					period: { start: '2024-03', end: '2025-06' },
					contract_amount: 386.5,
					demand: '枢纽高峰时段客流集中，各运输方式信息割裂，运力调配依赖人工经验。',
					scenario: '在枢纽运行指挥中心部署客流预测与运力调度数据产品，联动地铁、公交与出租车调度系统。',
					effect: '高峰时段旅客平均候车时间缩短 23%，运力匹配准确率提升至 92%。',
				},
				{
					unit_name: '广州市交通运输局',
					unit_type: '政府机构',
					province: '广东省',
					industry: ['541'],
					period: { start: '2025-01', end: '2025-12' },
					demand: '需要掌握全市公共交通客流时空分布，支撑线网优化决策。',
					scenario: '基于多源出行数据构建公交线网客流评估模型，辅助线路调整与站点优化。',
					effect: '完成 46 条公交线路优化，线网平均满载率提升 11%。',
				},
			],
			market_revenue: { y2024: 2350, y2025: 3680.5, y2026: 5200 },
			development_cost: 860,
			compliance_cost: 120,
			effects: {
				management: {
					cost_reduction: { management_cost: 85, labor_cost: 120 },
					efficiency: { work_efficiency: 35, accuracy: 18 },
				},
				market: { order_growth: 26, partners: 12, patents: 4, software_copyrights: 9 },
				social: { employment: 40, carbon_reduction: 1250.5, standards: { association: 1 } },
			},
		},
		team: { name: teamName || `${leadRow.name.replace('有限公司', '')}枢纽创新团队` },
		members,
		units,
		intro: {
			background: '综合客运枢纽是城市交通网络的关键节点，多种运输方式数据分散在不同部门和企业，难以支撑一体化运行调度。',
			application_scenarios: '面向枢纽运营方提供客流预测与运力调度，面向管理部门提供运行监测与应急指挥，面向旅客提供出行信息服务。',
			core_advantages: '多源数据融合能力强，模型经过大湾区多个枢纽实测验证，具备可复制推广的产品化能力。',
			data_foundation: '已接入公交、地铁、城际铁路、民航及网约车等 12 类数据源，日均处理数据约 3.5 亿条。',
			technical_route: '采用数据中台加行业大模型的技术路线，通过隐私计算实现跨主体数据安全融合，构建客流预测、运力优化与应急疏散三类模型。',
			data_governance: '建立数据标准、数据质量、元数据与数据安全管理体系，关键数据质量达标率 98% 以上。',
			innovation: '探索公共数据授权运营与企业数据融合的收益分配机制，形成政府引导、企业运营、多方共享的模式。',
			security: '落实数据分类分级保护，采用加密存储、访问审计与隐私计算等技术措施，通过网络安全等级保护三级测评。',
			effects: '项目已在 3 个综合客运枢纽落地，累计服务旅客超过 1.2 亿人次，高峰时段疏散效率提升 30%。',
			business_model: '以数据产品订阅与定制化服务相结合，面向枢纽运营方按年收费，面向管理部门提供项目制服务。',
		},
		ip: {
			property: {
				patents: [{ name: '一种基于多源数据融合的枢纽客流预测方法', number: 'ZL202310123456.7' }],
				software_copyrights: [{ name: '综合客运枢纽运力调度系统 V1.0', registration_number: '2024SR0123456' }],
			},
			contracts: [{ name: '枢纽客流预测服务合同', counterparty: '深圳市综合交通枢纽运营管理有限公司', signed_on: '2024-02-20', amount: 386.5 }],
			other_materials: '项目获 2025 年度广东省交通运输数字化优秀案例。',
		},
	};
}

const isPlain = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// Objects merge key by key; arrays and scalars replace; undefined deletes.
export function deepMerge(base, patch) {
	if (!isPlain(base) || !isPlain(patch))
		return structuredClone(patch);
	const out = structuredClone(base);
	for (const [k, v] of Object.entries(patch)) {
		if (v === undefined)
			delete out[k];
		else
			out[k] = isPlain(v) && isPlain(out[k]) ? deepMerge(out[k], v) : structuredClone(v);
	}
	return out;
}

// A complete document: 3 fresh members (the first the contact) and 2
// fresh units (the first the lead unit of page 01), then the overrides.
export function completeDoc(overrides = {}) {
	const people = [newPerson(), newPerson(), newPerson()];
	const units = [newUnit(), newUnit()];
	const unitRows = [unitRow(units[0], { lead: true }), unitRow(units[1])];
	const members = people.map((p, i) => memberRow(p, { contact: i === 0, unitName: units[i % 2].name }));
	return deepMerge(makeDoc({ members, units: unitRows }), overrides);
}

// ---- accounts ----------------------------------------------------------

export const STAFF_PASSWORD = 'Staff-pass-2026';

// Phone numbers and account names no other call of this process uses.
let accountNo = 0;
export function uniqueAccount(base = 'u') {
	const n = accountNo++;
	return {
		account: `${base}_${(SALT % 46656).toString(36)}${n}`.slice(0, 20),
		phone: `15${SALT % 10}${String((SALT * 13 + n) % 100000000).padStart(8, '0')}`,
	};
}

// A signed-up, signed-in applicant (SMS registration through the test hooks).
export async function newApplicant(server) {
	const c = new Client(server);
	const { account, phone } = uniqueAccount('app');
	await register(c, { account, phone });
	const s = await c.session();
	assert.equal(s.authenticated, true, JSON.stringify(s));
	c.account = account;
	c.phone = phone;
	return c;
}

// `saiwu user add` on the server's store with the given roles, then a
// password sign-in; returns the client.
export async function newStaff(server, roles, base = 'staff') {
	const { account, phone } = uniqueAccount(base);
	const r = runSaiwu(['user', 'add', '--account', account, '--phone', phone,
		...roles.flatMap((x) => ['--role', x]), '--password-env', 'STAFF_PW',
		...server.store.storeArgs()], { env: { STAFF_PW: STAFF_PASSWORD } });
	assert.equal(r.status, 0, `user add ${account}: ${r.stderr}`);
	const c = new Client(server);
	const res = await loginPassword(c, account, STAFF_PASSWORD);
	assert.equal(res.status, 200, res.text);
	c.account = account;
	c.password = STAFF_PASSWORD;
	return c;
}

// ---- the applications API ----------------------------------------------

export const APPS = '/api/v1/applications';

// A minimal PDF: what libmagic calls application/pdf.
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n' +
	'2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

// Uploads one small PDF into every required attachment slot of a record
// (the slots come from the server). Returns the slots filled.
export async function attachRequired(c, id) {
	const list = await c.get(`${APPS}/${id}/attachments`);
	assert.equal(list.status, 200, `attachments of ${id}: ${list.text}`);
	const slots = list.json.slots.filter((s) => s.required);
	for (const s of slots) {
		const up = await c.req('PUT', `${APPS}/${id}/attachments/${s.key}?name=${encodeURIComponent(`${s.key}.pdf`)}`,
			{ body: PDF, headers: { 'Content-Type': 'application/pdf' } });
		assert.equal(up.status, 201, `upload ${s.key} to ${id}: ${up.text}`);
	}
	return slots.map((s) => s.key);
}

// A new draft; with attach (the default) its required attachments are
// uploaded at once, so that a complete document is all it needs to submit.
export async function createApp(c, competition = 'guangdong-2026', { attach = true } = {}) {
	const res = await c.post(APPS, { competition });
	assert.equal(res.status, 201, `create in ${competition}: ${res.text}`);
	if (attach)
		await attachRequired(c, res.json.id);
	return res.json;
}

export async function getApp(c, id) {
	const res = await c.get(`${APPS}/${id}`);
	assert.equal(res.status, 200, `GET ${id}: ${res.text}`);
	return res.json;
}

// A save or submit answers without the document and history unless asked
// (docs/API.md); the helpers ask, so tests can compare what was stored.
export const FULL = { Prefer: 'return=representation' };

export function putDoc(c, id, version, doc) {
	return c.req('PUT', `${APPS}/${id}`, { body: { version, doc }, headers: FULL });
}

export function patchSection(c, id, version, section, value) {
	return c.req('PATCH', `${APPS}/${id}`, { body: { version, section, value }, headers: FULL });
}

// PUT asserting a 200; returns the record.
export async function saveDoc(c, id, version, doc) {
	const res = await putDoc(c, id, version, doc);
	assert.equal(res.status, 200, `PUT ${id}: ${res.text.slice(0, 2000)}`);
	return res.json;
}

export function submitApp(c, id, body) {
	return c.post(`${APPS}/${id}/submit`, body, { headers: FULL });
}

export async function validateApp(c, id) {
	const res = await c.post(`${APPS}/${id}/validate`);
	assert.equal(res.status, 200, `validate ${id}: ${res.text}`);
	return res.json;
}

// Creates, saves doc and submits; asserts each step; returns the record.
export async function submitted(c, doc, competition = 'guangdong-2026') {
	const a = await createApp(c, competition);
	const saved = await saveDoc(c, a.id, a.version, doc);
	const res = await submitApp(c, a.id, { version: saved.version });
	assert.equal(res.status, 200, `submit ${a.id}: ${res.text.slice(0, 3000)}`);
	assert.equal(res.json.status, 'submitted');
	return res.json;
}

// The field errors of a 422 (or of validate's errors list).
export function fieldErrors(res) {
	return res.json?.error?.fields || res.json?.errors || [];
}

export function findField(list, field, code) {
	return list.find((e) => e.field === field && (code === undefined || e.code === code));
}

// ---- servers -----------------------------------------------------------

// Test hooks, 演示 mode (every sub-contest open around today) and room
// for the sign-ups a file makes from one address.
export const APP_ARGS = ['--test-mode', 'true', '--demo', 'true', '--sms-ip-hourly-limit', '100000'];

export function startAppServer(opts = {}) {
	return startServer({ ...opts, args: [...APP_ARGS, ...(opts.args || [])] });
}

// Signs a client in again by password (after the clock outran its session).
export async function relogin(c) {
	const res = await loginPassword(c, c.account, c.password || GOOD_PASSWORD);
	assert.equal(res.status, 200, `login ${c.account}: ${res.text}`);
	return c;
}
