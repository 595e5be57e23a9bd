-- Background exports of a sub-contest's applications (XLSX or CSV). The
-- finished file is a blob (local or S3), so any server can hand it out;
-- updated_at is the worker's heartbeat: a running job that stops beating
-- died with its process.
CREATE TABLE export_jobs (
	id @ID@,
	competition_id BIGINT NOT NULL REFERENCES competitions (id),
	user_id BIGINT NOT NULL REFERENCES users (id),
	-- xlsx | csv
	format TEXT NOT NULL,
	-- the filters and options as JSON: track, topic, status, stage, sheet, unmask
	params TEXT NOT NULL,
	-- queued | running | done | failed
	status TEXT NOT NULL DEFAULT 'queued',
	done_rows BIGINT NOT NULL DEFAULT 0,
	total_rows BIGINT NOT NULL DEFAULT 0,
	storage_key TEXT,
	file_name TEXT,
	size BIGINT,
	error TEXT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	finished_at BIGINT
);
CREATE INDEX export_jobs_user ON export_jobs (user_id, id);

-- Exports page through a sub-contest's applications in id order.
CREATE INDEX applications_comp_id ON applications (competition_id, id);
