-- The contest catalog: sub-contests, their tracks and topics.
-- @ID@ becomes the dialect's auto-increment primary key.

CREATE TABLE meta (
	name TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE competitions (
	id @ID@,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	short_name TEXT NOT NULL,
	year INTEGER NOT NULL,
	sort_order INTEGER NOT NULL,
	registration_opens TEXT,
	registration_closes TEXT,
	-- everything else of the catalog file but its tracks, as JSON
	doc TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE tracks (
	id @ID@,
	competition_id BIGINT NOT NULL REFERENCES competitions (id),
	track_key TEXT NOT NULL,
	num INTEGER NOT NULL,
	name TEXT NOT NULL,
	title TEXT NOT NULL,
	heading TEXT NOT NULL,
	venue TEXT,
	-- a track dropped from the file stays for the records that point to it
	retired INTEGER NOT NULL DEFAULT 0,
	UNIQUE (competition_id, track_key)
);

CREATE TABLE topics (
	id @ID@,
	track_id BIGINT NOT NULL REFERENCES tracks (id),
	num INTEGER NOT NULL,
	title TEXT NOT NULL,
	description TEXT NOT NULL,
	retired INTEGER NOT NULL DEFAULT 0,
	UNIQUE (track_id, num)
);

INSERT INTO meta (name, value) VALUES ('catalog_revision', '0');
