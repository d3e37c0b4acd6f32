-- Clerical review of person linkage (the data officer's queue).
--
-- Answers about pairs of registrations: same, different or unsure, who answered and when. Kept
-- as labels (every answer, the later one about a pair counting); a "different" is also a
-- cannot-link of person_cannot_links. The smaller case id first.
CREATE TABLE person_review_answers (
    id TEXT PRIMARY KEY,
    jurisdiction TEXT NOT NULL,
    case_id_a TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    case_id_b TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    answer TEXT NOT NULL CHECK (answer IN ('same', 'different', 'unsure')),
    -- why the pair was asked: 'uncertain', 'merge_refused' or 'joined_through_others'
    question TEXT NOT NULL,
    -- the pair's match weight under the model in use when it was asked, in millionths of a bit
    weight_micro BIGINT NOT NULL,
    answered_by TEXT NOT NULL,
    answered_at BIGINT NOT NULL,
    CHECK (case_id_a < case_id_b)
);
CREATE INDEX person_review_answers_by_pair ON person_review_answers (jurisdiction, case_id_a, case_id_b);

-- The candidate pairs of a jurisdiction as the model in use scored them: case ids, match weight,
-- comparison pattern and blocking rules, never a value of a person. The queue is picked from
-- these, so that showing a pair decrypts only its two records. Replaced whole when the pairs
-- are scored again (a new model, or the data officer asks).
CREATE TABLE person_review_pairs (
    jurisdiction TEXT NOT NULL,
    case_id_a TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    case_id_b TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    -- match weight in millionths of a bit
    weight_micro BIGINT NOT NULL,
    pattern BIGINT NOT NULL,
    rules BIGINT NOT NULL,
    -- the version of person_models that scored it, 0 for the built-in model
    model_version BIGINT NOT NULL,
    scored_at BIGINT NOT NULL,
    PRIMARY KEY (jurisdiction, case_id_a, case_id_b),
    CHECK (case_id_a < case_id_b)
);

-- The instance's person model, re-trained from its own records and the answers: the model file
-- (TOML), what it was trained on, the threshold before and after calibration and the model's
-- warnings. The latest version is the one the platform uses; earlier ones stay for the record.
CREATE TABLE person_models (
    version BIGINT PRIMARY KEY,
    jurisdiction TEXT NOT NULL,
    model TEXT NOT NULL,
    basis TEXT NOT NULL,
    -- the cluster threshold (a probability) in billionths
    threshold_before_nano BIGINT NOT NULL,
    threshold_after_nano BIGINT NOT NULL,
    warnings TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
