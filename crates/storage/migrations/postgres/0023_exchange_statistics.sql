-- Statistics over the exchange channel (docs/transnational.md §8.3): a national release sent to
-- the EU hub as a signed `statistics_submission`, and at the hub the signed original kept as
-- evidence. Nothing here is personal: releases are aggregates.

-- hub_submissions: a submission received over the channel is made by no local user.
ALTER TABLE hub_submissions ALTER COLUMN submitted_by DROP NOT NULL;
ALTER TABLE hub_submissions ALTER COLUMN organisation_id DROP NOT NULL;

-- exchange_statistics_received (at the hub): the signed original of every submission received
-- over the channel and stored: the exact header and body bytes and the sender's Ed25519
-- signature over both, with the signing key id the header names.
CREATE TABLE exchange_statistics_received (
    submission_id TEXT PRIMARY KEY REFERENCES hub_submissions (id),
    message_id TEXT NOT NULL UNIQUE,
    sender TEXT NOT NULL,
    signing_key_id TEXT NOT NULL,
    release_id TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    header BYTEA NOT NULL,
    body BYTEA NOT NULL,
    signature BYTEA NOT NULL CHECK (length(signature) = 64),
    received_at BIGINT NOT NULL
);

-- exchange_statistics_sent (in a country): the message a release was sent in, its id stored
-- before the message is handed to the transport so that a retry sends the same id, and how far
-- it got: `prepared`, `queued` (in the outbox), `failed` (`error` says why).
CREATE TABLE exchange_statistics_sent (
    release_id TEXT PRIMARY KEY REFERENCES stat_releases (id),
    message_id TEXT NOT NULL UNIQUE,
    receiver TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('prepared', 'queued', 'failed')),
    error TEXT,
    sent_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
