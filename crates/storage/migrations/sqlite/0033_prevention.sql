-- Prevention and demand reduction (docs/monitoring.md, "Prevention"): awareness campaigns,
-- demand-reduction measures and studies, funded projects under review and research items, one
-- row each with the shape of every monitoring record (haven_storage::MonitoringRecordRow):
-- `parent_id` is the record's kind, `jurisdiction` whose record it is, `body` the record as
-- JSON (no person in it).
CREATE TABLE prevention_records (
    id TEXT PRIMARY KEY,
    parent_id TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX prevention_records_jurisdiction ON prevention_records (jurisdiction, parent_id);
