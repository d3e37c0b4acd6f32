-- Persons maintained as registrations are referred: each referred registration's person id
-- (`P000000001`, ...), written right after the registration by the incremental clustering and
-- replaced as a whole by a full re-link. `basis` is the keyed MAC of the model the assignment
-- was made with (as linkage_index.basis).
CREATE TABLE person_clusters (
    case_id TEXT PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    person_id TEXT NOT NULL,
    basis BLOB NOT NULL,
    assigned_at INTEGER NOT NULL
) STRICT;
CREATE INDEX person_clusters_by_person ON person_clusters (person_id);

-- A person id that disappeared (its registrations joined another person) and the person it
-- went to, so that an id once shown can still be followed to its survivor.
CREATE TABLE person_merges (
    person_id TEXT PRIMARY KEY,
    merged_into TEXT NOT NULL,
    merged_at INTEGER NOT NULL,
    cause TEXT NOT NULL CHECK (cause IN ('registration', 'relink'))
) STRICT;

-- Two registrations a reviewer answered are different persons: clustering never puts them in
-- one person. Stored once per pair, the smaller case id first.
CREATE TABLE person_cannot_links (
    case_id_a TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    case_id_b TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    recorded_by TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    PRIMARY KEY (case_id_a, case_id_b),
    CHECK (case_id_a < case_id_b)
) STRICT;
CREATE INDEX person_cannot_links_by_b ON person_cannot_links (case_id_b);

-- Background jobs of person linkage (a full re-link after a model change), with progress.
CREATE TABLE linkage_jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('relink')),
    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    basis BLOB NOT NULL,
    done INTEGER NOT NULL,
    total INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    started_by TEXT,
    detail TEXT
) STRICT;
CREATE INDEX linkage_jobs_by_start ON linkage_jobs (started_at);
