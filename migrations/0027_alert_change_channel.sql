-- Whether an alert was raised for the channel, and what kept it out of Slack, kept on the change
-- as it was then: read from the alert as it is now, a `raised` record sent late (the receiver was
-- down) said "for the channel" of an alert raised for the digest that grew into the channel since,
-- and the SIEM that had it on time was never told it reached the channel. Now the `raised` change
-- keeps both, and an alert that grows into the channel journals a `channel` change.
--
-- Changes journaled before this file: a `raised` change gets the alert's values as they are now,
-- as an earlier release sent them (exact, unless the alert grew into the channel since, which
-- nothing recorded); a growth into the channel before this file journals no `channel` change.

ALTER TABLE alert_changes ADD COLUMN notify INTEGER;      -- raised | channel: 1 for the channel, 0 not
ALTER TABLE alert_changes ADD COLUMN suppressed_by TEXT;  -- raised: what kept it out of Slack

UPDATE alert_changes
SET (notify, suppressed_by) = (SELECT a.notify, a.suppressed_by FROM alerts a WHERE a.id = alert_changes.alert_id)
WHERE change = 'raised';

DROP TRIGGER alerts_exported_insert;
CREATE TRIGGER alerts_exported_insert AFTER INSERT ON alerts BEGIN
  INSERT INTO alert_changes (org_id, alert_id, at, change, rule_id, status, severity, actor, title,
    notify, suppressed_by)
  VALUES (NEW.org_id, NEW.id, NEW.created_at, 'raised', NEW.rule_id, NEW.status, NEW.severity,
    NULL, NEW.title, NEW.notify, NEW.suppressed_by);
END;

-- A growth that raises the severity and puts the alert in the channel at once journals both, in
-- that order (one trigger: the order of two would be SQLite's).
DROP TRIGGER alerts_exported_severity;
CREATE TRIGGER alerts_exported_grown AFTER UPDATE OF severity, notify ON alerts
WHEN OLD.severity != NEW.severity OR (OLD.notify = 0 AND NEW.notify = 1) BEGIN
  INSERT INTO alert_changes (org_id, alert_id, at, change, rule_id, status, severity, actor, title)
  SELECT NEW.org_id, NEW.id, NEW.updated_at, 'severity', NEW.rule_id, NEW.status, NEW.severity,
    NULL, NEW.title
  WHERE OLD.severity != NEW.severity;
  -- In the channel from now on: nothing keeps it out any more.
  INSERT INTO alert_changes (org_id, alert_id, at, change, rule_id, status, severity, actor, title,
    notify, suppressed_by)
  SELECT NEW.org_id, NEW.id, NEW.updated_at, 'channel', NEW.rule_id, NEW.status, NEW.severity,
    NULL, NEW.title, 1, NULL
  WHERE OLD.notify = 0 AND NEW.notify = 1;
END;
