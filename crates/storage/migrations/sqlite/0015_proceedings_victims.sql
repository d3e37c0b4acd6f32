-- Victims in criminal proceedings (the proceedings compartment): protection measures per
-- linked victim (Dir 2011/36 Arts 12(4), 15(3)-(5); CETS 197 Arts 28, 30), the information
-- given to a linked victim (Dir 2011/36 Art 11 with Dir 2012/29 Art 6; CETS 197 Arts 12(1)(d),
-- 15(1)), and training records (Dir 2011/36 Art 18(3), Art 9(3)). Who may read them is decided by
-- the access module (authorize_investigation, authorize_trainings).
--
-- Encrypted per field (ciphertext): the reasons of a measure, who gave a piece of information and
-- the note of it. Plain: links, coded values and dates. Trainings hold counts and no person.

-- Measures of a victim linked to the investigation (the link's key: a victim not linked has none).
CREATE TABLE protection_measures (
    id TEXT PRIMARY KEY,
    investigation_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    measure TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('applied', 'not_applicable', 'refused_by_victim')),
    recorded_on TEXT NOT NULL,
    reasons BLOB,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at INTEGER NOT NULL,
    FOREIGN KEY (investigation_id, case_id) REFERENCES investigation_victims (investigation_id, case_id)
) STRICT;
CREATE INDEX protection_measures_victim ON protection_measures (investigation_id, case_id);

-- Information given to a victim linked to the investigation.
CREATE TABLE victim_information (
    id TEXT PRIMARY KEY,
    investigation_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    language TEXT NOT NULL,
    given_by BLOB NOT NULL,
    given_on TEXT NOT NULL,
    note BLOB,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at INTEGER NOT NULL,
    FOREIGN KEY (investigation_id, case_id) REFERENCES investigation_victims (investigation_id, case_id)
) STRICT;
CREATE INDEX victim_information_victim ON victim_information (investigation_id, case_id);

-- Trainings given (body: the training as JSON, no person in it).
CREATE TABLE trainings (
    id TEXT PRIMARY KEY,
    jurisdiction TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    starts_on TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX trainings_jurisdiction ON trainings (jurisdiction, starts_on);
