-- An alert whose title counts its person's calls in a window (mcp-burst's minutes, the hour of
-- mcp-volume-spike and of an mcp-api-token spike) is about every call it counts, not only the
-- calls that were findings (see detect/live-sink.ts). Those raised before are linked now to what
-- is still stored of them: the person's MCP calls from the window before its first finding up to
-- its last (of a burst whose middle was stored late, the calls after its last finding that the
-- busiest window counted are not). Each join starts from the few alerts of these rules (CROSS
-- JOIN keeps that order) and seeks the person's calls by time: never a scan of every event.
INSERT OR IGNORE INTO alert_events (org_id, alert_id, event_seq)
SELECT a.org_id, a.id, e.seq FROM alerts a
CROSS JOIN event_rows e INDEXED BY event_rows_mcp_user
WHERE a.user_id IS NOT NULL
  AND (a.rule_id IN ('mcp-burst', 'mcp-volume-spike')
    OR (a.rule_id = 'mcp-api-token' AND json_type(a.detail, '$.calls') = 'integer'))
  AND e.org = (SELECT ref FROM strings WHERE value = a.org_id)
  AND e.user_id = (SELECT ref FROM strings WHERE value = a.user_id)
  AND e.is_mcp = 1
  AND e.time > a.first_seen - (CASE a.rule_id
    WHEN 'mcp-burst' THEN coalesce(json_extract(a.detail, '$.windowMinutes'), 10) * 60000
    ELSE 3600000 END)
  AND e.time <= a.last_seen;
