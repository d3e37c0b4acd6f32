-- Haven foundation schema (SQLite). Every table STRICT; times are unix seconds (UTC).
-- Columns holding direct identifiers or free text are BLOBs of AEAD ciphertext.

CREATE TABLE data_keys (
    id INTEGER PRIMARY KEY,
    purpose TEXT NOT NULL,
    wrapped BLOB NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (jurisdiction, name)
) STRICT;

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    language TEXT NOT NULL DEFAULT 'en',
    totp_secret BLOB,
    totp_last_step INTEGER,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
) STRICT;

CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    owner_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    jurisdiction TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX cases_owner ON cases (owner_organisation_id);

CREATE TABLE persons (
    case_id TEXT PRIMARY KEY REFERENCES cases (id),
    given_names BLOB NOT NULL,
    family_names BLOB NOT NULL,
    aliases BLOB NOT NULL,
    date_of_birth BLOB,
    sex TEXT NOT NULL,
    name_index BLOB NOT NULL
) STRICT;
CREATE INDEX persons_name_index ON persons (name_index);

CREATE TABLE case_shares (
    case_id TEXT NOT NULL REFERENCES cases (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    compartments TEXT NOT NULL,
    shared_by TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (case_id, organisation_id)
) STRICT;
CREATE INDEX case_shares_org ON case_shares (organisation_id);

CREATE TABLE case_notes (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    compartment TEXT NOT NULL,
    body BLOB NOT NULL,
    author_id TEXT NOT NULL REFERENCES users (id),
    author_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX case_notes_case ON case_notes (case_id);

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_user_id TEXT,
    actor_organisation_id TEXT,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    target_kind TEXT,
    target_id TEXT,
    target_organisation_id TEXT,
    address TEXT,
    detail TEXT,
    mac BLOB NOT NULL
) STRICT;
CREATE INDEX audit_log_target ON audit_log (target_kind, target_id);

-- The newest entry, MACed: deleting the newest entries is detected too.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    mac BLOB NOT NULL,
    head_mac BLOB NOT NULL
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
