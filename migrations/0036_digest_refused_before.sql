-- Digests Slack refused for good before 0035 kept `refused` NULL: settled now, from their failed
-- message while the outbox still holds it, so that no start queues them again once it forgets it.
UPDATE digests SET refused = (
  SELECT coalesce(failure, 'refused') FROM outbox
  WHERE outbox.key = 'digest:' || digests.id AND outbox.state = 'failed'
) WHERE posted_at IS NULL AND refused IS NULL;
