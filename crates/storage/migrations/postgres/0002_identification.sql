-- Identification and the national referral mechanism (PostgreSQL).

-- One registration per case: the full record is AEAD ciphertext (JSON); the columns beside it
-- are the coded, non-identifying values that lists, clocks and statistics need.
CREATE TABLE registrations (
    case_id TEXT PRIMARY KEY REFERENCES cases (id),
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted')),
    version BIGINT NOT NULL,
    record BYTEA NOT NULL,
    referred_on TEXT,
    sex TEXT NOT NULL,
    age_group TEXT NOT NULL,
    child_status TEXT NOT NULL,
    citizenships TEXT NOT NULL,
    forms TEXT NOT NULL,
    guardian_appointed_on TEXT,
    -- The status folded from the decisions, written in the same transaction as each decision.
    nrm_status TEXT,
    rg_decided_on TEXT,
    cg_decided_on TEXT,
    assistance_since TEXT,
    reflection_from TEXT,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id)
);
CREATE INDEX registrations_state ON registrations (state, referred_on);

-- Status decisions of the competent authority: immutable; a correction is a new row.
-- (case_id, seq) is the primary key, so of two concurrent decisions on one case one fails.
CREATE TABLE decisions (
    case_id TEXT NOT NULL REFERENCES cases (id),
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    reasons BYTEA,
    corrects BIGINT,
    decided_by TEXT NOT NULL REFERENCES users (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, seq)
);
CREATE FUNCTION decisions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'decisions are immutable'; END; $$;
CREATE TRIGGER decisions_no_change BEFORE UPDATE OR DELETE ON decisions
FOR EACH ROW EXECUTE FUNCTION decisions_immutable();

-- Typed records that follow a registration (residence, protection, criminal matters, age
-- assessments), each in a compartment, body encrypted.
CREATE TABLE case_records (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL,
    compartment TEXT NOT NULL,
    body BYTEA NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX case_records_case ON case_records (case_id, kind);

-- Keyed blind indexes of exact identifiers (date of birth, document numbers) for search.
CREATE TABLE identifier_index (
    case_id TEXT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL,
    value BYTEA NOT NULL,
    PRIMARY KEY (case_id, kind, value)
);
CREATE INDEX identifier_index_value ON identifier_index (kind, value);

-- Anonymous notifications: an adult who does not consent to referral is still counted.
-- No identifying data: only what statistics need.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    jurisdiction TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    organisation_kind TEXT NOT NULL,
    notified_on TEXT NOT NULL,
    sex TEXT NOT NULL,
    age_group TEXT NOT NULL,
    citizenship TEXT NOT NULL,
    forms TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX notifications_jurisdiction ON notifications (jurisdiction, notified_on);
