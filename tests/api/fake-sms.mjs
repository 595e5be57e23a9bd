// fake-sms.mjs: a stand-in for the Aliyun and Tencent Cloud SendSms APIs on
// 127.0.0.1 (built-ins only), for the black-box SMS tests.
//
// The fake checks a request the way the real service does: it recomputes
// the ACS3-HMAC-SHA256 or TC3-HMAC-SHA256 signature from the bytes it
// received, with node:crypto and its own canonicalisation (nothing shared
// with the C signer), and answers with the documented success or error
// body. Every request is recorded in `received`, signed correctly or not.
//
//   const fake = await startFakeSms({ provider: 'aliyun', keyId, secret, mode });
//   ... fake.url, fake.received[0].phone / .code / .signatureOk ...
//   (a notice sent through sms_template_notice has .content instead of .code)
//   await fake.close();
//
// mode: 'ok'    the documented success reply
//       'limit' aliyun isv.BUSINESS_LIMIT_CONTROL, tencent
//               LimitExceeded.PhoneNumberDailyLimit (after a good signature)
//       'auth'  the key id is unknown: aliyun InvalidAccessKeyId.NotFound,
//               tencent AuthFailure.SecretIdNotFound
//       '500'   HTTP 500 with an HTML page, as a broken gateway sends
//       'hang'  reads the request and never answers

import crypto from 'node:crypto';
import http from 'node:http';

const sha256hex = (data) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest();

