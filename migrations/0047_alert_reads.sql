-- Reads of alerts bounded by time, whatever the age of the store: a `status:` or `rule:`
-- question reads the alerts last seen since its start (src/store/alerted-events.ts), and the
-- digest the alerts raised in its period, instead of every alert of the status, rule or
-- organization; most alerts (below minSeverity, counted in the digest only) stay open for good.
CREATE INDEX alerts_status_seen ON alerts (org_id, status, last_seen);
CREATE INDEX alerts_rule_seen ON alerts (org_id, rule_id, last_seen);
CREATE INDEX alerts_created ON alerts (org_id, created_at);
-- What an alert shows responders taught: the person's alerts marked a true positive.
CREATE INDEX alerts_true_positive ON alerts (org_id, rule_id, user_id) WHERE status = 'true_positive';
