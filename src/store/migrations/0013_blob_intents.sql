-- Storage keys an upload is about to store a file under. The key is
-- committed here before the file is stored, and removed in the
-- transaction that commits the attachment row (or after the file is
-- deleted again). A row left here means the server died in between: the
-- next start-up removes the file unless a row names it (api/attachments.c
-- attachments_sweep_intents), so a killed upload leaves no stored file
-- nobody refers to.
CREATE TABLE blob_intents (
	storage_key TEXT PRIMARY KEY,
	created_at BIGINT NOT NULL
);

-- The sweep asks whether a row names the key.
CREATE INDEX attachments_storage_key ON attachments (storage_key);
