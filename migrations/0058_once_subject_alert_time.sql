-- A `once` subject's onceDays count from its latest alert, whose event time first_at holds. Each
-- call growing that alert (a token used every few minutes) wrote first_at again, keeping the
-- subject quiet for as long as the alert took calls, and onceDays beyond: each row gets the time
-- of its alert's first call back.
UPDATE alert_subjects
SET first_at = (SELECT first_seen FROM alerts WHERE id = alert_subjects.alert_id)
WHERE EXISTS (
  SELECT 1 FROM alerts WHERE id = alert_subjects.alert_id AND first_seen < alert_subjects.first_at
);