// RFC 3986: everything but A-Z a-z 0-9 - _ . ~ is escaped, with uppercase hex.
function rfc3986(s) {
	return encodeURIComponent(s).replace(/[!'()*]/g,
		(c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function decodeComponent(s) {
	return decodeURIComponent(s.replace(/\+/g, '%20'));
}

// Parses "ALG k1=v1,k2=v2" or "ALG k1=v1, k2=v2" into { alg, fields }.
function parseAuthorization(value) {
	const m = /^(\S+)\s+(.*)$/.exec(value || '');
	if (!m)
		return null;
	const fields = {};
	for (const part of m[2].split(',')) {
		const eq = part.indexOf('=');
		if (eq < 0)
			return null;
		fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
	}
	return { alg: m[1], fields };
}

function requestId() {
	return crypto.randomUUID().toUpperCase();
}

// Aliyun: verifies one request; returns [status, body object] or null to hang.
function aliyun(opts, req, rawUrl, body, rec) {
	const q = rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?') + 1) : '';
	const params = {};
	for (const pair of q.split('&').filter(Boolean)) {
		const eq = pair.indexOf('=');
		const k = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
		params[k] = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
	}
	rec.params = params;
	rec.phone = params.PhoneNumbers;
	rec.signName = params.SignName;
	rec.template = params.TemplateCode;
	try {
		const tp = JSON.parse(params.TemplateParam);
		rec.code = tp.code;
		// A notice template (sms_template_notice) has one parameter.
		rec.content = tp.content;
	} catch {
		rec.code = undefined;
	}
	const err = (status, code, message) =>
		[status, { RequestId: requestId(), HostId: 'dysmsapi.aliyuncs.com', Code: code, Message: message }];

	const auth = parseAuthorization(req.headers.authorization);
	if (!auth || auth.alg !== 'ACS3-HMAC-SHA256' || !auth.fields.Credential ||
	    !auth.fields.SignedHeaders || !auth.fields.Signature)
		return err(400, 'MissingAuthorization', 'Authorization is mandatory for this action.');
	rec.keyId = auth.fields.Credential;
	if (req.method !== 'POST')
		return err(400, 'UnsupportedHTTPMethod', `${req.method} is not supported.`);
	if (req.headers['x-acs-action'] !== 'SendSms' || req.headers['x-acs-version'] !== '2017-05-25')
		return err(400, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
	const date = Date.parse(req.headers['x-acs-date'] || '');
	if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(req.headers['x-acs-date'] || '') ||
	    Math.abs(Date.now() - date) > 15 * 60 * 1000)
		return err(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
	if (!req.headers['x-acs-signature-nonce'])
		return err(400, 'MissingSignatureNonce', 'SignatureNonce is mandatory for this action.');
	if (req.headers['x-acs-content-sha256'] !== sha256hex(body))
		return err(400, 'ContentSHA256NotMatched', 'The x-acs-content-sha256 does not match the body.');
	if (opts.mode === 'auth' || rec.keyId !== opts.keyId)
		return err(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');

	// The signed headers must cover host and every x-acs-* header sent.
	const signed = auth.fields.SignedHeaders.split(';');
	const sorted = [...signed].sort();
	const needed = ['host', ...Object.keys(req.headers).filter((h) => h.startsWith('x-acs-'))];
	const canonicalQuery = Object.keys(params).sort()
		.map((k) => `${rfc3986(k)}=${rfc3986(params[k])}`).join('&');
	let canonicalHeaders = '';
	for (const h of signed)
		canonicalHeaders += `${h}:${String(req.headers[h] ?? '').trim()}\n`;
	const canonical = [
		req.method, '/', canonicalQuery, canonicalHeaders,
		auth.fields.SignedHeaders, req.headers['x-acs-content-sha256'],
	].join('\n');
	const want = hmac(opts.secret, `ACS3-HMAC-SHA256\n${sha256hex(canonical)}`).toString('hex');
	rec.signatureOk = want === auth.fields.Signature &&
		signed.join(';') === sorted.join(';') &&
		needed.every((h) => signed.includes(h)) &&
		new URL(rawUrl, 'http://x').pathname === '/';
	if (!rec.signatureOk)
		return err(400, 'SignatureDoesNotMatch', 'Specified signature does not match our calculation.');

	if (opts.mode === 'limit')
		return [200, { RequestId: requestId(), Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发小时级流控Permits:5' }];
	if (!/^1\d{10}$/.test(rec.phone || ''))
		return [200, { RequestId: requestId(), Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号' }];
	if (!/^\d{6}$/.test(rec.code || '') && !(typeof rec.content === 'string' && rec.content))
		return [200, { RequestId: requestId(), Code: 'isv.INVALID_JSON_PARAM', Message: 'JSON参数不合法，只接受字符串值' }];
	return [200, { RequestId: requestId(), Message: 'OK', BizId: '900619746936498440^0', Code: 'OK' }];
}

// Tencent: verifies one request; always HTTP 200, errors in Response.Error.
function tencent(opts, req, rawUrl, body, rec) {
	const fail = (code, message) =>
		[200, { Response: { Error: { Code: code, Message: message }, RequestId: crypto.randomUUID() } }];
	let doc = null;
	try {
		doc = JSON.parse(body.toString('utf8'));
	} catch {
		doc = null;
	}
	rec.body = doc;
	rec.phone = doc?.PhoneNumberSet?.[0]?.replace(/^\+86/, '');
	rec.code = doc?.TemplateParamSet?.[0];
	rec.signName = doc?.SignName;
	rec.template = doc?.TemplateId;
	rec.appId = doc?.SmsSdkAppId;
	rec.region = req.headers['x-tc-region'];

	const auth = parseAuthorization(req.headers.authorization);
	if (!auth || auth.alg !== 'TC3-HMAC-SHA256' || !auth.fields.Credential ||
	    !auth.fields.SignedHeaders || !auth.fields.Signature)
		return fail('AuthFailure.InvalidAuthorization', 'Credential Scope is invalid.');
	const [keyId, date, service, term] = auth.fields.Credential.split('/');
	rec.keyId = keyId;
	if (req.method !== 'POST' || req.headers['x-tc-action'] !== 'SendSms' ||
	    req.headers['x-tc-version'] !== '2021-01-11')
		return fail('InvalidAction', 'The action requested is invalid.');
	if (!rec.region)
		return fail('MissingParameter', 'The request is missing a required parameter `Region`.');
	const ts = Number(req.headers['x-tc-timestamp']);
	if (!Number.isInteger(ts) || Math.abs(Date.now() / 1000 - ts) > 300)
		return fail('AuthFailure.SignatureExpire', 'Signature expired.');
	if (opts.mode === 'auth' || keyId !== opts.keyId)
		return fail('AuthFailure.SecretIdNotFound', 'The SecretId is not found, please ensure that your SecretId is correct.');

	const signed = auth.fields.SignedHeaders.split(';');
	const canonicalHeaders = signed
		.map((h) => `${h}:${String(req.headers[h] ?? '').trim().toLowerCase()}\n`).join('');
	const canonical = [
		req.method, '/', '', canonicalHeaders, auth.fields.SignedHeaders, sha256hex(body),
	].join('\n');
	const wantDate = new Date(ts * 1000).toISOString().slice(0, 10);
	const sts = ['TC3-HMAC-SHA256', String(ts), `${wantDate}/sms/tc3_request`, sha256hex(canonical)].join('\n');
	const kDate = hmac('TC3' + opts.secret, wantDate);
	const kSigning = hmac(hmac(kDate, 'sms'), 'tc3_request');
	const want = hmac(kSigning, sts).toString('hex');
	rec.signatureOk = want === auth.fields.Signature && date === wantDate &&
		service === 'sms' && term === 'tc3_request' &&
		signed.includes('content-type') && signed.includes('host') &&
		new URL(rawUrl, 'http://x').pathname === '/';
	if (!rec.signatureOk)
		return fail('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.');
	if (!doc || !Array.isArray(doc.PhoneNumberSet) || doc.SmsSdkAppId === undefined)
		return fail('InvalidParameterValue.IncorrectPhoneNumber', 'incorrect number format');

	const status = (code, message) => [200, {
		Response: {
			SendStatusSet: [{
				SerialNo: code === 'Ok' ? '2028:f825e6b16e23f73f4123' : '',
				PhoneNumber: doc.PhoneNumberSet[0],
				Fee: code === 'Ok' ? 1 : 0,
				SessionContext: '',
				Code: code,
				Message: message,
				IsoCode: 'CN',
			}],
			RequestId: crypto.randomUUID(),
		},
	}];
	if (opts.mode === 'limit')
		return status('LimitExceeded.PhoneNumberDailyLimit',
			'the number of sms messages sent from a single mobile number every day exceeds the upper limit');
	return status('Ok', 'send success');
}

export function startFakeSms({ provider, keyId, secret, mode = 'ok' }) {
	if (provider !== 'aliyun' && provider !== 'tencent')
		throw new Error(`fake-sms: unknown provider '${provider}'`);
	const opts = { keyId, secret, mode };
	const received = [];
	const sockets = new Set();
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const rec = {
				method: req.method,
				url: req.url,
				headers: { ...req.headers },
				signatureOk: false,
			};
			received.push(rec);
			if (mode === 'hang')
				return;
			if (mode === '500') {
				res.writeHead(500, { 'Content-Type': 'text/html' });
				res.end('<html><body><h1>500 Internal Server Error</h1></body></html>');
				return;
			}
			const [code, reply] = provider === 'aliyun'
				? aliyun(opts, req, req.url, body, rec)
				: tencent(opts, req, req.url, body, rec);
			const text = JSON.stringify(reply);
			res.writeHead(code, {
				'Content-Type': 'application/json;charset=utf-8',
				'Content-Length': Buffer.byteLength(text),
			});
			res.end(text);
		});
	});
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			resolve({
				url: `http://127.0.0.1:${port}/`,
				received,
				close() {
					for (const s of sockets)
						s.destroy();
					return new Promise((done) => server.close(() => done()));
				},
			});
		});
	});
}
