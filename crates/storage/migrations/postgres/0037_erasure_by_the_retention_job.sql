-- A registration erased by the retention job has no user who erased it: erased_by is empty then.
ALTER TABLE case_erasures ALTER COLUMN erased_by DROP NOT NULL;
