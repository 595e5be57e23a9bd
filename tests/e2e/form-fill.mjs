// form-fill.mjs: fills the 申报书 through the page the way a person does,
// field by field, guided by the form schema and a document to type in.
// Each field's wrapper carries data-field="<error path>"; the input of each
// kind is driven by what Element Plus renders for it (inputs, selects,
// radios, checkboxes, the region cascader, the industry picker, date
// pickers, tables with 添加一行).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO } from './lib.mjs';

const require = createRequire(path.join(REPO, 'web', 'package.json'));
const { areaList } = require('@vant/area-data');

const industries = new Map();
{
	const data = JSON.parse(fs.readFileSync(path.join(REPO, 'catalog', 'data', 'gbt4754-2017.json'), 'utf8'));
	for (const s of data.sections)
		for (const d of s.divisions)
			for (const g of d.groups)
				industries.set(g.code, g.name);
}

const isPlain = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const esc = (s) => String(s).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function whenHolds(f, siblings) {
	const w = f.when;
	if (!w)
		return true;
	const v = siblings?.[w.field];
	if ('equals' in w)
		return v === w.equals;
	if ('in' in w)
		return w.in.includes(v);
	if ('is_true' in w)
		return w.is_true ? v === true : v !== true;
	return true;
}

export const wrapper = (page, p) => page.locator(`[data-field="${p}"]`);

// The option of the select that is open now (Element Plus keeps closed
// dropdowns in the page, hidden).
async function pickOption(page, name) {
	const opt = page.getByRole('option', { name, exact: true });
	await opt.first().waitFor({ state: 'visible' });
	await opt.first().click();
}

// Picks an option and checks that the select shows it (a click during the
// dropdown's opening animation can miss).
async function selectValue(page, w, label) {
	const shown = w.locator('.el-select__placeholder:not(.is-transparent)').first();
	for (let attempt = 0; ; attempt++) {
		await w.locator('.el-select__wrapper').first().click();
		await pickOption(page, label);
		await page.waitForTimeout(50);
		const now = (await shown.count()) ? (await shown.innerText()).trim() : '';
		if (now === label)
			return;
		if (attempt >= 2)
			assert.fail(`select shows "${now}" instead of "${label}"`);
		await page.keyboard.press('Escape').catch(() => {});
	}
}

function regionText(codes) {
	return codes.map((c) => areaList.province_list[c] || areaList.city_list[c] || areaList.county_list[c] || c).join(' / ');
}

// One plain value. ctx.competition names tracks and topics.
async function fillValue(page, f, v, p, siblings, ctx) {
	const w = wrapper(page, p);
	switch (f.kind) {
	case 'competition':
		return;
	case 'text':
	case 'textarea':
	case 'mobile':
	case 'email':
	case 'uscc':
	case 'id_number':
	case 'integer':
	case 'decimal':
	case 'percent':
		await w.locator('input, textarea').first().fill(String(v));
		return;
	case 'boolean':
		await w.locator('label.el-radio').filter({ hasText: v ? '是' : '否' }).click();
		return;
	case 'select':
	case 'id_type':
		await selectValue(page, w, String(v));
		return;
	case 'track': {
		const t = ctx.competition.tracks.find((x) => x.key === v);
		await selectValue(page, w, t.heading || t.name);
		return;
	}
	case 'topic': {
		const t = ctx.competition.tracks.find((x) => x.key === siblings.track);
		const topic = t.topics.find((x) => x.no === v);
		await selectValue(page, w, `${topic.no}. ${topic.title}`);
		return;
	}
	case 'multiselect':
		for (const o of v) {
			const box = w.locator('label.el-checkbox').filter({ hasText: new RegExp(`^\\s*${esc(o)}\\s*$`) });
			if (!(await box.locator('input').isChecked()))
				await box.click();
		}
		return;
	case 'date': {
		const input = w.locator('input').first();
		await input.fill(v);
		await input.press('Enter');
		await page.keyboard.press('Escape').catch(() => {});
		return;
	}
	case 'year_month_range': {
		const inputs = w.locator('input');
		for (const [i, part] of [[0, v.start], [1, v.end]]) {
			if (!part)
				continue;
			await inputs.nth(i).fill(part);
			await inputs.nth(i).press('Enter');
			await page.keyboard.press('Escape').catch(() => {});
		}
		return;
	}
	case 'region': {
		const input = w.locator('input').first();
		await input.click();
		const last = v[v.length - 1];
		await input.fill(areaList.county_list[last] || areaList.city_list[last] || areaList.province_list[last]);
		await page.locator('.el-cascader__suggestion-item:visible').filter({ hasText: regionText(v) }).first().click();
		await page.keyboard.press('Escape').catch(() => {});
		return;
	}
	case 'industries':
		for (const code of v) {
			// Like selectValue: a click while the list opens can miss.
			const label = `${code} ${industries.get(code)}`;
			const box = w.locator('.el-select__wrapper').first();
			for (let attempt = 0; !(await box.innerText()).includes(label); attempt++) {
				if (attempt >= 3)
					assert.fail(`the industry picker does not show "${label}"`);
				await page.keyboard.press('Escape').catch(() => {});
				await box.click();
				await w.locator('input').first().fill(code);
				await pickOption(page, label);
				await page.waitForTimeout(50);
			}
		}
		await page.keyboard.press('Escape').catch(() => {});
		return;
	default:
		throw new Error(`form-fill: no driver for kind ${f.kind} at ${p}`);
	}
}

