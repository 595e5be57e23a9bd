import { createRouter, createWebHistory } from 'vue-router';
import { useSessionStore, connectHttp } from '../stores/session.js';

// meta.auth: signed-in users only; others go to 登录 and come back after.
export const routes = [
	{
		path: '/',
		component: () => import('../layouts/PortalLayout.vue'),
		children: [
			{ path: '', name: 'home', component: () => import('../views/portal/PortalHome.vue'), meta: { title: '首页' } },
			{ path: 'competitions/:slug', name: 'competition', component: () => import('../views/portal/CompetitionPage.vue'), meta: { title: '赛事详情' } },
			{ path: 'login', name: 'login', component: () => import('../views/auth/LoginPage.vue'), meta: { title: '登录' } },
			{ path: 'register', name: 'register', component: () => import('../views/auth/RegisterPage.vue'), meta: { title: '注册' } },
			{ path: 'password/reset', name: 'password-reset', component: () => import('../views/auth/ResetPasswordPage.vue'), meta: { title: '找回密码' } },
		],
	},
	{
		path: '/user',
		component: () => import('../layouts/UserLayout.vue'),
		meta: { auth: true },
		children: [
			{ path: '', redirect: { name: 'my-applications' } },
			{ path: 'apply', name: 'apply-start', component: () => import('../views/apply/ApplyStart.vue'), meta: { title: '参赛报名' } },
			{ path: 'apply/:id(\\d+)', name: 'apply', component: () => import('../views/apply/ApplyPage.vue'), meta: { title: '参赛报名' } },
			{ path: 'applications', name: 'my-applications', component: () => import('../views/my/MyApplications.vue'), meta: { title: '我的赛事' } },
			{ path: 'applications/:id(\\d+)', name: 'application-view', component: () => import('../views/my/ApplicationView.vue'), meta: { title: '查看报名' } },
		],
	},
	{ path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('../views/NotFound.vue'), meta: { title: '页面不存在' } },
];

export function createAppRouter() {
	const router = createRouter({
		history: createWebHistory(),
		routes,
		scrollBehavior: (to, from, saved) => saved || (to.hash ? { el: to.hash } : { top: 0 }),
	});
	router.beforeEach(async (to) => {
		const session = useSessionStore();
		connectHttp(session);
		if (!session.loaded) {
			try {
				await session.load();
			} catch {
				// The error was shown; public pages still open.
			}
		}
		if (to.matched.some((r) => r.meta.auth) && !session.authenticated)
			return { name: 'login', query: { redirect: to.fullPath } };
		return true;
	});
	router.afterEach((to) => {
		document.title = `${to.meta.title ? to.meta.title + ' - ' : ''}数据要素×大赛 报名平台`;
	});
	return router;
}

// Only same-site paths are followed after sign-in (no open redirect).
export function safeRedirect(r) {
	return typeof r === 'string' && r.startsWith('/') && !r.startsWith('//') && !r.startsWith('/\\') ? r : null;
}
