-- Accounts, roles, sessions and the single-use secrets of sign-in.
-- Nothing here holds a password, token, code or captcha answer in plain
-- text: each is an argon2id hash or a keyed hash (crypto/crypto.h).

CREATE TABLE users (
	id @ID@,
	account TEXT NOT NULL,
	account_lower TEXT NOT NULL UNIQUE,
	-- keyed hash for lookups, sealed copy for display to the owner
	phone_hash TEXT NOT NULL UNIQUE,
	phone_sealed TEXT NOT NULL,
	phone_masked TEXT NOT NULL,
	password_hash TEXT,
	agreement_version TEXT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	disabled INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE user_roles (
	id @ID@,
	user_id BIGINT NOT NULL REFERENCES users (id),
	role TEXT NOT NULL,
	-- 0 for platform-wide roles; a competitions.id otherwise
	competition_id BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	UNIQUE (user_id, role, competition_id)
);

CREATE TABLE sessions (
	id @ID@,
	token_hash TEXT NOT NULL UNIQUE,
	user_id BIGINT NOT NULL REFERENCES users (id),
	remember INTEGER NOT NULL,
	created_at BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	revoked_at BIGINT,
	ip TEXT,
	user_agent TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE captchas (
	id TEXT PRIMARY KEY,
	answer_sealed TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX captchas_expires ON captchas (expires_at);

CREATE TABLE sms_codes (
	id @ID@,
	phone_hash TEXT NOT NULL,
	purpose TEXT NOT NULL,
	code_hash TEXT NOT NULL,
	ip TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	used INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sms_codes_phone ON sms_codes (phone_hash, created_at);
CREATE INDEX sms_codes_ip ON sms_codes (ip, created_at);

-- One row per failed sign-in, by account and by client address.
CREATE TABLE auth_failures (
	id @ID@,
	scope TEXT NOT NULL,
	key_hash TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX auth_failures_key ON auth_failures (scope, key_hash, created_at);
