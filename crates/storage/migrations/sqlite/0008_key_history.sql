-- Key rotation re-encrypts decision reasons under a new field key: a decision stays immutable in
-- every column but its encrypted reasons, which may be replaced by another ciphertext (bound by
-- its associated data to the same decision, so only a holder of the data keys can make one that
-- reads).
DROP TRIGGER decisions_no_update;
CREATE TRIGGER decisions_no_update
BEFORE UPDATE OF case_id, seq, kind, decided_on, corrects, decided_by, organisation_id, recorded_at, votes
ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are immutable'); END;
CREATE TRIGGER decisions_reasons_stay
BEFORE UPDATE OF reasons ON decisions
WHEN OLD.reasons IS NULL OR NEW.reasons IS NULL
BEGIN SELECT RAISE(ABORT, 'decisions are immutable'); END;
