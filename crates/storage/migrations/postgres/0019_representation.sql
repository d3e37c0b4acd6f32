-- A victim's lawyer (Dir 2011/36 Art 12(2): access to legal counselling and legal
-- representation; Dir 2012/29 Art 20): the victim of a case is represented by a lawyer (a user
-- with the role victim_lawyer) from a day, with the victim's consent noted, until revoked.
-- Recorded and revoked by the case's caseworker or supervisor; who may read what is decided by
-- the access module (may_record_representation, represented_view).
--
-- Encrypted per field (ciphertext): the note on the victim's consent and the reason of a
-- revocation. Plain: links, days and who recorded. Rows are kept: a revocation sets revoked_on
-- once (the update is conditional on it being unset).
CREATE TABLE representations (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    lawyer_user_id TEXT NOT NULL REFERENCES users (id),
    jurisdiction TEXT NOT NULL,
    from_on TEXT NOT NULL,
    consent_on TEXT NOT NULL,
    consent_note BYTEA,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at BIGINT NOT NULL,
    revoked_on TEXT,
    revocation_reason BYTEA,
    revoked_by TEXT REFERENCES users (id),
    revoked_at BIGINT,
    CHECK ((revoked_on IS NULL) = (revoked_by IS NULL) AND (revoked_on IS NULL) = (revoked_at IS NULL))
);
CREATE INDEX representations_case ON representations (case_id);
CREATE INDEX representations_lawyer ON representations (lawyer_user_id);
-- One representation in force per victim and lawyer.
CREATE UNIQUE INDEX representations_active ON representations (case_id, lawyer_user_id) WHERE revoked_on IS NULL;
