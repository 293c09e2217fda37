-- Export to a SIEM (src/export/): what is sent is read from a position per organization and
-- stream, through indexes, never by a scan.
--
-- 1. MCP events in the order they were stored: (org, seq) of the MCP rows.
-- 2. Alert changes: a journal written by triggers, so that every change is kept as it was when it
--    happened (the alert raised, its status changed by a person, its severity changed), in order.
-- 3. The positions, moved only after the receiver answered 2xx, and the stop a refusal (a 4xx
--    other than 429) leaves, kept until the configuration changes or an operator resumes.

CREATE INDEX event_rows_mcp_seq ON event_rows (org, seq) WHERE is_mcp = 1;

CREATE TABLE alert_changes (
  id                  INTEGER PRIMARY KEY,           -- the order of the changes
  org_id              TEXT    NOT NULL,
  alert_id            INTEGER NOT NULL,
  at                  INTEGER NOT NULL,              -- epoch ms of the change
  change              TEXT    NOT NULL,              -- raised | status | severity
  rule_id             TEXT    NOT NULL,
  status              TEXT    NOT NULL,              -- the status after the change
  severity            TEXT    NOT NULL,              -- the severity after the change
  actor               TEXT                           -- who changed it (Slack user id); NULL: the bot
) STRICT;

CREATE INDEX alert_changes_org ON alert_changes (org_id, id);
CREATE INDEX alert_changes_at ON alert_changes (org_id, at);

-- The alerts and status changes stored before this file, in the order they happened.
INSERT INTO alert_changes (org_id, alert_id, at, change, rule_id, status, severity, actor)
SELECT org_id, alert_id, at, change, rule_id, status, severity, actor FROM (
  SELECT a.org_id, a.id AS alert_id, a.created_at AS at, 'raised' AS change, a.rule_id,
    coalesce((SELECT t.from_status FROM alert_trail t
              WHERE t.alert_id = a.id AND t.from_status != t.to_status ORDER BY t.id LIMIT 1),
             a.status) AS status,
    a.severity, NULL AS actor, 0 AS ord, a.id AS k
  FROM alerts a
  UNION ALL
  SELECT t.org_id, t.alert_id, t.at, 'status', a.rule_id, t.to_status, a.severity,
    nullif(t.actor, 'system'), 1, t.id
  FROM alert_trail t JOIN alerts a ON a.id = t.alert_id
  WHERE t.from_status != t.to_status
) ORDER BY at, ord, k;

CREATE TRIGGER alerts_exported_insert AFTER INSERT ON alerts BEGIN
  INSERT INTO alert_changes (org_id, alert_id, at, change, rule_id, status, severity, actor)
  VALUES (NEW.org_id, NEW.id, NEW.created_at, 'raised', NEW.rule_id, NEW.status, NEW.severity, NULL);
END;

CREATE TRIGGER alerts_exported_severity AFTER UPDATE OF severity ON alerts
WHEN OLD.severity != NEW.severity BEGIN
  INSERT INTO alert_changes (org_id, alert_id, at, change, rule_id, status, severity, actor)
  VALUES (NEW.org_id, NEW.id, NEW.updated_at, 'severity', NEW.rule_id, NEW.status, NEW.severity, NULL);
END;

CREATE TRIGGER alert_trail_exported AFTER INSERT ON alert_trail
WHEN NEW.from_status != NEW.to_status BEGIN
  INSERT INTO alert_changes (org_id, alert_id, at, change, rule_id, status, severity, actor)
  SELECT NEW.org_id, NEW.alert_id, NEW.at, 'status', a.rule_id, NEW.to_status, a.severity,
    nullif(NEW.actor, 'system')
  FROM alerts a WHERE a.id = NEW.alert_id;
END;

-- How far each organization's streams were delivered: the last seq (mcp_event) or alert
-- change id (alert) the receiver acknowledged.
CREATE TABLE export_positions (
  org_id              TEXT    NOT NULL,
  stream              TEXT    NOT NULL,              -- mcp_event | alert
  position            INTEGER NOT NULL,
  delivered_at        INTEGER NOT NULL,              -- epoch ms of the 2xx
  PRIMARY KEY (org_id, stream)
) STRICT, WITHOUT ROWID;

-- The export stopped by a refusal: for which receiver (a fingerprint of EXPORT_URL and
-- EXPORT_SECRET, never the secret), when and why. One row at most.
CREATE TABLE export_stop (
  id                  INTEGER PRIMARY KEY CHECK (id = 1),
  target              TEXT    NOT NULL,
  at                  INTEGER NOT NULL,
  reason              TEXT    NOT NULL
) STRICT;
