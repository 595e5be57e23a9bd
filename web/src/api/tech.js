// 技术验证, the applicant's side: docs/API.md "Technical verification
// (技术验证)". The materials go into the `tech` attachment slot
// (api/attachments.js); this submits them.
import { api } from './http.js';

// → Application with tech_status 'verifying'. With `version` only if the
// record has not changed since (409 stale_version otherwise).
export function submitTechVerification(id, version, opts) {
	return api.post(`/api/v1/applications/${encodeURIComponent(id)}/tech-verification/submit`,
		version ? { version } : undefined, opts);
}
