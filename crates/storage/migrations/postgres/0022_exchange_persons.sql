-- Persons counted once across borders (docs/transnational.md, "Persons counted once across
-- borders"): a country's identified persons sent to the EU hub as Bloom-filter encodings
-- (`person_encodings`), never names, dates or documents.

-- person_linkage_secrets (in a country): the secret the focal points share, from which the
-- encoding keys are derived; encrypted under the instance's keys (field context
-- person_linkage_secrets/secret/<generation>). The hub never holds it.
CREATE TABLE person_linkage_secrets (
    generation TEXT PRIMARY KEY,
    secret BYTEA NOT NULL,
    created_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL
);

-- person_encodings_received (at the EU hub): the latest encodings of each country and reference
-- year, the filters concatenated and encrypted (field context
-- person_encodings_received/encodings/<country>/<year>); the schema as JSON (no secret).
CREATE TABLE person_encodings_received (
    country TEXT NOT NULL,
    year BIGINT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    sender TEXT NOT NULL,
    secret_generation TEXT NOT NULL,
    encoded_bits BIGINT NOT NULL,
    schema TEXT NOT NULL,
    persons BIGINT NOT NULL CHECK (persons >= 0),
    encodings BYTEA NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (country, year)
);
