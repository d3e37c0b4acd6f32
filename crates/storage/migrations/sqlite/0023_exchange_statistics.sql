-- Statistics over the exchange channel (docs/transnational.md §8.3): a national release sent to
-- the EU hub as a signed `statistics_submission`, and at the hub the signed original kept as
-- evidence. Nothing here is personal: releases are aggregates.

-- hub_submissions: a submission received over the channel is made by no local user, so who
-- submitted it and their organisation become optional (SQLite cannot drop NOT NULL: the table
-- is rebuilt with the same rows).
CREATE TABLE hub_submissions_0023 (
    id TEXT PRIMARY KEY,
    country TEXT NOT NULL,
    year INTEGER NOT NULL,
    format TEXT NOT NULL,
    dataset TEXT NOT NULL,
    observations INTEGER NOT NULL,
    submitted_by TEXT REFERENCES users (id),
    organisation_id TEXT REFERENCES organisations (id),
    submitted_at INTEGER NOT NULL
) STRICT;
INSERT INTO hub_submissions_0023 (id, country, year, format, dataset, observations, submitted_by, organisation_id,
                                  submitted_at)
SELECT id, country, year, format, dataset, observations, submitted_by, organisation_id, submitted_at
FROM hub_submissions;
DROP TABLE hub_submissions;
ALTER TABLE hub_submissions_0023 RENAME TO hub_submissions;
CREATE INDEX hub_submissions_year ON hub_submissions (year, country, submitted_at);

-- exchange_statistics_received (at the hub): the signed original of every submission received
-- over the channel and stored: the exact header and body bytes and the sender's Ed25519
-- signature over both, with the signing key id the header names. With the directory of peers
-- anyone can check later that the country signed exactly this content.
CREATE TABLE exchange_statistics_received (
    submission_id TEXT PRIMARY KEY REFERENCES hub_submissions (id),
    message_id TEXT NOT NULL UNIQUE,
    sender TEXT NOT NULL,
    signing_key_id TEXT NOT NULL,
    release_id TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    header BLOB NOT NULL,
    body BLOB NOT NULL,
    signature BLOB NOT NULL CHECK (length(signature) = 64),
    received_at INTEGER NOT NULL
) STRICT;

-- exchange_statistics_sent (in a country): the message a release was sent in, its id stored
-- before the message is handed to the transport so that a retry sends the same id, and how far
-- it got: `prepared` (id stored), `queued` (in the outbox), `failed` (the transport refused it;
-- `error` says why).
CREATE TABLE exchange_statistics_sent (
    release_id TEXT PRIMARY KEY REFERENCES stat_releases (id),
    message_id TEXT NOT NULL UNIQUE,
    receiver TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('prepared', 'queued', 'failed')),
    error TEXT,
    sent_by TEXT REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
