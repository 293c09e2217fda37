-- Alerts of mcp-canary, mcp-posture-drift, mcp-not-me and mcp-hidden-by-mute are never quieted
-- now (a canary read is a likely incident, a posture contradiction is fixed in the rules file, a
-- person's "not me" is theirs): the mutes and suppressions earlier releases' buttons set on them
-- end, each suppression said in the trail of the alert it was added from.

INSERT INTO alert_trail (org_id, alert_id, at, actor, from_status, to_status, note)
SELECT s.org_id, s.alert_id, CAST(strftime('%s', 'now') AS INTEGER) * 1000, 'system', a.status,
  a.status, 'removed suppression ' || s.id || ' of ' || s.rule_id
    || ' alerts about this person: alerts of this rule are never quieted now'
FROM suppressions s JOIN alerts a ON a.id = s.alert_id
WHERE s.removed_at IS NULL
  AND s.rule_id IN ('mcp-canary', 'mcp-posture-drift', 'mcp-not-me', 'mcp-hidden-by-mute');

UPDATE suppressions SET removed_by = 'system', removed_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000
WHERE removed_at IS NULL
  AND rule_id IN ('mcp-canary', 'mcp-posture-drift', 'mcp-not-me', 'mcp-hidden-by-mute');

UPDATE mutes SET until = CAST(strftime('%s', 'now') AS INTEGER) * 1000,
  ended_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000
WHERE until > CAST(strftime('%s', 'now') AS INTEGER) * 1000
  AND rule_id IN ('mcp-canary', 'mcp-posture-drift', 'mcp-not-me', 'mcp-hidden-by-mute');
