-- A "Not me" alert is about every call of the period the person denied, and an alert raising again
-- what mutes kept quiet about every event of those alerts (see store/alert-links.ts): those raised
-- before are linked now to what is still stored, so that rule: finds them all and retention keeps them.
-- A Not me alert of a release that kept no `accounts` is about its person's account. Each join
-- starts from the few alerts of these rules (CROSS JOIN keeps that order): never a scan of every link.
INSERT OR IGNORE INTO alert_events (org_id, alert_id, event_seq)
SELECT e.org_id, a.id, e.seq FROM alerts a
CROSS JOIN events e
WHERE a.rule_id = 'mcp-not-me'
  AND e.org_id = a.org_id AND e.is_mcp = 1
  AND e.time >= json_extract(a.detail, '$.since') AND e.time < json_extract(a.detail, '$.until')
  AND (CASE WHEN json_type(a.detail, '$.accounts') = 'array'
         THEN e.user_id IN (SELECT value FROM json_each(a.detail, '$.accounts'))
         ELSE e.user_id = a.user_id END);

INSERT OR IGNORE INTO alert_events (org_id, alert_id, event_seq)
SELECT a.org_id, a.id, ae.event_seq FROM alerts a
CROSS JOIN json_each(a.detail, '$.hiddenAlerts') h
CROSS JOIN alert_events ae
WHERE a.rule_id = 'mcp-hidden-by-mute' AND json_type(a.detail, '$.hiddenAlerts') = 'array'
  AND ae.alert_id = h.value AND ae.org_id = a.org_id;
