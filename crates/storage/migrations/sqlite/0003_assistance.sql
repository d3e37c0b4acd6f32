-- Assistance, support and protection (SQLite). Personal content is AEAD ciphertext (BLOB);
-- the columns beside it are the coded values lists, due dates and capacity need.

-- Individual risk and needs assessments: one row per version; history kept.
CREATE TABLE assessments (
    case_id TEXT NOT NULL REFERENCES cases (id),
    seq INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('submitted', 'approved', 'returned')),
    risk_level TEXT NOT NULL,
    child INTEGER NOT NULL,
    assessed_on TEXT NOT NULL,
    record BLOB NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    reviewed_by TEXT REFERENCES users (id),
    reviewed_at INTEGER,
    return_reason BLOB,
    PRIMARY KEY (case_id, seq)
) STRICT;

-- Services of a support plan.
CREATE TABLE plan_items (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    service TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    provider_id TEXT,
    status TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    record BLOB NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX plan_items_case ON plan_items (case_id);

-- The directory of support providers (not personal data: stored in clear).
CREATE TABLE providers (
    id TEXT PRIMARY KEY,
    jurisdiction TEXT NOT NULL,
    organisation_id TEXT REFERENCES organisations (id),
    name TEXT NOT NULL,
    record TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX providers_jurisdiction ON providers (jurisdiction);

-- Capacity and live occupancy per provider and service: a place is held by one conditional
-- UPDATE, so two referrals for the last bed cannot both get it.
CREATE TABLE provider_services (
    provider_id TEXT NOT NULL REFERENCES providers (id),
    service TEXT NOT NULL,
    capacity INTEGER,
    occupied INTEGER NOT NULL DEFAULT 0 CHECK (occupied >= 0),
    CHECK (capacity IS NULL OR occupied <= capacity),
    PRIMARY KEY (provider_id, service)
) STRICT;

-- Referrals between organisations, and their history.
CREATE TABLE referrals (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL CHECK (kind IN ('service', 'transfer')),
    service TEXT,
    from_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    to_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    provider_id TEXT REFERENCES providers (id),
    state TEXT NOT NULL,
    urgent INTEGER NOT NULL,
    consent_basis TEXT NOT NULL,
    consent BLOB NOT NULL,
    shared_fields TEXT NOT NULL,
    shared BLOB NOT NULL,
    message BLOB,
    holds_place INTEGER NOT NULL CHECK (holds_place IN (0, 1)),
    due_on TEXT,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX referrals_case ON referrals (case_id);
CREATE INDEX referrals_from ON referrals (from_organisation_id, state);
CREATE INDEX referrals_to ON referrals (to_organisation_id, state);

CREATE TABLE referral_events (
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    seq INTEGER NOT NULL,
    state TEXT NOT NULL,
    note BLOB,
    by_user TEXT NOT NULL REFERENCES users (id),
    by_organisation TEXT NOT NULL REFERENCES organisations (id),
    at INTEGER NOT NULL,
    PRIMARY KEY (referral_id, seq)
) STRICT;

-- Typed support records: guardians, representatives, child interviews, best-interests
-- determinations, durable solutions, compensation claims, return plans. Body encrypted.
CREATE TABLE support_records (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    body BLOB NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX support_records_case ON support_records (case_id, kind);
