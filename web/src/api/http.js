// The one HTTP client of the front end. Every call goes through request()
// or upload(); every failure becomes an ApiError whose message is shown to
// the user — by the caller when it passes { quiet: true } (forms show
// errors next to their fields), by the notifier otherwise. Nothing is
// swallowed.

export class ApiError extends Error {
	constructor({ status, code, message, fields = [], requestId = null, retryAfter = null }) {
		super(message);
		this.name = 'ApiError';
		this.status = status;
		this.code = code;
		this.fields = fields;
		this.requestId = requestId;
		this.retryAfter = retryAfter;
	}
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const hooks = {
	// Returns the CSRF token, loading the session first when there is none.
	csrf: async () => null,
	// Reloads the session after a CSRF failure (the page was open for long).
	refreshSession: async () => {},
	// The session ended: ask the user to sign in again.
	unauthorized: () => {},
	notify: (message) => {
		// eslint-disable-next-line no-console
		console.error(message);
	},
};

export function configureHttp(h) {
	Object.assign(hooks, h);
}

export function notifyError(e) {
	hooks.notify(e instanceof ApiError ? e.message : String(e?.message || e));
}

function buildUrl(path, query) {
	if (!query)
		return path;
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(query))
		if (v !== undefined && v !== null && v !== '')
			q.set(k, String(v));
	const s = q.toString();
	return s ? `${path}?${s}` : path;
}

// Turns a response that is not 2xx into an ApiError.
export function errorFrom(status, text, headers = {}) {
	let body = null;
	try {
		body = text ? JSON.parse(text) : null;
	} catch {
		body = null;
	}
	const e = body && body.error;
	const retry = headers['retry-after'];
	if (e && typeof e.message === 'string')
		return new ApiError({
			status,
			code: e.code || 'error',
			message: e.message,
			fields: Array.isArray(e.fields) ? e.fields : [],
			requestId: e.request_id || null,
			retryAfter: retry ? Number(retry) : null,
		});
	return new ApiError({
		status,
		code: 'http_' + status,
		message: status >= 500 ? `服务器暂时无法处理请求（HTTP ${status}），请稍后重试` : `请求失败（HTTP ${status}）`,
	});
}

export const networkError = () =>
	new ApiError({ status: 0, code: 'network', message: '网络连接失败，请检查网络后重试' });

// contentType: the body (a Blob, File or string) is sent as it is, with
// that type, instead of as JSON (a CSV import).
async function send(method, url, body, signal, contentType) {
	const headers = { Accept: 'application/json' };
	if (body !== undefined)
		headers['Content-Type'] = contentType || 'application/json';
	if (UNSAFE.has(method)) {
		const t = await hooks.csrf();
		if (t)
			headers['X-CSRF-Token'] = t;
	}
	return fetch(url, {
		method,
		headers,
		body: body === undefined || contentType ? body : JSON.stringify(body),
		credentials: 'same-origin',
		signal,
	});
}

// Exported for the blob downloads of api/documents.js, which must report
// their failures exactly as request() does.
export function fail(e, quiet) {
	if (e.code === 'login_required')
		hooks.unauthorized();
	else if (!quiet)
		hooks.notify(e.message);
	throw e;
}

// request('GET', '/api/v1/x', { query, body, quiet, signal }) → parsed JSON
// (null for 204). Throws ApiError.
export async function request(method, path, { query, body, quiet = false, signal, contentType } = {}) {
	const url = buildUrl(path, query);
	let res;
	try {
		res = await send(method, url, body, signal, contentType);
		if (res.status === 403 && UNSAFE.has(method)) {
			const text = await res.clone().text();
			if (text.includes('"csrf_failed"')) {
				await hooks.refreshSession();
				res = await send(method, url, body, signal, contentType);
			}
		}
	} catch (err) {
		if (err?.name === 'AbortError')
			throw err;
		return fail(networkError(), quiet);
	}
	const text = await res.text();
	if (!res.ok)
		return fail(errorFrom(res.status, text, { 'retry-after': res.headers.get('Retry-After') }), quiet);
	if (res.status === 204 || !text)
		return null;
	try {
		return JSON.parse(text);
	} catch {
		return fail(new ApiError({ status: res.status, code: 'bad_response', message: '服务器返回的内容无法解析' }), quiet);
	}
}

export const api = {
	get: (p, o) => request('GET', p, o),
	post: (p, body, o) => request('POST', p, { ...o, body }),
	put: (p, body, o) => request('PUT', p, { ...o, body }),
	patch: (p, body, o) => request('PATCH', p, { ...o, body }),
	del: (p, o) => request('DELETE', p, o),
};

// Streams one file as the request body (PUT), reporting progress; fetch
// cannot report upload progress, so this one uses XMLHttpRequest.
// Returns { promise, abort }.
export function upload(path, file, { onProgress, quiet = false } = {}) {
	const xhr = new XMLHttpRequest();
	// abort() on an xhr not yet opened does nothing, and the CSRF token may
	// still be on its way: remember the wish and honour it before sending.
	let aborted = false;
	const promise = (async () => {
		const token = await hooks.csrf();
		return new Promise((resolve, reject) => {
			if (aborted) {
				reject(new ApiError({ status: 0, code: 'aborted', message: '已取消上传' }));
				return;
			}
			xhr.open('PUT', path);
			xhr.setRequestHeader('Accept', 'application/json');
			xhr.setRequestHeader('Content-Type', 'application/octet-stream');
			if (token)
				xhr.setRequestHeader('X-CSRF-Token', token);
			xhr.upload.onprogress = (ev) => {
				if (ev.lengthComputable && onProgress)
					onProgress(Math.min(100, Math.round((ev.loaded / ev.total) * 100)));
			};
			xhr.onload = () => {
				if (xhr.status >= 200 && xhr.status < 300) {
					try {
						resolve(xhr.responseText ? JSON.parse(xhr.responseText) : null);
					} catch {
						reject(new ApiError({ status: xhr.status, code: 'bad_response', message: '服务器返回的内容无法解析' }));
					}
					return;
				}
				reject(errorFrom(xhr.status, xhr.responseText, { 'retry-after': xhr.getResponseHeader('Retry-After') }));
			};
			xhr.onerror = () => reject(networkError());
			xhr.onabort = () => reject(new ApiError({ status: 0, code: 'aborted', message: '已取消上传' }));
			xhr.send(file);
		});
	})().catch((e) => (e.code === 'aborted' ? Promise.reject(e) : fail(e, quiet)));
	return {
		promise,
		abort: () => {
			aborted = true;
			xhr.abort();
		},
	};
}
