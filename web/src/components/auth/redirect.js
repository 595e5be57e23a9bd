import { safeRedirect } from '../../router/index.js';

// Where to go once signed in: the page that sent the user to 登录 (only a
// path of this site), otherwise 我的赛事.
export function afterSignInTarget(route) {
	return safeRedirect(route.query.redirect) || { name: 'my-applications' };
}

// The ?redirect= carried along the links between 登录, 注册 and 找回密码.
export function keepRedirect(route) {
	const r = safeRedirect(route.query.redirect);
	return r ? { redirect: r } : {};
}

// True when the user came from 立即报名 (the registration flow continues).
export function fromApply(route) {
	const r = safeRedirect(route.query.redirect);
	return !!r && r.startsWith('/user/apply');
}
