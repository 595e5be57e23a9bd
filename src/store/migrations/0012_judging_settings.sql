-- How many judges 自动分配 gives each project of a sub-contest's stage, as
-- the admin last chose it, so that the assignments page shows each
-- project's "have/need" against that number rather than the default.
-- A stage without a row uses the default (5).
CREATE TABLE judging_settings (
	competition_id BIGINT NOT NULL REFERENCES competitions (id),
	stage TEXT NOT NULL,
	per_project INTEGER NOT NULL,
	updated_by BIGINT,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (competition_id, stage)
);
