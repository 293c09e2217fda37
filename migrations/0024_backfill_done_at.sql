-- When the first poll read the history to its end: a digest whose time passed before then was not
-- posted (the history's summary takes its place), and a restart must not post it late. Set by the
-- store the first time the state is saved done. For a backfill done before this migration, the
-- history summary was made within a minute of it; without one, the first start stands in.

ALTER TABLE poll_state ADD COLUMN backfill_done_at INTEGER;
UPDATE poll_state SET backfill_done_at = COALESCE(
  (SELECT MIN(d.created_at) FROM digests d WHERE d.org_id = poll_state.org_id AND d.kind = 'backfill'),
  backfill_until, updated_at)
WHERE backfill_done = 1;
