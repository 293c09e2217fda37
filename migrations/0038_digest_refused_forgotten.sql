-- Digests made since the outbox existed (0008) were queued in the transaction that made them. One
-- neither posted nor refused whose message the outbox no longer holds was refused for good or
-- dropped before 0035 kept that, and then forgotten (settled messages are pruned after 30 days;
-- 0036 settled only those still held): settled now, so that no start posts it a month late.
-- Digests made before the outbox were never queued by it: the next start queues them, as before.
UPDATE digests SET refused = 'refused or dropped before migration 0035, its message since pruned from the outbox'
WHERE posted_at IS NULL AND refused IS NULL AND ts IS NULL AND kind NOT LIKE 'ahead-%'
  AND created_at >= (
    SELECT unixepoch(applied_at, 'subsec') * 1000 FROM schema_migrations WHERE version = 8
  )
  AND NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.key = 'digest:' || digests.id);
