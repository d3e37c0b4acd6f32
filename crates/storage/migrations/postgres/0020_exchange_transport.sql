-- Transport of the transnational exchange (docs/transnational.md §7): the outbox of messages to
-- send to peers and the inbox of messages received from them.
--
-- exchange_outbox: a message is stored here before it is sent, and sealed to the receiver's
-- current key at each delivery attempt. `message_id` is the idempotency key. `body` is the
-- message body encrypted at rest (field encryption: table `exchange_outbox`, column `body`, row
-- `message_id`): bodies hold personal data. `state`: `pending` until the receiver answers 202 (or
-- 409 replayed), then `delivered`; `refused` when it answered another 4xx (`last_error` holds its
-- code); `expired` when the message expired before it could be delivered. The acknowledgements
-- the receiver sends back are recorded in `ack_*`: `received`, then `accepted` or `refused`.
CREATE TABLE exchange_outbox (
    message_id TEXT PRIMARY KEY,
    receiver TEXT NOT NULL,
    message_type TEXT NOT NULL,
    type_version BIGINT NOT NULL CHECK (type_version >= 1),
    body BYTEA NOT NULL,
    created_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL CHECK (expires_at > created_at),
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'refused', 'expired')),
    attempts BIGINT NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    delivered_at BIGINT,
    ack_received_at BIGINT,
    ack_status TEXT CHECK (ack_status IN ('accepted', 'refused')),
    ack_reason TEXT,
    ack_at BIGINT
);

CREATE INDEX exchange_outbox_due ON exchange_outbox (state, next_attempt_at);

-- exchange_inbox: every message received and opened, kept at least until it expires, so that a
-- message id seen before is refused as a replay (the primary key decides between two concurrent
-- deliveries). `body` is encrypted at rest (table `exchange_inbox`, column `body`, row
-- `message_id`). `state`: `received` (stored, not yet decided), `pending` (a person decides),
-- `accepted` or `refused`. The flags say whether the `received` and the final acknowledgement
-- were queued in the outbox.
CREATE TABLE exchange_inbox (
    message_id TEXT PRIMARY KEY,
    sender TEXT NOT NULL,
    message_type TEXT NOT NULL,
    type_version BIGINT NOT NULL CHECK (type_version >= 1),
    body BYTEA NOT NULL,
    envelope_sha256 TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    remember_until BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('received', 'pending', 'accepted', 'refused')),
    received_ack_queued BOOLEAN NOT NULL DEFAULT FALSE,
    outcome_ack_queued BOOLEAN NOT NULL DEFAULT FALSE
);
