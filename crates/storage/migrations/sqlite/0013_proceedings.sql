-- Criminal proceedings (the proceedings compartment): investigations, the victims linked to
-- them, suspects, their charges, prosecution decisions, judgments and appeals, and the
-- non-punishment notices. Who may read them is decided by the access module
-- (authorize_investigation): the investigating unit and the competent prosecutor's office.
--
-- Encrypted per field (ciphertext): the investigation's record (reference, offences,
-- places, report, summary), a suspect's name, the body of charges, decisions, judgments and
-- appeals, and the reasons of a decision on a notice. Plain: what the access rules and the
-- statistics need (organisations, country, status, dates, coded values).

CREATE TABLE investigations (
    id TEXT PRIMARY KEY,
    jurisdiction TEXT NOT NULL,
    unit_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    prosecutor_organisation_id TEXT REFERENCES organisations (id),
    opened_on TEXT NOT NULL,
    opening TEXT NOT NULL CHECK (opening IN ('ex_officio', 'report')),
    status TEXT NOT NULL,
    status_since TEXT NOT NULL,
    record BLOB NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX investigations_unit ON investigations (jurisdiction, unit_organisation_id);
CREATE INDEX investigations_prosecutor ON investigations (jurisdiction, prosecutor_organisation_id);

-- A victim linked by the id of the case in identification: a link, never a copy.
CREATE TABLE investigation_victims (
    investigation_id TEXT NOT NULL REFERENCES investigations (id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    linked_on TEXT NOT NULL,
    linked_by TEXT NOT NULL REFERENCES users (id),
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (investigation_id, case_id)
) STRICT;
CREATE INDEX investigation_victims_case ON investigation_victims (case_id);

CREATE TABLE suspects (
    id TEXT PRIMARY KEY,
    investigation_id TEXT NOT NULL REFERENCES investigations (id),
    kind TEXT NOT NULL CHECK (kind IN ('natural', 'legal')),
    name BLOB NOT NULL,
    -- the same person's case in identification, when registered there (a link)
    case_id TEXT REFERENCES cases (id),
    roles TEXT NOT NULL,
    criminal_organisation INTEGER NOT NULL,
    public_official INTEGER NOT NULL,
    citizenship TEXT,
    sex TEXT,
    age_group TEXT,
    liability TEXT,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX suspects_investigation ON suspects (investigation_id);
CREATE INDEX suspects_case ON suspects (case_id);

-- Charges, prosecution decisions, judgments and appeals: immutable records of one suspect.
CREATE TABLE proceedings_records (
    id TEXT PRIMARY KEY,
    investigation_id TEXT NOT NULL REFERENCES investigations (id),
    suspect_id TEXT NOT NULL REFERENCES suspects (id),
    kind TEXT NOT NULL CHECK (kind IN ('charge', 'prosecution_decision', 'judgment', 'appeal')),
    body BLOB NOT NULL,
    recorded_on TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX proceedings_records_investigation ON proceedings_records (investigation_id, suspect_id, kind);

-- Dir 2011/36 Art 8; CETS 197 Art 26: raised when a registered, presumed or identified victim
-- becomes a suspect; the prosecutor's decision recorded once.
CREATE TABLE non_punishment_notices (
    id TEXT PRIMARY KEY,
    investigation_id TEXT NOT NULL REFERENCES investigations (id),
    suspect_id TEXT NOT NULL REFERENCES suspects (id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    standing TEXT NOT NULL CHECK (standing IN ('registered', 'presumed', 'identified')),
    path TEXT NOT NULL CHECK (path IN ('new_suspect', 'linked_person', 'import')),
    raised_on TEXT NOT NULL,
    outcome TEXT CHECK (outcome IN ('not_prosecuted', 'no_penalty_sought', 'not_compelled')),
    reasons BLOB,
    decided_by TEXT REFERENCES users (id),
    decided_on TEXT,
    CHECK ((outcome IS NULL) = (reasons IS NULL) AND (outcome IS NULL) = (decided_by IS NULL)
        AND (outcome IS NULL) = (decided_on IS NULL))
) STRICT;
CREATE INDEX non_punishment_notices_investigation ON non_punishment_notices (investigation_id, suspect_id);
