-- Retention deletes an alert nobody saw (never posted, never touched) once its last finding is
-- older than RETENTION_DAYS (src/store/unposted-alerts.ts). Each table naming an alert is
-- looked up by the alert's id: what keeps the alert, and what the foreign keys check on delete,
-- found by an index rather than a scan of the table per alert.
CREATE INDEX deliveries_alert ON deliveries (alert_id);
CREATE INDEX alert_trail_by_alert ON alert_trail (alert_id);
CREATE INDEX alert_followups_alert ON alert_followups (alert_id);
CREATE INDEX alert_changes_alert ON alert_changes (alert_id);
CREATE INDEX alert_subjects_alert ON alert_subjects (alert_id);
CREATE INDEX attestations_alert ON attestations (alert_id) WHERE alert_id IS NOT NULL;
CREATE INDEX suppressions_alert ON suppressions (alert_id) WHERE alert_id IS NOT NULL;
