-- `once` judges a subject by the rules file in force, not by the one in force when it alerted: a
-- subject stays known while its rule's current onceDays (none: for good) have not passed since
-- its latest alert. first_at holds that alert's event time (each alert about the subject again
-- writes it); the expiry written at alert time is no longer read.
ALTER TABLE alert_subjects DROP COLUMN until;
