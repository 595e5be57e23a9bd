-- Judging and awards: rubrics per sub-contest and stage, judges' profiles
-- (unit and declared conflicts), assignments with the judge's score
-- sheet, award quotas, awards and the award round's state.

-- A sub-contest's criteria for one scoring stage (preliminary | final),
-- a JSON array [{"key","name","description","weight","max"}…] whose
-- weights sum to 100, and the stage's scoring window. A stage without a
-- row uses the built-in default criteria and has no window yet.
CREATE TABLE rubrics (
	competition_id BIGINT NOT NULL REFERENCES competitions (id),
	stage TEXT NOT NULL,
	criteria TEXT NOT NULL,
	scoring_opens BIGINT,
	scoring_closes BIGINT,
	updated_by BIGINT,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (competition_id, stage)
);

-- What a judge (user_roles.role = 'judge') is in a sub-contest: name,
-- unit, the tracks they judge (a JSON array of track ids; [] is every
-- track) and declared conflicts ([{"name","uscc"}…], a unit by name or
-- credit code).
CREATE TABLE judge_profiles (
	competition_id BIGINT NOT NULL REFERENCES competitions (id),
	user_id BIGINT NOT NULL REFERENCES users (id),
	name TEXT NOT NULL DEFAULT '',
	unit_name TEXT NOT NULL DEFAULT '',
	unit_uscc TEXT NOT NULL DEFAULT '',
	tracks TEXT NOT NULL DEFAULT '[]',
	conflicts TEXT NOT NULL DEFAULT '[]',
	updated_by BIGINT,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (competition_id, user_id)
);

-- One judge on one application in one stage, with their score sheet:
-- scores is a JSON object {criterion key: number}, saved and edited until
-- submitted_at is set. status: assigned | declined (the judge declared a
-- conflict of interest; decline_reason says why, and the row stays so the
-- same judge is never assigned again).
CREATE TABLE judge_assignments (
	id @ID@,
	competition_id BIGINT NOT NULL REFERENCES competitions (id),
	stage TEXT NOT NULL,
	application_id BIGINT NOT NULL REFERENCES applications (id),
	judge_id BIGINT NOT NULL REFERENCES users (id),
	status TEXT NOT NULL DEFAULT 'assigned',
	decline_reason TEXT,
	scores TEXT,
	comment TEXT,
	saved_at BIGINT,
	submitted_at BIGINT,
	created_by BIGINT,
	created_at BIGINT NOT NULL,
	UNIQUE (stage, application_id, judge_id)
);
CREATE INDEX judge_assignments_judge ON judge_assignments (judge_id, stage);
CREATE INDEX judge_assignments_comp ON judge_assignments (competition_id, stage, application_id);

-- Prize places per track (一等奖/二等奖/三等奖); a track without a row
-- uses the default 1 / 2 / 5.
CREATE TABLE award_quotas (
	competition_id BIGINT NOT NULL REFERENCES competitions (id),
	track_id BIGINT NOT NULL REFERENCES tracks (id),
	first_places INTEGER NOT NULL,
	second_places INTEGER NOT NULL,
	third_places INTEGER NOT NULL,
	updated_by BIGINT,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (competition_id, track_id)
);

-- The award of one application: level first | second | third | NULL, and
-- the special awards, a JSON array of codes (most_valuable, practice,
-- potential, innovation).
CREATE TABLE awards (
	application_id BIGINT PRIMARY KEY REFERENCES applications (id),
	competition_id BIGINT NOT NULL REFERENCES competitions (id),
	track_id BIGINT,
	level TEXT,
	specials TEXT NOT NULL DEFAULT '[]',
	updated_by BIGINT,
	updated_at BIGINT NOT NULL
);
CREATE INDEX awards_competition ON awards (competition_id, track_id);

-- A sub-contest's award round: the stage whose ranking it follows and its
-- state, open | locked | published.
CREATE TABLE award_rounds (
	competition_id BIGINT PRIMARY KEY REFERENCES competitions (id),
	stage TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'open',
	locked_at BIGINT,
	published_at BIGINT,
	updated_by BIGINT,
	updated_at BIGINT NOT NULL
);
