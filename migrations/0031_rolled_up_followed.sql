-- Follow-ups start for every alert whose message Slack took: its own, or the hour's roll-up or a
-- backlog's summary that counts it (their people are asked too). The index of those not followed
-- up yet takes the rolled-up and summarised ones.
--
-- Those counted in a roll-up or summary posted before this release were never followed up: they
-- are marked followed, so their people are not asked hours or days after.
UPDATE deliveries SET followed = 1 WHERE via_summary = 1 AND ts IS NOT NULL;
DROP INDEX deliveries_unfollowed;
CREATE INDEX deliveries_unfollowed ON deliveries (org_id, alert_id)
  WHERE followed = 0 AND ts IS NOT NULL AND delivered_at IS NOT NULL;
