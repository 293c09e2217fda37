-- An alert's title grows with its group ("Ada made 40 calls", then 900): each journaled change
-- keeps the title as it was just after it, so an exported record says what the alert was then.
-- Changes journaled before this file keep none and are sent with the alert's title as it is.

ALTER TABLE alert_changes ADD COLUMN title TEXT;

DROP TRIGGER alerts_exported_insert;
CREATE TRIGGER alerts_exported_insert AFTER INSERT ON alerts BEGIN
  INSERT INTO alert_changes (org_id, alert_id, at, change, rule_id, status, severity, actor, title)
  VALUES (NEW.org_id, NEW.id, NEW.created_at, 'raised', NEW.rule_id, NEW.status, NEW.severity,
    NULL, NEW.title);
END;

DROP TRIGGER alerts_exported_severity;
CREATE TRIGGER alerts_exported_severity AFTER UPDATE OF severity ON alerts
WHEN OLD.severity != NEW.severity BEGIN
  INSERT INTO alert_changes (org_id, alert_id, at, change, rule_id, status, severity, actor, title)
  VALUES (NEW.org_id, NEW.id, NEW.updated_at, 'severity', NEW.rule_id, NEW.status, NEW.severity,
    NULL, NEW.title);
END;

DROP TRIGGER alert_trail_exported;
CREATE TRIGGER alert_trail_exported AFTER INSERT ON alert_trail
WHEN NEW.from_status != NEW.to_status BEGIN
  INSERT INTO alert_changes (org_id, alert_id, at, change, rule_id, status, severity, actor, title)
  SELECT NEW.org_id, NEW.alert_id, NEW.at, 'status', a.rule_id, NEW.to_status, a.severity,
    nullif(NEW.actor, 'system'), a.title
  FROM alerts a WHERE a.id = NEW.alert_id;
END;
