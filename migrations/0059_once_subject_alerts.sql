-- `rules test` starts from what the bot knew before the days it replays: each subject's latest
-- alert before them. Each alert about a subject again overwrote the subject's one row, so a subject
-- alerted again within those days was started from nothing. Now each alert about a subject is a
-- row of its own, found by the subject and its time (the latest is the last); retention deletes
-- them as they age (src/store/subjects.ts). No index by alert: nothing looks a row up by it.
CREATE TABLE alert_subjects_by_alert (
  org_id            TEXT    NOT NULL,
  rule_id           TEXT    NOT NULL,
  subject           TEXT    NOT NULL,
  alert_id          INTEGER NOT NULL,
  first_at          INTEGER NOT NULL,              -- the event time of the alert's first call
  PRIMARY KEY (org_id, rule_id, subject, first_at, alert_id)
) WITHOUT ROWID;

INSERT INTO alert_subjects_by_alert (org_id, rule_id, subject, alert_id, first_at)
  SELECT org_id, rule_id, subject, alert_id, first_at FROM alert_subjects;
DROP TABLE alert_subjects;
ALTER TABLE alert_subjects_by_alert RENAME TO alert_subjects;
