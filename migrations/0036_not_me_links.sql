-- A "Not me" alert is about every call of the period the person denied, and an alert raising again
-- what mutes kept quiet about every event of those alerts (see store/alert-links.ts): those raised
-- before are linked now to what is still stored, so that rule: finds them all and retention keeps them.
INSERT OR IGNORE INTO alert_events (org_id, alert_id, event_seq)
SELECT e.org_id, a.id, e.seq FROM alerts a
JOIN events e ON e.org_id = a.org_id AND e.is_mcp = 1
  AND e.time >= json_extract(a.detail, '$.since') AND e.time < json_extract(a.detail, '$.until')
  AND e.user_id IN (SELECT value FROM json_each(a.detail, '$.accounts'))
WHERE a.rule_id = 'mcp-not-me' AND json_type(a.detail, '$.accounts') = 'array';

INSERT OR IGNORE INTO alert_events (org_id, alert_id, event_seq)
SELECT a.org_id, a.id, ae.event_seq FROM alerts a
JOIN json_each(a.detail, '$.hiddenAlerts') h
JOIN alert_events ae ON ae.org_id = a.org_id AND ae.alert_id = h.value
WHERE a.rule_id = 'mcp-hidden-by-mute' AND json_type(a.detail, '$.hiddenAlerts') = 'array';
