-- Identification procedures as national data (SQLite).

-- The procedure a case follows, pinned at referral (the profile's procedure id).
ALTER TABLE registrations ADD COLUMN procedure_id TEXT;
-- A commission's recorded votes (JSON: seat, member, vote), for decisions taken by a commission.
ALTER TABLE decisions ADD COLUMN votes TEXT;

-- Cases referred before procedures were data keep the two-decision procedure they were decided
-- under; their statuses and decisions take the procedure-neutral codes.
UPDATE registrations SET procedure_id = 'legacy_two_stage' WHERE referred_on IS NOT NULL;
UPDATE registrations SET nrm_status = CASE nrm_status
    WHEN 'rg_negative' THEN 'first_decision_negative'
    WHEN 'not_a_victim' THEN 'not_identified'
    WHEN 'rg_reconsideration' THEN 'first_decision_reconsideration'
    WHEN 'cg_reconsideration' THEN 'final_decision_reconsideration'
    ELSE nrm_status END;
-- Assistance starts with the referral (Dir 2011/36 Art 11(2)).
UPDATE registrations SET assistance_since = referred_on WHERE referred_on IS NOT NULL;

DROP TRIGGER decisions_no_update;
UPDATE decisions SET kind = CASE kind
    WHEN 'reasonable_grounds_positive' THEN 'first_decision_positive'
    WHEN 'reasonable_grounds_negative' THEN 'first_decision_negative'
    WHEN 'conclusive_grounds_positive' THEN 'final_decision_positive'
    WHEN 'conclusive_grounds_negative' THEN 'final_decision_negative'
    ELSE kind END;
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are immutable'); END;
