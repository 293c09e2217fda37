-- The Slack message of each posted alert. A row with no ts is a post in flight: after a crash
-- the notifier looks for the message (by its metadata) in the channel before posting again.
CREATE TABLE deliveries (
  org_id            TEXT    NOT NULL,
  alert_id          INTEGER NOT NULL REFERENCES alerts (id),
  channel           TEXT    NOT NULL,
  ts                TEXT,
  revision          INTEGER NOT NULL,              -- the alert revision the message shows
  via_summary       INTEGER NOT NULL DEFAULT 0,    -- counted in an overflow summary, not posted alone
  attempted_at      INTEGER NOT NULL,
  delivered_at      INTEGER,
  failure           TEXT,                          -- Slack refused it for good (e.g. invalid_blocks): not retried
  PRIMARY KEY (org_id, alert_id)
);

CREATE INDEX deliveries_pending ON deliveries (org_id, ts);

-- Every status change of an alert: who, when, from what to what. Never updated or deleted.
CREATE TABLE alert_trail (
  id                INTEGER PRIMARY KEY,
  org_id            TEXT    NOT NULL,
  alert_id          INTEGER NOT NULL REFERENCES alerts (id),
  at                INTEGER NOT NULL,
  actor             TEXT    NOT NULL,              -- Slack user id, or "system"
  from_status       TEXT    NOT NULL,
  to_status         TEXT    NOT NULL,
  note              TEXT
);

CREATE INDEX alert_trail_alert ON alert_trail (org_id, alert_id, id);

-- Patterns (rule and person) muted from Slack for a while: alerts are still stored and counted.
CREATE TABLE mutes (
  id                INTEGER PRIMARY KEY,
  org_id            TEXT    NOT NULL,
  rule_id           TEXT    NOT NULL,
  user_key          TEXT    NOT NULL,
  until             INTEGER NOT NULL,
  reason            TEXT    NOT NULL,
  created_by        TEXT    NOT NULL,
  created_at        INTEGER NOT NULL
);

CREATE INDEX mutes_active ON mutes (org_id, rule_id, user_key, until);
