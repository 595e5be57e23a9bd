import { defineStore } from 'pinia';
import { api, configureHttp } from '../api/http.js';
import { ElMessage } from 'element-plus';

let inflight = null;

// The signed-in user, their roles and the CSRF token. Nothing of it is
// kept in localStorage: the session lives in an HttpOnly cookie.
export const useSessionStore = defineStore('session', {
	state: () => ({
		loaded: false,
		user: null,
		roles: [],
		csrf: null,
		// True while the "sign in again" dialog is shown.
		loginPrompt: false,
		reloginHandlers: [],
	}),
	getters: {
		authenticated: (s) => !!s.user,
		displayName: (s) => s.user?.account || '',
		isStaff: (s) => s.roles.some((r) => r.role !== 'applicant'),
		hasRole: (s) => (role, competition) =>
			s.roles.some((r) => r.role === 'platform_admin' ||
				(r.role === role && (competition === undefined || r.competition === competition))),
	},
	actions: {
		apply(s) {
			this.user = s.authenticated ? s.user : null;
			this.roles = s.roles || [];
			this.csrf = s.csrf_token || null;
			this.loaded = true;
		},
		async load(force = false) {
			if (this.loaded && !force)
				return this;
			// App.vue and the router guard both ask on the first page.
			if (!inflight)
				inflight = api.get('/api/v1/session').finally(() => {
					inflight = null;
				});
			this.apply(await inflight);
			return this;
		},
		// After a sign-in or registration answer.
		signedIn(s) {
			const wasPrompt = this.loginPrompt;
			this.apply(s);
			this.loginPrompt = false;
			if (wasPrompt)
				for (const h of this.reloginHandlers)
					h();
		},
		async logout() {
			this.apply(await api.post('/api/v1/logout'));
		},
		// The server said 401 in the middle of work.
		expired() {
			this.user = null;
			this.roles = [];
			this.loginPrompt = true;
		},
		// Runs cb after the user signs in again through the dialog; returns
		// a function that removes it.
		onRelogin(cb) {
			this.reloginHandlers.push(cb);
			return () => {
				this.reloginHandlers = this.reloginHandlers.filter((h) => h !== cb);
			};
		},
	},
});

// Wires the HTTP client to this store; called once by the router factory
// (after pinia is installed).
export function connectHttp(store) {
	configureHttp({
		csrf: async () => {
			if (!store.csrf)
				await store.load(true);
			return store.csrf;
		},
		refreshSession: () => store.load(true),
		unauthorized: () => store.expired(),
		notify: (m) => ElMessage({ type: 'error', message: m, showClose: true, duration: 5000 }),
	});
}
