-- The transposition tracker (docs/monitoring.md): national measures notified, the Commission's
-- assessments and infringement steps, per Member State and directive. The instruments, their
-- articles and who is bound are reference data (reference/instrument*.csv), not stored here.
--
-- One row per record, its record as JSON (`body`, no person in it) beside the columns it is
-- looked up by. `kind` is `measure`, `assessment` or `infringement_step`; `country` is the
-- Member State the record is about; `jurisdiction` is whose record it is, as the access module
-- asks (authorize_monitoring): the state for its measures, EU for what the EU level records.
-- `recorded_by` is the user, or `operator` for reference data loaded from the command line.
-- Records are kept, never changed: a later assessment or step is a new row.
CREATE TABLE transposition_records (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    country TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    instrument TEXT NOT NULL,
    day TEXT NOT NULL,
    body TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at INTEGER NOT NULL
) STRICT;
CREATE INDEX transposition_records_country ON transposition_records (country, instrument, day);
