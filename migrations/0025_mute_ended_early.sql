-- Mutes an earlier release ended early (a person's "not me", Undo mute, a reopen) by moving their
-- end to that moment, before it recorded when (0021's ended_at): their end is when they were
-- ended, so a call made while one ran but read after is no longer kept quiet by it. A mute ended
-- early is one whose end comes before the time its reason says it was set for.

UPDATE mutes SET ended_at = until
WHERE ended_at IS NULL AND until < created_at - 60000 + (
  CASE
    WHEN reason LIKE 'snoozed for % h%' THEN CAST(substr(reason, 13) AS INTEGER) * 3600000
    WHEN reason LIKE '%muted for 30 days%' THEN 30 * 86400000
    WHEN reason LIKE '%muted for 7 days%' THEN 7 * 86400000
  END);
