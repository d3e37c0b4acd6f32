-- Key rotation re-encrypts decision reasons under a new field key: a decision stays immutable in
-- every column but its encrypted reasons, which may be replaced by another ciphertext (bound by
-- its associated data to the same decision, so only a holder of the data keys can make one that
-- reads). Reasons are never added to nor removed from a decision.
CREATE OR REPLACE FUNCTION decisions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND (to_jsonb(OLD) - 'reasons') = (to_jsonb(NEW) - 'reasons')
       AND OLD.reasons IS NOT NULL AND NEW.reasons IS NOT NULL THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'decisions are immutable';
END; $$;
