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
			{ path: 'verify/:code', name: 'verify', component: () => import('../views/verify/VerifyPage.vue'), meta: { title: '申报书核验' } },
			{ path: 'results/:slug', name: 'results', component: () => import('../views/results/ResultsPage.vue'), meta: { title: '获奖名单' } },
			// Any other address: under the portal's header, with the way back.
			{ path: ':pathMatch(.*)*', name: 'not-found', component: () => import('../views/NotFound.vue'), meta: { title: '页面不存在' } },
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
			{ path: 'messages', name: 'messages', component: () => import('../views/my/MessagesPage.vue'), meta: { title: '站内消息' } },
		],
	},
	// The organisers' console. meta.staff: reviewers and admins only (the
	// server checks every call again; this only keeps others out of pages
	// that would show them nothing).
	{
		path: '/console',
		component: () => import('../layouts/ConsoleLayout.vue'),
		meta: { auth: true, staff: true },
		children: [
			{ path: '', name: 'console-home', component: () => import('../views/console/ConsoleHome.vue'), meta: { title: '管理后台' } },
			{ path: 'sms-templates', name: 'console-sms', component: () => import('../views/console/admin/SmsTemplates.vue'), meta: { title: '短信模板' } },
			{ path: 'judging', name: 'console-judging', component: () => import('../views/console/judging/JudgingList.vue'), meta: { title: '我的评审任务' } },
			{ path: 'judging/:id(\\d+)', name: 'console-judging-project', component: () => import('../views/console/judging/JudgingProject.vue'), meta: { title: '项目评分' } },
			{ path: ':slug', name: 'console-queue', component: () => import('../views/console/ReviewQueue.vue'), meta: { title: '报名审核' } },
			{ path: ':slug/applications/:id(\\d+)', name: 'console-application', component: () => import('../views/console/ReviewDetail.vue'), meta: { title: '报名详情' } },
			{ path: ':slug/return-reasons', name: 'console-reasons', component: () => import('../views/console/admin/ReturnReasons.vue'), meta: { title: '退回原因模板' } },
			{ path: ':slug/staff', name: 'console-staff', component: () => import('../views/console/admin/StaffPage.vue'), meta: { title: '工作人员' } },
			{ path: ':slug/schedule', name: 'console-schedule', component: () => import('../views/console/admin/SchedulePage.vue'), meta: { title: '赛程时间' } },
			{ path: ':slug/unit-lists', name: 'console-lists', component: () => import('../views/console/admin/UnitLists.vue'), meta: { title: '名单管理' } },
			{ path: ':slug/audit', name: 'console-audit', component: () => import('../views/console/admin/AuditLog.vue'), meta: { title: '操作日志' } },
			{ path: ':slug/rubrics', name: 'console-rubrics', component: () => import('../views/console/judging/RubricPage.vue'), meta: { title: '评分标准' } },
			{ path: ':slug/judges', name: 'console-judges', component: () => import('../views/console/judging/JudgesPage.vue'), meta: { title: '评审专家' } },
			{ path: ':slug/assignments', name: 'console-assignments', component: () => import('../views/console/judging/AssignmentsPage.vue'), meta: { title: '评审分配' } },
			{ path: ':slug/ranking', name: 'console-ranking', component: () => import('../views/console/judging/RankingPage.vue'), meta: { title: '评审排名' } },
			{ path: ':slug/awards', name: 'console-awards', component: () => import('../views/console/judging/AwardsPage.vue'), meta: { title: '奖项管理' } },
			{ path: ':slug/statistics', name: 'console-statistics', component: () => import('../views/console/statistics/StatisticsPage.vue'), meta: { title: '数据统计' } },
		],
	},
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
		if (to.matched.some((r) => r.meta.staff) && !session.isStaff)
			return { name: 'my-applications' };
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
