import { describe, it, expect } from 'vitest';
import { normalizePhone, checkPhone, checkAccount, checkPassword, checkConfirm, checkSmsCode } from './rules.js';

// The same cases as the server's account rules (src/domain/account.c).
describe('register validators', () => {
	it('normalizes mainland mobile numbers like the server', () => {
		expect(normalizePhone('13800138000')).toBe('13800138000');
		expect(normalizePhone('138 0013-8000')).toBe('13800138000');
		expect(normalizePhone('+86 138 0013 8000')).toBe('13800138000');
		expect(normalizePhone('008613800138000')).toBe('13800138000');
		expect(normalizePhone('8613800138000')).toBe('13800138000');
		expect(normalizePhone('+1 650 253 0000')).toBeNull();
		expect(normalizePhone('12800138000')).toBeNull();
		expect(normalizePhone('1380013800')).toBeNull();
		expect(normalizePhone('1380013800a')).toBeNull();
	});

	it('checks the phone', () => {
		expect(checkPhone('')).toBe('请输入手机号');
		expect(checkPhone('12345')).toBe('请输入正确的中国大陆手机号');
		expect(checkPhone('13900139000')).toBe('');
	});

	it('checks the account name', () => {
		expect(checkAccount('')).toBe('请输入账号');
		expect(checkAccount('abc')).toBe('账号长度应为 4 到 20 个字符');
		expect(checkAccount('a'.repeat(21))).toBe('账号长度应为 4 到 20 个字符');
		expect(checkAccount('张三abcd')).toBe('账号只能包含字母、数字和下划线');
		expect(checkAccount('ab-cd')).toBe('账号只能包含字母、数字和下划线');
		expect(checkAccount('13800138000')).toBe('账号不能是手机号');
		expect(checkAccount('zhang_san01')).toBe('');
		expect(checkAccount('  zhangsan ')).toBe('');
	});

	it('checks the password strength', () => {
		expect(checkPassword('')).toBe('请输入密码');
		expect(checkPassword('a1b2c3')).toBe('密码至少 8 个字符');
		expect(checkPassword('abcdefgh')).toBe('密码须包含字母、数字、符号中的至少两种');
		expect(checkPassword('12345678')).toBe('密码须包含字母、数字、符号中的至少两种');
		expect(checkPassword('abcd efgh')).toBe('密码须包含字母、数字、符号中的至少两种');
		expect(checkPassword('abcdefg1')).toBe('');
		expect(checkPassword('!!!!5555')).toBe('');
		expect(checkPassword('密码密码密码密码')).toBe('密码须包含字母、数字、符号中的至少两种');
		expect(checkPassword('密码密码abcd')).toBe('');
		expect(checkPassword('a1'.repeat(33))).toBe('密码不能超过 64 个字符');
		expect(checkPassword('Zhangsan01', 'zhangsan01')).toBe('密码不能与账号相同');
		expect(checkPassword('zhangsan01', 'lisi')).toBe('');
	});

	it('checks the confirmation and the SMS code', () => {
		expect(checkConfirm('', 'abc')).toBe('请再次输入密码');
		expect(checkConfirm('abcdefg1', 'abcdefg2')).toBe('两次输入的密码不一致');
		expect(checkConfirm('abcdefg1', 'abcdefg1')).toBe('');
		expect(checkSmsCode('')).toBe('请输入短信验证码');
		expect(checkSmsCode('12345')).toBe('短信验证码为 6 位数字');
		expect(checkSmsCode('123456')).toBe('');
	});
});
