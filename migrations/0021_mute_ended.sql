-- When a mute was ended early (an undo, a reopen, the person's "not me"): a call made while it ran
-- but read after it ended is no longer kept quiet by it.

ALTER TABLE mutes ADD COLUMN ended_at INTEGER;
