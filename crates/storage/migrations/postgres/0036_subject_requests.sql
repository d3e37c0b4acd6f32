-- Data subjects' requests, rectification and restriction (docs/data-protection.md, "Subject
-- access", "Rectification and restriction"; Reg 2016/679 Arts 12, 15-18, Dir 2016/680 Arts 14-16).
--
-- A request names the registration (case) of the person it is about; the person register's
-- clusters say which other registrations are the same person. The dates are calendar days
-- (YYYY-MM-DD); `due_on` is the answer's due date (Reg 2016/679 Art 12(3), three months when
-- `extended`). `detail` is encrypted JSON (a note, the extension's and a refusal's reasons, the
-- restrictions applied to an export): bound to table, column and id.
CREATE TABLE subject_requests (
    id TEXT PRIMARY KEY,
    jurisdiction TEXT NOT NULL,
    kind TEXT NOT NULL,
    case_id TEXT NOT NULL,
    received_on TEXT NOT NULL,
    extended BOOLEAN NOT NULL,
    due_on TEXT NOT NULL,
    status TEXT NOT NULL,
    identity_checked_by TEXT REFERENCES users (id),
    identity_method TEXT,
    identity_checked_on TEXT,
    answered_on TEXT,
    detail BYTEA NOT NULL,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL
);
CREATE INDEX subject_requests_jurisdiction ON subject_requests (jurisdiction, received_on);
CREATE INDEX subject_requests_case ON subject_requests (case_id);

-- A case whose processing is restricted (Reg 2016/679 Art 18): one row while the restriction holds,
-- deleted when it is lifted (both in the audit log). The reason is encrypted (case id bound).
CREATE TABLE case_restrictions (
    case_id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES subject_requests (id),
    reason BYTEA NOT NULL,
    restricted_by TEXT NOT NULL REFERENCES users (id),
    restricted_at BIGINT NOT NULL
);

-- The history of rectified fields (Reg 2016/679 Art 16): the value before the correction, encrypted as
-- the field itself is, with who corrected it, when and why (encrypted too).
CREATE TABLE rectifications (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value BYTEA NOT NULL,
    reason BYTEA NOT NULL,
    request_id TEXT REFERENCES subject_requests (id),
    rectified_by TEXT NOT NULL REFERENCES users (id),
    rectified_at BIGINT NOT NULL
);
CREATE INDEX rectifications_case ON rectifications (case_id, rectified_at);
