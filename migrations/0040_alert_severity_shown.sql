-- Alert messages and their "Now N events" replies kept no severity before this migration: a growth
-- that makes an alert more severe than its thread last showed says so (and calls the responders)
-- only when that is known. An earlier release updated each message at every growth, so a message
-- it posted shows its alert's severity now: what its post, its replies and a reply still waiting
-- record. (Sent items leave the outbox after 30 days: an alert's thread is not told of a rise
-- after that, as before.)
UPDATE outbox
SET data = json_set(coalesce(data, '{}'), '$.severity', (
  SELECT a.severity FROM alerts a
  WHERE a.id = CAST(substr(outbox.ref, length(outbox.org_id) + 8) AS INTEGER)
    AND outbox.ref = 'alert:' || a.org_id || ':' || a.id
))
WHERE kind IN ('alert', 'alert-grew') AND org_id IS NOT NULL
  AND json_extract(coalesce(data, '{}'), '$.severity') IS NULL
  AND EXISTS (
    SELECT 1 FROM alerts a
    WHERE a.id = CAST(substr(outbox.ref, length(outbox.org_id) + 8) AS INTEGER)
      AND outbox.ref = 'alert:' || a.org_id || ':' || a.id
  );

UPDATE outbox SET data = json_set(data, '$.shown', json_extract(data, '$.severity'))
WHERE kind = 'alert-grew' AND state = 'pending'
  AND json_extract(data, '$.shown') IS NULL AND json_extract(data, '$.severity') IS NOT NULL;
