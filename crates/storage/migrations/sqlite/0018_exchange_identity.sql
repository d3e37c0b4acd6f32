-- Transnational exchange (docs/transnational.md): this instance's identity and key pairs, and the
-- peers pinned in its directory.
--
-- exchange_identity: one row, made on first use: the instance id, its role and endpoint, and the
-- sequence of its published directory entry.
CREATE TABLE exchange_identity (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    instance_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('national_focal_point', 'eu_hub')),
    endpoint TEXT NOT NULL,
    sequence INTEGER NOT NULL CHECK (sequence >= 1),
    created_by TEXT REFERENCES users (id),
    created_at INTEGER NOT NULL
) STRICT;

-- exchange_keys: the instance's own key pairs. The secret is wrapped under the keyring (field
-- encryption, table `exchange_keys`, column `signing_secret` or `encryption_secret`, row
-- `instance_id/key_id`), so a key rotation re-encrypts it with every other field; exactly one of
-- the two secret columns is set, by kind. The public key and key id are public.
CREATE TABLE exchange_keys (
    instance_id TEXT NOT NULL,
    key_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('signing', 'encryption')),
    public_key BLOB NOT NULL CHECK (length(public_key) = 32),
    signing_secret BLOB,
    encryption_secret BLOB,
    valid_from INTEGER NOT NULL,
    valid_until INTEGER,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (instance_id, key_id),
    CHECK ((kind = 'signing') = (signing_secret IS NOT NULL)),
    CHECK ((kind = 'encryption') = (encryption_secret IS NOT NULL)),
    CHECK (valid_until IS NULL OR valid_until > valid_from)
) STRICT;

-- exchange_peers: the pinned directory. `record` is the pin as haven-exchange stores it (the
-- peer's signed entry, the pin record with the local revocations, the operator's
-- counter-signature), checked whole when the directory is loaded; `revocations` repeats the
-- local revocations (JSON list of {key_id, revoked_at}) for reading without the crate.
CREATE TABLE exchange_peers (
    instance_id TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('national_focal_point', 'eu_hub')),
    record TEXT NOT NULL,
    revocations TEXT NOT NULL,
    pinned_at INTEGER NOT NULL,
    pinned_by TEXT REFERENCES users (id),
    updated_at INTEGER NOT NULL
) STRICT;
