-- Crypto-shredding (docs/data-protection.md, "Erasure by crypto-shredding"; docs/keys.md).
--
-- The key store: one key per registration (the data subject's key), wrapped by the keyring's
-- subject-wrapping key. `haven backup` never carries this table (it is not in the backup's
-- tables); `haven keys backup-subjects` writes it apart. Erasing a registration destroys its key:
-- the row stays as a tombstone (no key, the time of destruction), so no restore of an older
-- key-store backup can bring the key back while this database or a newer key-store backup holds
-- the tombstone.
CREATE TABLE subject_keys (
    id BIGSERIAL PRIMARY KEY,
    case_id TEXT NOT NULL UNIQUE,
    wrapping_key_id BIGINT,
    wrapped BYTEA,
    created_at BIGINT NOT NULL,
    destroyed_at BIGINT,
    CHECK ((wrapped IS NULL) = (destroyed_at IS NOT NULL)),
    CHECK ((wrapped IS NULL) = (wrapping_key_id IS NULL))
);

-- A tombstone is final: it is never given a key again, nor removed.
CREATE FUNCTION subject_keys_tombstone_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.destroyed_at IS NOT NULL THEN
        RAISE EXCEPTION 'a destroyed subject key stays destroyed';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END; $$;
CREATE TRIGGER subject_keys_tombstone_kept BEFORE UPDATE OR DELETE ON subject_keys
FOR EACH ROW EXECUTE FUNCTION subject_keys_tombstone_kept();

-- That a registration was erased, when and by whom; no content. In the data backup: a key-store
-- restore never gives a key to a case erased here.
CREATE TABLE case_erasures (
    case_id TEXT PRIMARY KEY REFERENCES cases (id),
    erased_at BIGINT NOT NULL,
    erased_by TEXT NOT NULL REFERENCES users (id)
);