async function fillTable(page, columns, rows, p, ctx) {
	const w = wrapper(page, p).first();
	const rowSel = (i) => wrapper(page, `${p}[${i}]`);
	for (let i = 0; i < rows.length; i++) {
		if (!(await rowSel(i).count())) {
			await w.getByRole('button', { name: /^添加一行/ }).last().click();
			await rowSel(i).first().waitFor();
		}
		await fillObject(page, columns, rows[i], `${p}[${i}]`, ctx);
	}
}

// The fields of one object (section, group, row) in schema order, those a
// `when` hides left out.
export async function fillObject(page, fields, values, base, ctx) {
	if (!isPlain(values))
		return;
	for (const f of fields) {
		const v = values[f.key];
		if (v === undefined || v === null || !whenHolds(f, values))
			continue;
		const p = base ? `${base}.${f.key}` : f.key;
		if (f.kind === 'group') {
			const head = f.fields[0]?.kind === 'boolean' && f.fields[0].label === f.label ? f.fields[0] : null;
			if (head && v[head.key] === true) {
				const box = wrapper(page, `${p}.${head.key}`).locator('label.el-checkbox');
				if (!(await box.locator('input').isChecked()))
					await box.click();
			}
			await fillObject(page, head ? f.fields.slice(1) : f.fields, v, p, ctx);
		} else if (f.kind === 'table') {
			await fillTable(page, f.columns, v, p, ctx);
		} else {
			await fillValue(page, f, v, p, values, ctx);
		}
	}
}

// Every section of one page of the form (page: 'basic' or 'declaration').
export async function fillPage(page, schema, doc, pageKey, ctx) {
	for (const s of schema.sections.filter((x) => x.page === pageKey)) {
		if (s.table)
			await fillTable(page, s.table.columns, doc[s.key] || [], s.key, ctx);
		else
			await fillObject(page, s.fields, doc[s.key], s.key, ctx);
	}
}

// What a document looks like after the round trip through the form, for
// comparing with the one typed in: unchecked flags may be left out.
export function normalise(v) {
	if (Array.isArray(v))
		return v.map(normalise);
	if (!isPlain(v))
		return v;
	const out = {};
	for (const [k, x] of Object.entries(v)) {
		if (x === null || x === undefined || (k === 'selected' && x === false))
			continue;
		const n = normalise(x);
		if (isPlain(n) && !Object.keys(n).length)
			continue;
		out[k] = n;
	}
	return out;
}

export function assertSameDoc(actual, expected, what) {
	assert.deepEqual(normalise(actual), normalise(expected), what);
}
