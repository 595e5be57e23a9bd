import { ref, getCurrentScope, onScopeDispose } from 'vue';
import { api } from '../api/http.js';

// The image captcha of GET /api/v1/captcha. Captchas are single-use and
// live 5 minutes, so callers refresh after every attempt that sent one,
// and an unused one is replaced shortly before it expires.
export function useCaptcha({ onRefresh } = {}) {
	const id = ref('');
	const image = ref('');
	const loading = ref(false);
	const failed = ref(false);
	let timer = null;
	let seq = 0;

	function clearTimer() {
		if (timer)
			clearTimeout(timer);
		timer = null;
	}

	async function refresh() {
		const mine = ++seq;
		clearTimer();
		loading.value = true;
		if (onRefresh)
			onRefresh();
		try {
			const r = await api.get('/api/v1/captcha');
			// A slower earlier answer must not replace a newer captcha.
			if (mine !== seq)
				return;
			id.value = r.captcha_id;
			image.value = r.image;
			failed.value = false;
			const life = Number(r.expires_in) || 300;
			timer = setTimeout(refresh, Math.max(10, life - 10) * 1000);
		} catch (e) {
			if (mine !== seq)
				return;
			id.value = '';
			image.value = '';
			failed.value = true;
		} finally {
			if (mine === seq)
				loading.value = false;
		}
	}

	if (getCurrentScope())
		onScopeDispose(() => {
			seq++;
			clearTimer();
		});

	return { id, image, loading, failed, refresh };
}
