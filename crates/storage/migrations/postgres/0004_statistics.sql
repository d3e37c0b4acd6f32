-- Statistics (PostgreSQL): releases as published, the privacy budget of each dataset, and the EU
-- hub's submissions. Nothing here is personal: only aggregates and who made them.

-- A release of one country's tables for one reference year, as it may leave the country:
-- protected values only (suppressed cells carry no value), with how it was produced.
CREATE TABLE stat_releases (
    id TEXT PRIMARY KEY,
    jurisdiction TEXT NOT NULL,
    year BIGINT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('suppression', 'dp')),
    params TEXT NOT NULL,
    dataset TEXT NOT NULL,
    report TEXT NOT NULL,
    -- The privacy cost of a differentially private release (NULL for suppression).
    epsilon_micro BIGINT,
    delta_pico BIGINT,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX stat_releases_year ON stat_releases (jurisdiction, year, created_at);

-- The privacy budget of a dataset (one country's case data for one reference year) and what the
-- differentially private releases have spent of it. A release is written only if its cost fits.
CREATE TABLE privacy_budgets (
    jurisdiction TEXT NOT NULL,
    year BIGINT NOT NULL,
    epsilon_budget_micro BIGINT NOT NULL,
    delta_budget_pico BIGINT NOT NULL,
    epsilon_spent_micro BIGINT NOT NULL DEFAULT 0,
    delta_spent_pico BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (jurisdiction, year),
    CHECK (epsilon_spent_micro <= epsilon_budget_micro),
    CHECK (delta_spent_pico <= delta_budget_pico)
);

-- Member states' submissions received by the EU level, validated whole before they are stored.
CREATE TABLE hub_submissions (
    id TEXT PRIMARY KEY,
    country TEXT NOT NULL,
    year BIGINT NOT NULL,
    format TEXT NOT NULL,
    dataset TEXT NOT NULL,
    observations BIGINT NOT NULL,
    submitted_by TEXT NOT NULL REFERENCES users (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    submitted_at BIGINT NOT NULL
);
CREATE INDEX hub_submissions_year ON hub_submissions (year, country, submitted_at);
