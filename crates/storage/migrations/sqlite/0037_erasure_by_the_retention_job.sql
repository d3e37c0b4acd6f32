-- A registration erased by the retention job has no user who erased it: erased_by is empty then.
CREATE TABLE case_erasures_new (
    case_id TEXT PRIMARY KEY REFERENCES cases (id),
    erased_at INTEGER NOT NULL,
    erased_by TEXT REFERENCES users (id)
) STRICT;
INSERT INTO case_erasures_new (case_id, erased_at, erased_by) SELECT case_id, erased_at, erased_by FROM case_erasures;
DROP TABLE case_erasures;
ALTER TABLE case_erasures_new RENAME TO case_erasures;
