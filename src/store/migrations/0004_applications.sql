-- Applications (申报书 records), their history, the people in them,
-- the exclusion and dishonesty lists, manually verified credit codes and
-- the audit log.

CREATE TABLE applications (
	id @ID@,
	user_id BIGINT NOT NULL REFERENCES users (id),
	competition_id BIGINT NOT NULL REFERENCES competitions (id),
	track_id BIGINT REFERENCES tracks (id),
	topic_id BIGINT REFERENCES topics (id),
	-- draft | submitted | approved | returned
	status TEXT NOT NULL,
	-- unreviewed | preliminary | final | national
	stage TEXT NOT NULL DEFAULT 'unreviewed',
	-- not_started | pending | verifying | passed | failed
	tech_status TEXT NOT NULL DEFAULT 'not_started',
	team_name TEXT NOT NULL DEFAULT '',
	project_name TEXT NOT NULL DEFAULT '',
	lead_unit_name TEXT NOT NULL DEFAULT '',
	lead_uscc TEXT NOT NULL DEFAULT '',
	-- the document, identifiers and phone numbers sealed (crypto/)
	doc TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	return_reason TEXT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	submitted_at BIGINT,
	first_submitted_at BIGINT,
	deleted_at BIGINT
);
CREATE INDEX applications_user ON applications (user_id, updated_at);
CREATE INDEX applications_competition ON applications (competition_id, status);

CREATE TABLE application_history (
	id @ID@,
	application_id BIGINT NOT NULL REFERENCES applications (id),
	actor_id BIGINT,
	action TEXT NOT NULL,
	from_status TEXT,
	to_status TEXT,
	reason TEXT,
	created_at BIGINT NOT NULL
);
CREATE INDEX application_history_app ON application_history (application_id, id);

-- Keyed hashes of members' ID numbers: one person, one team.
CREATE TABLE application_people (
	application_id BIGINT NOT NULL REFERENCES applications (id),
	id_hash TEXT NOT NULL,
	PRIMARY KEY (application_id, id_hash)
);
CREATE INDEX application_people_hash ON application_people (id_hash);

-- exclusion: the organiser and its affiliates, per sub-contest;
-- dishonest: 失信被执行人 and the like, for every sub-contest (competition_id 0).
CREATE TABLE unit_lists (
	id @ID@,
	kind TEXT NOT NULL,
	competition_id BIGINT NOT NULL DEFAULT 0,
	uscc TEXT NOT NULL,
	name TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	UNIQUE (kind, competition_id, uscc)
);

-- Legal credit codes that fail the GB 32100 check, accepted by an admin.
CREATE TABLE uscc_verified (
	uscc TEXT PRIMARY KEY,
	note TEXT NOT NULL DEFAULT '',
	verified_by BIGINT,
	created_at BIGINT NOT NULL
);

CREATE TABLE audit_log (
	id @ID@,
	actor_id BIGINT,
	action TEXT NOT NULL,
	object_type TEXT NOT NULL,
	object_id BIGINT,
	ip TEXT,
	detail TEXT,
	created_at BIGINT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);

ALTER TABLE competitions ADD COLUMN resubmit_closes TEXT;
