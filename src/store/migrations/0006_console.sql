-- The organisers' console: queue columns, technical verification,
-- in-app messages, the SMS notice queue and its templates, return-reason
-- templates, and the audit log's sub-contest.

-- Searchable beside the document, set on every save: the deepest code of
-- basic.region (所在地区) and the lead unit's 单位性质. Records saved before
-- this migration get them on their next save.
ALTER TABLE applications ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN lead_nature TEXT NOT NULL DEFAULT '';

-- 技术验证: what the reviewer asked for, by when, and what they concluded.
ALTER TABLE applications ADD COLUMN tech_instructions TEXT;
ALTER TABLE applications ADD COLUMN tech_due_at BIGINT;
ALTER TABLE applications ADD COLUMN tech_submitted_at BIGINT;
ALTER TABLE applications ADD COLUMN tech_comment TEXT;

CREATE INDEX applications_comp_project ON applications (competition_id, project_name);
CREATE INDEX applications_comp_uscc ON applications (competition_id, lead_uscc);

-- Stage and technical-verification steps name their old and new codes.
ALTER TABLE application_history ADD COLUMN from_value TEXT;
ALTER TABLE application_history ADD COLUMN to_value TEXT;

-- 0 for platform-wide objects; a competitions.id otherwise, so that a
-- sub-contest's admin reads the entries of their own sub-contest.
ALTER TABLE audit_log ADD COLUMN competition_id BIGINT NOT NULL DEFAULT 0;
CREATE INDEX audit_log_competition ON audit_log (competition_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);

-- 站内消息: one per decision, to the application's owner.
CREATE TABLE messages (
	id @ID@,
	user_id BIGINT NOT NULL REFERENCES users (id),
	application_id BIGINT REFERENCES applications (id),
	event TEXT NOT NULL,
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	read_at BIGINT
);
CREATE INDEX messages_user ON messages (user_id, id);

-- SMS notices waiting for the sender thread. The number is not here: the
-- sender reads the account's sealed phone when it sends. The text is
-- sealed, like the outbox's.
CREATE TABLE sms_notices (
	id @ID@,
	user_id BIGINT NOT NULL REFERENCES users (id),
	application_id BIGINT,
	event TEXT NOT NULL,
	sealed_text TEXT NOT NULL,
	-- queued | sending | sent | failed
	status TEXT NOT NULL DEFAULT 'queued',
	attempts INTEGER NOT NULL DEFAULT 0,
	last_error TEXT,
	created_at BIGINT NOT NULL,
	next_at BIGINT NOT NULL,
	claimed_at BIGINT,
	sent_at BIGINT
);
CREATE INDEX sms_notices_due ON sms_notices (status, next_at);

-- Admin-edited SMS texts, one per event; an event without a row uses the
-- built-in text.
CREATE TABLE sms_templates (
	event TEXT PRIMARY KEY,
	text TEXT NOT NULL,
	updated_by BIGINT,
	updated_at BIGINT NOT NULL
);

-- A sub-contest's return-reason templates, a JSON array of strings; a
-- sub-contest without a row uses the built-in list.
CREATE TABLE return_reasons (
	competition_id BIGINT PRIMARY KEY REFERENCES competitions (id),
	reasons TEXT NOT NULL,
	updated_by BIGINT,
	updated_at BIGINT NOT NULL
);
