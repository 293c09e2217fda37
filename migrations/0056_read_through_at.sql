-- When the last poll that read the organization's audit log to its end began (epoch ms), by any
-- process: retention holds back the history of what was not read since, and a restart is no
-- outage (a quiet organization's newest event may be days old). Unknown before this migration:
-- the next poll that reads to the end sets it.
ALTER TABLE poll_state ADD COLUMN read_through_at INTEGER;
