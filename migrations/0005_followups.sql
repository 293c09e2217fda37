-- What happens after an alert is posted: asking the person behind it ("did you do this?") and
-- reminding the responders of alerts nobody answered. One row per posted alert.
CREATE TABLE alert_followups (
  org_id            TEXT    NOT NULL,
  alert_id          INTEGER NOT NULL REFERENCES alerts (id),
  ask_state         TEXT    NOT NULL,              -- none | sending | sent | answered | not-asked
  asked_user        TEXT,                          -- the Slack user asked; only their click counts
  dm_channel        TEXT,
  dm_ts             TEXT,
  not_asked_reason  TEXT,
  answer            TEXT,                          -- yes | no
  answered_at       INTEGER,
  reminders         INTEGER NOT NULL DEFAULT 0,    -- reminders posted so far (at most 2)
  next_reminder_at  INTEGER,                       -- epoch ms; NULL: no reminder to come
  created_at        INTEGER NOT NULL,
  PRIMARY KEY (org_id, alert_id)
);

CREATE INDEX alert_followups_due ON alert_followups (org_id, next_reminder_at);

-- Alerts posted before this release are neither asked about nor reminded of.
INSERT INTO alert_followups (org_id, alert_id, ask_state, reminders, created_at)
  SELECT org_id, alert_id, 'none', 2, COALESCE(delivered_at, attempted_at)
  FROM deliveries WHERE ts IS NOT NULL;
