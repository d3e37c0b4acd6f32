-- Immediate revocation of this instance's own exchange keys (docs/transnational.md, "Revoking
-- this instance's own key"): from `revoked_at` on the key neither signs nor opens, the entry
-- published lists it revoked, and `revoked_reason` (one line, the focal point's) says why.
ALTER TABLE exchange_keys ADD COLUMN revoked_at BIGINT;
ALTER TABLE exchange_keys ADD COLUMN revoked_reason TEXT;

-- cross_border_counts (at the EU hub): a year's count of persons across borders, kept once the
-- countries' encodings of that year are deleted (docs/transnational.md, "Retention"): the
-- count, the overlaps and the method as JSON (no encoding, no identifier). `published_at` is
-- when the count was published; the encodings received before it are then deleted.
CREATE TABLE cross_border_counts (
    year BIGINT PRIMARY KEY,
    result TEXT NOT NULL,
    counted_at BIGINT NOT NULL,
    published_at BIGINT,
    published_by TEXT REFERENCES users (id),
    encodings_deleted_at BIGINT
);

-- exchange_outbox: when the body of a sent message was replaced by `{}` (encrypted) because it is
-- no longer needed: a `person_encodings` message once delivered, refused or expired.
ALTER TABLE exchange_outbox ADD COLUMN body_cleared_at BIGINT;
