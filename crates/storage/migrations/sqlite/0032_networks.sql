-- Networks and platforms (docs/monitoring.md, "Networks"): the EU's networks and a country's
-- coordination mechanisms, their meetings (agenda, minutes and actions arising, as JSON in
-- `body`) and their contact persons.
--
-- `networks` and `network_meetings` have the shape of every monitoring record
-- (haven_storage::MonitoringRecordRow): `parent_id` is what the record belongs to (for a
-- meeting its network; for a network its kind), `jurisdiction` whose record it is (a country
-- code, or EU), `updated_at` the version a change is made on. No person in `body`.
CREATE TABLE networks (
    id TEXT PRIMARY KEY,
    parent_id TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX networks_jurisdiction ON networks (jurisdiction);

CREATE TABLE network_meetings (
    id TEXT PRIMARY KEY,
    parent_id TEXT NOT NULL REFERENCES networks (id),
    jurisdiction TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX network_meetings_parent ON network_meetings (parent_id);

-- A network's contact persons: name and e-mail encrypted per field (table, column and row bound
-- to the ciphertext), the purpose they are kept for and the last day they are kept
-- (`retain_until`, YYYY-MM-DD); the sweep deletes those past it.
CREATE TABLE network_contacts (
    id TEXT PRIMARY KEY,
    network_id TEXT NOT NULL REFERENCES networks (id),
    jurisdiction TEXT NOT NULL,
    name BLOB NOT NULL,
    email BLOB NOT NULL,
    organisation TEXT NOT NULL,
    purpose TEXT NOT NULL,
    retain_until TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX network_contacts_network ON network_contacts (network_id);
CREATE INDEX network_contacts_retain_until ON network_contacts (retain_until);
