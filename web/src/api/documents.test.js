import { describe, expect, it, vi, beforeEach, afterEach } from 'vitest';
import { configureHttp, ApiError } from './http.js';
import {
	filenameFromDisposition, download, downloadFile, applicationPdfPath, letterPath, letterForSlot, verifyCode,
} from './documents.js';

describe('filenameFromDisposition', () => {
	it('prefers the RFC 5987 filename* (UTF-8) to the ASCII fallback', () => {
		const h = 'attachment; filename="shenbaoshu-7.pdf"; filename*=UTF-8\'\'%E7%94%B3%E6%8A%A5%E4%B9%A6-7-%E6%9E%A2%E7%BA%BD%E5%B9%B3%E5%8F%B0.pdf';
		expect(filenameFromDisposition(h)).toBe('申报书-7-枢纽平台.pdf');
	});

	it('reads filename* in any case, with a language tag, before or after filename', () => {
		expect(filenameFromDisposition("attachment; FILENAME*=utf-8'zh-CN'%E6%8E%88%E6%9D%83%E4%B9%A6.pdf; filename=\"a.pdf\""))
			.toBe('授权书.pdf');
		expect(filenameFromDisposition("attachment; filename*=ISO-8859-1''caf%E9.pdf")).toBe('café.pdf');
	});

	it('falls back to filename: quoted with escapes, or a token', () => {
		expect(filenameFromDisposition('attachment; filename="a \\"b\\".pdf"')).toBe('a "b".pdf');
		expect(filenameFromDisposition('attachment; filename=report.pdf')).toBe('report.pdf');
		expect(filenameFromDisposition('attachment; filename="x;y.pdf"')).toBe('x;y.pdf');
	});

	it('uses filename when filename* is malformed or in an unknown charset', () => {
		expect(filenameFromDisposition("attachment; filename=\"ok.pdf\"; filename*=UTF-8''%E7%94")).toBe('ok.pdf');
		expect(filenameFromDisposition("attachment; filename=\"ok.pdf\"; filename*=KOI8-R''abc")).toBe('ok.pdf');
		expect(filenameFromDisposition("attachment; filename=\"ok.pdf\"; filename*=nonsense")).toBe('ok.pdf');
	});

	it('drops directories and control characters; the fallback when nothing is left', () => {
		expect(filenameFromDisposition("attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd")).toBe('passwd');
		expect(filenameFromDisposition('attachment; filename="C:\\\\x\\\\y.pdf"')).toBe('y.pdf');
		expect(filenameFromDisposition("attachment; filename*=UTF-8''a%0Ab.pdf")).toBe('ab.pdf');
		expect(filenameFromDisposition('attachment', 'fallback.pdf')).toBe('fallback.pdf');
		expect(filenameFromDisposition(null, 'f.pdf')).toBe('f.pdf');
		expect(filenameFromDisposition('attachment; filename=""', 'f.pdf')).toBe('f.pdf');
	});
});

describe('paths', () => {
	it('names the PDF, the letters and the verification', async () => {
		expect(applicationPdfPath(7)).toBe('/api/v1/applications/7/pdf');
		expect(letterPath(7, 'declaration.pdf')).toBe('/api/v1/applications/7/letters/declaration.pdf');
		expect(letterForSlot('declaration').label).toBe('下载责任声明模板');
		expect(letterForSlot('authorization').file).toBe('authorization.pdf');
		expect(letterForSlot('ppt')).toBe(null);
	});
});

describe('download', () => {
	let notify;
	let unauthorized;
	beforeEach(() => {
		notify = vi.fn();
		unauthorized = vi.fn();
		configureHttp({ notify, unauthorized });
		globalThis.fetch = vi.fn();
	});
	afterEach(() => {
		delete globalThis.fetch;
	});

	it('returns the blob and the name the server gave', async () => {
		fetch.mockResolvedValue(new Response('%PDF-1.7 x', {
			status: 200,
			headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': "attachment; filename=\"a.pdf\"; filename*=UTF-8''%E7%94%B3%E6%8A%A5%E4%B9%A6.pdf" },
		}));
		const r = await download('/api/v1/applications/7/pdf');
		expect(fetch).toHaveBeenCalledWith('/api/v1/applications/7/pdf', expect.objectContaining({ method: 'GET', credentials: 'same-origin' }));
		expect(r.name).toBe('申报书.pdf');
		expect(await r.blob.text()).toBe('%PDF-1.7 x');
		expect(notify).not.toHaveBeenCalled();
	});

	it('turns a refusal into an ApiError with the server’s message, and shows it', async () => {
		fetch.mockResolvedValue(new Response(JSON.stringify({ error: { code: 'not_found', message: '报名记录不存在', fields: [], request_id: 'abc' } }), {
			status: 404, headers: { 'Content-Type': 'application/json' },
		}));
		const e = await download('/x').catch((x) => x);
		expect(e).toBeInstanceOf(ApiError);
		expect(e.status).toBe(404);
		expect(e.code).toBe('not_found');
		expect(notify).toHaveBeenCalledWith('报名记录不存在');
	});

	it('keeps quiet when asked, and asks for a sign-in when the session ended', async () => {
		fetch.mockResolvedValue(new Response('{"error":{"code":"pdf","message":"服务器内部错误，请稍后再试"}}', { status: 500 }));
		await expect(download('/x', { quiet: true })).rejects.toMatchObject({ code: 'pdf' });
		expect(notify).not.toHaveBeenCalled();
		fetch.mockResolvedValue(new Response('{"error":{"code":"login_required","message":"请先登录"}}', { status: 401 }));
		await expect(download('/x')).rejects.toMatchObject({ code: 'login_required' });
		expect(unauthorized).toHaveBeenCalledTimes(1);
		expect(notify).not.toHaveBeenCalled();
	});

	it('reports a network failure', async () => {
		fetch.mockRejectedValue(new TypeError('Failed to fetch'));
		await expect(download('/x')).rejects.toMatchObject({ code: 'network' });
		expect(notify).toHaveBeenCalledWith('网络连接失败，请检查网络后重试');
	});

	it('saves through a temporary link named like the file', async () => {
		fetch.mockResolvedValue(new Response('%PDF', { status: 200, headers: { 'Content-Disposition': 'attachment; filename="x.pdf"' } }));
		URL.createObjectURL = vi.fn(() => 'blob:test');
		URL.revokeObjectURL = vi.fn();
		const clicked = [];
		const spy = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function () {
			clicked.push({ href: this.href, download: this.download, attached: document.body.contains(this) });
		});
		expect(await downloadFile('/x', { fallbackName: 'f.pdf' })).toBe('x.pdf');
		expect(clicked).toEqual([{ href: 'blob:test', download: 'x.pdf', attached: true }]);
		expect(document.querySelectorAll('a[download]').length).toBe(0);
		spy.mockRestore();
	});

	it('verifies a code through the public endpoint, encoded', async () => {
		fetch.mockResolvedValue(new Response('{"valid":true}', { status: 200 }));
		await verifyCode('12-AB CD/x', { quiet: true });
		expect(fetch.mock.calls[0][0]).toBe('/api/v1/verify/12-AB%20CD%2Fx');
	});
});
