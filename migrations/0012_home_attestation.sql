-- App Home and the weekly "acted as you" check.

-- When alerts last changed, read at each App Home refresh pass: a seek, not a scan.
CREATE INDEX alerts_updated ON alerts (updated_at);

-- The weekly check: one direct message per person (an Atlassian account) per week and
-- organization, recorded with its message queued in the outbox in one transaction, so a crash
-- neither loses nor repeats one. The person answers once: "yes" (looks right) or "no" (not me).
CREATE TABLE attestations (
  id                INTEGER PRIMARY KEY,
  org_id            TEXT    NOT NULL,
  week_start        INTEGER NOT NULL,              -- the week counted: [week_start, week_end)
  week_end          INTEGER NOT NULL,
  account_id        TEXT    NOT NULL,              -- the Atlassian account the AI tools acted as
  slack_user        TEXT    NOT NULL,              -- the Slack user asked (only they may answer)
  name              TEXT,                          -- the account's name or e-mail, as seen
  email             TEXT,
  calls             INTEGER NOT NULL,
  writes            INTEGER NOT NULL,
  deletes           INTEGER NOT NULL,
  places            TEXT    NOT NULL,              -- JSON: the projects, spaces and sites acted in
  dm_channel        TEXT,                          -- where the message is, once sent
  dm_ts             TEXT,
  answer            TEXT,                          -- yes | no, once answered
  answered_at       INTEGER,
  alert_id          INTEGER,                       -- the alert a "not me" raised
  created_at        INTEGER NOT NULL,
  UNIQUE (org_id, week_start, account_id)
);
