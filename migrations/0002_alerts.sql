-- Alerts raised by the detection rules. One row per group: a rule's findings about one person
-- within the grouping window share a row, with a count, a span and the distinct tools.
CREATE TABLE alerts (
  id                INTEGER PRIMARY KEY,
  org_id            TEXT    NOT NULL,
  rule_id           TEXT    NOT NULL,
  severity          TEXT    NOT NULL,              -- info | low | medium | high
  status            TEXT    NOT NULL DEFAULT 'open',  -- open | acknowledged | expected | true_positive
  group_key         TEXT    NOT NULL,
  title             TEXT    NOT NULL,
  detail            TEXT    NOT NULL,              -- JSON: the first finding's facts
  user_id           TEXT,
  user_name         TEXT,
  user_email        TEXT,
  auth_kind         TEXT    NOT NULL,
  first_event_seq   INTEGER NOT NULL,
  last_event_seq    INTEGER NOT NULL,
  first_seen        INTEGER NOT NULL,              -- epoch ms of the earliest event
  last_seen         INTEGER NOT NULL,
  event_count       INTEGER NOT NULL,
  tools             TEXT    NOT NULL DEFAULT '[]', -- JSON array of distinct tools
  late              INTEGER NOT NULL DEFAULT 0,    -- an event arrived over an hour after it happened
  suppressed_by     TEXT,                          -- the suppression's reason; such alerts are never posted
  notify            INTEGER NOT NULL,              -- 1: post to Slack (severity >= minSeverity, not suppressed)
  revision          INTEGER NOT NULL DEFAULT 1,    -- grows with the group, so its message can be updated
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);

CREATE INDEX alerts_group ON alerts (org_id, group_key, last_seen);
CREATE INDEX alerts_status ON alerts (org_id, status, created_at);
CREATE INDEX alerts_user ON alerts (org_id, user_id, created_at);

-- Which events each alert is about.
CREATE TABLE alert_events (
  org_id            TEXT    NOT NULL,
  alert_id          INTEGER NOT NULL REFERENCES alerts (id),
  event_seq         INTEGER NOT NULL,
  PRIMARY KEY (alert_id, event_seq)
) WITHOUT ROWID;

-- How far the rules have read the events table: moved in the transaction that writes the alerts.
CREATE TABLE detection_state (
  org_id            TEXT    PRIMARY KEY,
  last_seq          INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);
