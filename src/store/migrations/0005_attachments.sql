-- Uploaded files. A deleted or replaced file keeps its row (and blob)
-- for the organisers; the applicant sees only live ones.
CREATE TABLE attachments (
	id @ID@,
	application_id BIGINT NOT NULL REFERENCES applications (id),
	slot TEXT NOT NULL,
	row_path TEXT,
	file_name TEXT NOT NULL,
	size BIGINT NOT NULL,
	kind TEXT NOT NULL,
	mime TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	storage_key TEXT NOT NULL,
	uploaded_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	deleted_at BIGINT,
	replaced_by BIGINT
);
CREATE INDEX attachments_app ON attachments (application_id, slot);
