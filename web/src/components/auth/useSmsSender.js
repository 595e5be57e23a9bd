import { ref, computed } from 'vue';
import { api } from '../../api/http.js';
import { useCountdown } from '../../composables/useCountdown.js';

// 发送验证码: POST /api/v1/sms-codes, then the resend countdown the server
// asks for (resend_after, or Retry-After of a 429 sms_too_soon).
export function useSmsSender(purpose) {
	const countdown = useCountdown();
	const sending = ref(false);

	async function send({ phone, captchaId, captchaAnswer }) {
		sending.value = true;
		try {
			const r = await api.post('/api/v1/sms-codes', {
				phone: String(phone).trim(),
				purpose,
				captcha_id: captchaId,
				captcha_answer: String(captchaAnswer).trim(),
			}, { quiet: true });
			countdown.start(r?.resend_after || 60);
			return r;
		} catch (e) {
			if (e?.status === 429 && e.code === 'sms_too_soon' && e.retryAfter)
				countdown.start(e.retryAfter);
			throw e;
		} finally {
			sending.value = false;
		}
	}

	const label = computed(() => (countdown.running.value ? `重新发送(${countdown.remaining.value}s)` : '发送验证码'));

	return { send, sending, label, waiting: countdown.running, countdown };
}
