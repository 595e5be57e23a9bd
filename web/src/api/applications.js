// The applications API (docs/API.md, 参赛报名) and the catalog reads the
// application pages need. Every call goes through api/http.js; pass
// { quiet: true } where the page shows the error itself.
import { api } from './http.js';

const APPS = '/api/v1/applications';

export const listApplications = (query, opts) => api.get(APPS, { ...opts, query });
export const getApplication = (id, opts) => api.get(`${APPS}/${id}`, opts);
export const createApplication = (competition, opts) => api.post(APPS, { competition }, opts);

// PUT: the whole document, conditional on `version` (409 stale_version).
// The answer is the record without `doc` and `history` (the page keeps
// its own): the new `version`, `saved_at`, status, `actions`, `warnings`.
export const saveApplication = (id, { version, doc }, opts) => api.put(`${APPS}/${id}`, { version, doc }, opts);

export const patchSection = (id, { version, section, value }, opts) =>
	api.patch(`${APPS}/${id}`, { version, section, value }, opts);

// Submits the stored document; with `version` only if nobody saved since.
// Answers like a save (no `doc`, no `history`).
export const submitApplication = (id, version, opts) =>
	api.post(`${APPS}/${id}/submit`, version ? { version } : undefined, opts);

export const validateApplication = (id, opts) => api.post(`${APPS}/${id}/validate`, undefined, opts);

export const listCompetitions = (opts) => api.get('/api/v1/competitions', opts);
export const getForm = (slug, opts) => api.get(`/api/v1/competitions/${encodeURIComponent(slug)}/form`, opts);
export const getTracks = (slug, opts) => api.get(`/api/v1/competitions/${encodeURIComponent(slug)}/tracks`, opts);
export const getPlatform = (opts) => api.get('/api/v1/platform', opts);
