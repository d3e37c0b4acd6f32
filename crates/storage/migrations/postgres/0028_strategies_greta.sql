-- Strategies and action plans, and GRETA's evaluation rounds (docs/monitoring.md).
--
-- Each row keeps its record as JSON (`body`, no person in it) beside the columns it is looked up
-- by. The shipped EU Strategy 2012-2016 is reference data (reference/eu-strategy-2012-2016*.csv):
-- its actions are not stored here, only their progress (`strategy_action_progress`, keyed by the
-- strategy's id and the action's number, as the recorded strategies' actions are).
-- `jurisdiction` is whose record it is (a country code, or EU), as the access module asks
-- (authorize_monitoring).
CREATE TABLE strategies (
    id TEXT PRIMARY KEY,
    jurisdiction TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX strategies_jurisdiction ON strategies (jurisdiction);

CREATE TABLE strategy_actions (
    strategy_id TEXT NOT NULL REFERENCES strategies (id),
    number TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (strategy_id, number)
);

-- The latest progress of an action (status, note, evidence); every change is in the audit log.
CREATE TABLE strategy_action_progress (
    strategy_id TEXT NOT NULL,
    number TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (strategy_id, number)
);

CREATE TABLE greta_rounds (
    id TEXT PRIMARY KEY,
    country TEXT NOT NULL,
    round BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    UNIQUE (country, round)
);

CREATE TABLE greta_recommendations (
    id TEXT PRIMARY KEY,
    round_id TEXT NOT NULL REFERENCES greta_rounds (id),
    country TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX greta_recommendations_round ON greta_recommendations (round_id, created_at);
CREATE INDEX greta_recommendations_country ON greta_recommendations (country);

CREATE TABLE greta_follow_ups (
    id TEXT PRIMARY KEY,
    recommendation_id TEXT NOT NULL REFERENCES greta_recommendations (id),
    country TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX greta_follow_ups_recommendation ON greta_follow_ups (recommendation_id);
CREATE INDEX greta_follow_ups_country ON greta_follow_ups (country);
