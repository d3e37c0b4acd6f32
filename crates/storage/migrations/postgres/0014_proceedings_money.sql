-- Money in criminal proceedings (the proceedings compartment): assets with their freezing,
-- seizure, confiscation and realisation (Dir 2011/36 Art 7), realised proceeds allocated to
-- victims' compensation claims, the financial investigation of each investigation with its
-- items, and joint investigation teams with the investigations they link. Who may read them
-- is decided by the access module (authorize_investigation, authorize_joint_team).
--
-- Encrypted per field (ciphertext): an asset's record (description, where held, value), a
-- measure's record, the reasons a financial investigation was not opened, every financial
-- item, a team's record (agreement, members, purpose, evaluation). Plain: investigations,
-- coded kinds, countries, dates, and the amounts in euro cents the statistics count.

CREATE TABLE assets (
    id TEXT PRIMARY KEY,
    investigation_id TEXT NOT NULL REFERENCES investigations (id),
    suspect_id TEXT REFERENCES suspects (id),
    kind TEXT NOT NULL,
    held_in TEXT NOT NULL,
    value_euro_cents BIGINT NOT NULL,
    record BYTEA NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX assets_investigation ON assets (investigation_id);

-- Freezing, seizure, a confiscation order, a realisation: immutable, dated.
CREATE TABLE asset_measures (
    id TEXT PRIMARY KEY,
    asset_id TEXT NOT NULL REFERENCES assets (id),
    investigation_id TEXT NOT NULL REFERENCES investigations (id),
    kind TEXT NOT NULL CHECK (kind IN ('freezing', 'seizure', 'confiscation_order', 'realisation')),
    measure_on TEXT NOT NULL,
    amount_euro_cents BIGINT,
    record BYTEA NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX asset_measures_asset ON asset_measures (asset_id, measure_on);
CREATE UNIQUE INDEX asset_measures_one_confiscation ON asset_measures (asset_id) WHERE kind = 'confiscation_order';

-- Realised proceeds of an asset allocated to a victim's compensation claim (a support record
-- of the victim's case), and what of it was paid out; euro cents.
CREATE TABLE confiscation_allocations (
    id TEXT PRIMARY KEY,
    asset_id TEXT NOT NULL REFERENCES assets (id),
    investigation_id TEXT NOT NULL REFERENCES investigations (id),
    claim_id TEXT NOT NULL REFERENCES support_records (id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    amount_euro_cents BIGINT NOT NULL CHECK (amount_euro_cents > 0),
    allocated_on TEXT NOT NULL,
    paid_out_euro_cents BIGINT NOT NULL CHECK (paid_out_euro_cents >= 0 AND paid_out_euro_cents <= amount_euro_cents),
    paid_out_on TEXT,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL
);
CREATE INDEX confiscation_allocations_asset ON confiscation_allocations (asset_id);
CREATE INDEX confiscation_allocations_investigation ON confiscation_allocations (investigation_id);

-- The financial investigation of an investigation, once its status was recorded (until then
-- it runs by default from the day the investigation was opened).
CREATE TABLE financial_investigations (
    investigation_id TEXT PRIMARY KEY REFERENCES investigations (id),
    status TEXT NOT NULL CHECK (status IN ('open', 'not_opened', 'concluded')),
    since TEXT NOT NULL,
    reasons BYTEA,
    version BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    CHECK ((status = 'not_opened') = (reasons IS NOT NULL))
);

-- Accounts, transfers, businesses, properties and findings.
CREATE TABLE financial_items (
    id TEXT PRIMARY KEY,
    investigation_id TEXT NOT NULL REFERENCES investigations (id),
    kind TEXT NOT NULL CHECK (kind IN ('account', 'transfer', 'business', 'property', 'finding')),
    body BYTEA NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX financial_items_investigation ON financial_items (investigation_id, kind);

-- Joint investigation teams and the investigations (of their member countries) they link.
CREATE TABLE joint_teams (
    id TEXT PRIMARY KEY,
    record BYTEA NOT NULL,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL
);

CREATE TABLE joint_team_investigations (
    team_id TEXT NOT NULL REFERENCES joint_teams (id),
    investigation_id TEXT NOT NULL REFERENCES investigations (id),
    jurisdiction TEXT NOT NULL,
    linked_by TEXT NOT NULL REFERENCES users (id),
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, investigation_id)
);
CREATE INDEX joint_team_investigations_investigation ON joint_team_investigations (investigation_id);
