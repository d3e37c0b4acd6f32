-- The keyed candidate index of person linkage: each case's blocking keys are rows of
-- identifier_index (kind 'block'), so a registration's possible duplicates are found without
-- reading the register. This row says what the stored keys were made with (a keyed MAC of the
-- model and the engine's keys of a probe person); when it differs, the keys are rebuilt.
CREATE TABLE linkage_index (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    basis BYTEA NOT NULL,
    cases BIGINT NOT NULL,
    built_at BIGINT NOT NULL
);
