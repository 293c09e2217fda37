-- Alert modes, the channel budget and what responders taught the rules.

-- `once`: the subjects (an account and its pattern, a person and a country) already alerted
-- about, so later findings go to the digest only until `until` (NULL: for good).
CREATE TABLE alert_subjects (
  org_id            TEXT    NOT NULL,
  rule_id           TEXT    NOT NULL,
  subject           TEXT    NOT NULL,
  alert_id          INTEGER NOT NULL,
  first_at          INTEGER NOT NULL,              -- the event time that first alerted
  until             INTEGER,                       -- known until then; NULL: for good
  PRIMARY KEY (org_id, rule_id, subject)
) WITHOUT ROWID;

-- The channel budget: alerts shown in an hour's roll-up message rather than alone.
ALTER TABLE deliveries ADD COLUMN rollup_hour INTEGER;
CREATE INDEX deliveries_hour ON deliveries (org_id, attempted_at);

-- Suppressions a responder added from an alert (the rules file's live in the file): a rule and a
-- person, with who added it, when and why, and who removed it.
CREATE TABLE suppressions (
  id                INTEGER PRIMARY KEY,
  org_id            TEXT    NOT NULL,
  rule_id           TEXT    NOT NULL,
  user_key          TEXT    NOT NULL,
  reason            TEXT    NOT NULL,
  alert_id          INTEGER,                       -- the alert it was added from
  created_by        TEXT    NOT NULL,
  created_at        INTEGER NOT NULL,
  removed_by        TEXT,
  removed_at        INTEGER
);

CREATE INDEX suppressions_active ON suppressions (org_id, rule_id, user_key) WHERE removed_at IS NULL;
