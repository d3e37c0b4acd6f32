-- The rapporteur's annual report (docs/monitoring.md, "The annual report"; Dir 2011/36 Art 19):
-- one per jurisdiction (a country code, or EU at the hub) and year. The figures are assembled
-- from the platform when the report is read; what is stored is the report's own: its status,
-- who finalised it and when, and the rapporteur's narrative sections (`narrative`: the ordered
-- sections as JSON, encrypted per field with the row id bound, as every free text is).
CREATE TABLE annual_reports (
    id TEXT PRIMARY KEY,
    jurisdiction TEXT NOT NULL,
    year INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'final')),
    narrative BLOB NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at INTEGER NOT NULL,
    finalised_by TEXT REFERENCES users (id),
    finalised_at INTEGER,
    UNIQUE (jurisdiction, year)
) STRICT;
