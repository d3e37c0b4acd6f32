-- A running re-link job's process writes the time into heartbeat_at every few seconds. A second
-- process starting up (two application servers on one database) leaves a job whose heartbeat is
-- fresh alone and fails only a job whose heartbeat stopped: its process is gone.
ALTER TABLE linkage_jobs ADD COLUMN heartbeat_at INTEGER;
