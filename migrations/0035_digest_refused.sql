-- Why Slack refused a digest for good (or the `digest --post` that made it stopped on a setup
-- problem of its own): such a digest is settled, never queued again at a later start. Digests
-- refused before are settled now, from their failed message while the outbox still holds it.
ALTER TABLE digests ADD COLUMN refused TEXT;
UPDATE digests SET refused = (
  SELECT coalesce(failure, 'refused') FROM outbox
  WHERE outbox.key = 'digest:' || digests.id AND outbox.state = 'failed'
) WHERE posted_at IS NULL;
