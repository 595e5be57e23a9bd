import { watch } from 'vue';
import { checkAccount, checkPhone, checkPassword, checkConfirm, checkSmsCode, checkRequired, rule } from './rules.js';

// The el-form rules of 注册 (and, without account, of 找回密码) over the
// live model: the password is checked against the account typed, the
// confirmation against the password.
export function registerRules(model) {
	return {
		account: [rule(checkAccount)],
		phone: [rule(checkPhone)],
		password: [rule(checkPassword, () => [model.account])],
		password_confirm: [rule(checkConfirm, () => [model.password])],
		captcha: [rule(checkRequired('请输入图形验证码'))],
		sms_code: [rule(checkSmsCode)],
		agree: [rule((v) => (v ? '' : '请阅读并同意平台服务协议'), () => [], 'change')],
	};
}

// A changed password may now match (or no longer match) a confirmation
// already typed, so that item is checked again.
export function recheckConfirm(model, formRef) {
	watch(() => model.password, () => {
		if (model.password_confirm)
			formRef.value?.validateField('password_confirm').catch(() => {});
	});
}
