-- The development SMS provider's outbox: what would have been sent. The
-- text is sealed with the master key and the number kept only as a keyed
-- hash and a masked form, so the file never shows a code or a phone.

CREATE TABLE sms_outbox (
	id @ID@,
	phone_hash TEXT NOT NULL,
	phone_masked TEXT NOT NULL,
	purpose TEXT NOT NULL,
	sealed_text TEXT NOT NULL,
	created_at BIGINT NOT NULL
);

CREATE INDEX sms_outbox_created_at ON sms_outbox (created_at);
