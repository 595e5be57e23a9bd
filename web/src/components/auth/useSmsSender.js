import { ref, computed, onMounted } from 'vue';
import { ElMessage } from 'element-plus';
import { api } from '../../api/http.js';
import { useCountdown } from '../../composables/useCountdown.js';
import { useCaptcha } from '../../composables/useCaptcha.js';
import { passes, useFieldErrors, captchaAliases } from './formErrors.js';

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

	// 发送验证码 of a form with `phone` and `captcha` items: both are checked
	// first, the outcome is shown (success message, or the server's errors
	// at their fields via `errs`), and the captcha, used up either way, is
	// replaced.
	async function sendFrom(form, model, captcha, errs) {
		errs.clear();
		if (!(await passes(form.validateField(['phone', 'captcha']))))
			return;
		try {
			const r = await send({ phone: model.phone, captchaId: captcha.id.value, captchaAnswer: model.captcha });
			captcha.refresh();
			ElMessage({ type: 'success', message: `验证码已发送至 ${r?.phone_masked || '您的手机'}，5 分钟内有效` });
		} catch (e) {
			captcha.refresh();
			errs.apply(e);
		}
	}

	const label = computed(() => (countdown.running.value ? `重新发送(${countdown.remaining.value}s)` : '发送验证码'));

	return { send, sendFrom, sending, label, waiting: countdown.running, countdown };
}

// The page-wide pieces of a one-form page that verifies a phone (注册,
// 找回密码): server errors at every field of `model`, a captcha (fetched on
// mount; a new one empties the answer) and the SMS sender for `purpose`.
// `formRef` is the el-form's ref. Call from setup().
export function useSmsForm(model, formRef, purpose) {
	const errs = useFieldErrors(Object.keys(model), captchaAliases);
	errs.clearOnInput(model);
	const captcha = useCaptcha({
		onRefresh: () => {
			model.captcha = '';
		},
	});
	const sender = useSmsSender(purpose);
	onMounted(captcha.refresh);
	const sendSms = () => sender.sendFrom(formRef.value, model, captcha, errs);
	return { errs, captcha, sender, sendSms };
}
