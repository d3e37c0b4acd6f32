-- Retention (docs/data-protection.md, "Retention schedules", "The daily retention job, legal
-- holds and the grace period"): the records the daily job listed as due under their schedule,
-- the data protection officer's legal holds, the days cases were closed, and the officer's
-- completions of the record of processing and the impact assessment.

-- One row per record the job listed as due (or found running with a known due day). `state`:
-- `listed` (due, in its grace period or ready), `held` (a legal hold stands), `review` (on the
-- officer's list), `kept` (the officer decided to keep it for another period, `due_on` moved),
-- `anonymised` or `erased` (done). No foreign key to the record: it may be erased.
CREATE TABLE retention_items (
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    case_id TEXT,
    organisation_id TEXT,
    runs_from TEXT NOT NULL,
    from_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('erase', 'anonymise', 'review')),
    listed_on TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('listed', 'held', 'review', 'kept', 'anonymised', 'erased')),
    decided_by TEXT REFERENCES users (id),
    decided_at INTEGER,
    note TEXT,
    PRIMARY KEY (record_kind, record_id)
) STRICT;
CREATE INDEX retention_items_state ON retention_items (jurisdiction, state, due_on);

-- A legal hold on one record (litigation, an open case), with the officer's reason; released
-- with a reason. While a hold stands (`released_at IS NULL`) the record is never erased or
-- anonymised: the job checks it in the same transaction as it acts.
CREATE TABLE retention_holds (
    id TEXT PRIMARY KEY,
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    reason TEXT NOT NULL,
    placed_by TEXT NOT NULL REFERENCES users (id),
    placed_at INTEGER NOT NULL,
    released_by TEXT REFERENCES users (id),
    released_at INTEGER,
    release_reason TEXT
) STRICT;
CREATE INDEX retention_holds_record ON retention_holds (record_kind, record_id, released_at);

-- The day a case was closed, which schedules running from closure count from.
CREATE TABLE case_closures (
    case_id TEXT PRIMARY KEY REFERENCES cases (id),
    closed_on TEXT NOT NULL,
    closed_by TEXT NOT NULL REFERENCES users (id),
    closed_at INTEGER NOT NULL
) STRICT;

-- The officer's completions of the record of processing (Reg 2016/679 Art 30) and the impact
-- assessment (Reg 2016/679 Art 35), one text per field (`controller`, `risk.<risk>.<part>` ...).
CREATE TABLE processing_record_completions (
    jurisdiction TEXT NOT NULL,
    field TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (jurisdiction, field)
) STRICT;
