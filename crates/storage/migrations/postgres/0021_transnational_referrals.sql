-- Transnational referrals of victims (docs/transnational.md §8.3 and "The referral flow";
-- Dir 2011/36 Art 11(4)), sent and received, and their history.
--
-- transnational_referrals: one row per referral on this side. `direction` `outgoing`: prepared
-- from a case of this country (`case_id`, `organisation_id` the case's organisation) and sent to
-- the focal point of `peer`; `incoming`: received from the focal point of `peer`, `organisation_id`
-- the local organisation assigned and `case_id` a case opened for it, when one is. `referral_id`
-- is the sender's id on the wire (the same on every update). `message_id` is the exchange message
-- that carries the referral: stored before it is sent, so a retry sends the same id again.
-- `draft` (the caseworker's choices: fields, basis, return risk assessment, needs, notes) and
-- `body` (the `referral` body as sent or received) hold personal data and are encrypted at rest
-- (field encryption, table `transnational_referrals`, row `id`).
CREATE TABLE transnational_referrals (
    id TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
    peer TEXT NOT NULL,
    case_id TEXT REFERENCES cases (id),
    organisation_id TEXT REFERENCES organisations (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('return_and_reintegration', 'onward_support',
        'identified_here_exploited_there', 'information_request', 'victim_at_risk')),
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'sent', 'received', 'accepted', 'declined',
        'organisation_assigned', 'arrived_safely', 'support_started', 'follow_up_due', 'closed')),
    draft BYTEA,
    body BYTEA,
    message_id TEXT UNIQUE,
    created_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (direction, peer, referral_id),
    CHECK (direction = 'incoming' OR case_id IS NOT NULL),
    CHECK (direction = 'outgoing' OR (body IS NOT NULL AND message_id IS NOT NULL))
);

CREATE INDEX transnational_referrals_case ON transnational_referrals (case_id);
CREATE INDEX transnational_referrals_state ON transnational_referrals (direction, state);

-- transnational_referral_events: every change of state, in order. `by_user` is the user who made
-- it; NULL when the other side reported it (`message_id` the `referral_update` that carried it).
-- `detail` (a decline's reason, the organisation assigned, a note) is encrypted at rest (table
-- `transnational_referral_events`, row `referral_row/seq`).
CREATE TABLE transnational_referral_events (
    referral_row TEXT NOT NULL REFERENCES transnational_referrals (id),
    seq BIGINT NOT NULL CHECK (seq >= 1),
    state TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    by_user TEXT REFERENCES users (id),
    message_id TEXT,
    detail BYTEA,
    at BIGINT NOT NULL,
    PRIMARY KEY (referral_row, seq)
);
