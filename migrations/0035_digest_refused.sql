-- Why Slack refused a digest for good (or the `digest --post` that made it stopped on a setup
-- problem of its own): such a digest is settled, never queued again at a later start.
ALTER TABLE digests ADD COLUMN refused TEXT;
