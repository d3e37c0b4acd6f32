-- Haven foundation schema (PostgreSQL); times are unix seconds (UTC).
-- Columns holding direct identifiers or free text are BYTEAs of AEAD ciphertext.

CREATE TABLE data_keys (
    id BIGINT PRIMARY KEY,
    purpose TEXT NOT NULL,
    wrapped BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (jurisdiction, name)
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    password_hash TEXT NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    language TEXT NOT NULL DEFAULT 'en',
    totp_secret BYTEA,
    totp_last_step BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    revoked BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash BYTEA NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    owner_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    jurisdiction TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX cases_owner ON cases (owner_organisation_id);

CREATE TABLE persons (
    case_id TEXT PRIMARY KEY REFERENCES cases (id),
    given_names BYTEA NOT NULL,
    family_names BYTEA NOT NULL,
    aliases BYTEA NOT NULL,
    date_of_birth BYTEA,
    sex TEXT NOT NULL,
    name_index BYTEA NOT NULL
);
CREATE INDEX persons_name_index ON persons (name_index);

CREATE TABLE case_shares (
    case_id TEXT NOT NULL REFERENCES cases (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    compartments TEXT NOT NULL,
    shared_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, organisation_id)
);
CREATE INDEX case_shares_org ON case_shares (organisation_id);

CREATE TABLE case_notes (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    compartment TEXT NOT NULL,
    body BYTEA NOT NULL,
    author_id TEXT NOT NULL REFERENCES users (id),
    author_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id);

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_user_id TEXT,
    actor_organisation_id TEXT,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    target_kind TEXT,
    target_id TEXT,
    target_organisation_id TEXT,
    address TEXT,
    detail TEXT,
    mac BYTEA NOT NULL
);
CREATE INDEX audit_log_target ON audit_log (target_kind, target_id);

-- The newest entry, MACed: deleting the newest entries is detected too.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    mac BYTEA NOT NULL,
    head_mac BYTEA NOT NULL
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
