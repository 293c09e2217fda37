-- Reads that run on timers or at each view, kept to what is pending, open or asked for: alerts,
-- their deliveries, follow-ups, trail and events are never pruned, and each of these reads went
-- through all of an organization's history before (measured with 50,000 alerts in
-- docs/benchmarks.md, "History").

-- Follow-ups: the posted alerts not followed up yet (every 15 s).
ALTER TABLE deliveries ADD COLUMN followed INTEGER NOT NULL DEFAULT 0;
UPDATE deliveries SET followed = 1 WHERE EXISTS (
  SELECT 1 FROM alert_followups f WHERE f.org_id = deliveries.org_id AND f.alert_id = deliveries.alert_id);
CREATE TRIGGER alert_followups_followed AFTER INSERT ON alert_followups BEGIN
  UPDATE deliveries SET followed = 1 WHERE org_id = NEW.org_id AND alert_id = NEW.alert_id;
END;
CREATE INDEX deliveries_unfollowed ON deliveries (org_id, alert_id)
  WHERE followed = 0 AND ts IS NOT NULL AND via_summary = 0 AND delivered_at IS NOT NULL;

-- An hour's roll-up (each alert rolled up past the channel's budget).
CREATE INDEX deliveries_rollup ON deliveries (org_id, rollup_hour) WHERE rollup_hour IS NOT NULL;

-- The App Home's open alerts: the posted ones, not those never shown that nobody acknowledges.
CREATE INDEX alerts_open_posted ON alerts (org_id, status, notify) WHERE status = 'open' AND notify = 1;

-- What responders taught the rules: the alerts marked expected, by rule and person (each alert shown).
CREATE INDEX alerts_expected ON alerts (org_id, rule_id, user_id) WHERE status = 'expected';

-- Retention: whether an event is one an alert is about.
CREATE INDEX alert_events_seq ON alert_events (event_seq);
