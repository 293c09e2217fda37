-- An alert in an hour's roll-up is settled at the revision the roll-up shows (deliveries.revision,
-- recorded when it is rolled up and with each update of the roll-up queued for it), no longer at
-- its revision when Slack takes the roll-up: a growth while the roll-up is on its way to Slack
-- stays the alert producer's (the roll-up updated again, a high one posted alone). A backlog's
-- summary, never updated, still settles its alerts at their revision then.
DROP TRIGGER deliveries_settle_insert;
DROP TRIGGER deliveries_settle_update;

-- Roll-ups queued before this release recorded no revision: the one they were settled at.
UPDATE deliveries SET revision = (
    SELECT a.settled_revision FROM alerts a WHERE a.org_id = deliveries.org_id AND a.id = deliveries.alert_id)
  WHERE via_summary = 1 AND rollup_hour IS NOT NULL AND revision < (
    SELECT a.settled_revision FROM alerts a WHERE a.org_id = deliveries.org_id AND a.id = deliveries.alert_id);

CREATE TRIGGER deliveries_settle_insert AFTER INSERT ON deliveries BEGIN
  UPDATE alerts SET settled_revision = CASE
      WHEN NEW.failure IS NOT NULL THEN revision
      WHEN NEW.via_summary = 1 AND NEW.rollup_hour IS NOT NULL THEN NEW.revision
      WHEN NEW.via_summary = 1 THEN revision
      WHEN NEW.ts IS NOT NULL THEN NEW.revision
    END
  WHERE id = NEW.alert_id AND org_id = NEW.org_id;
END;

CREATE TRIGGER deliveries_settle_update AFTER UPDATE OF ts, revision, via_summary, failure ON deliveries BEGIN
  UPDATE alerts SET settled_revision = CASE
      WHEN NEW.failure IS NOT NULL THEN revision
      WHEN NEW.via_summary = 1 AND NEW.rollup_hour IS NOT NULL THEN NEW.revision
      WHEN NEW.via_summary = 1 THEN revision
      WHEN NEW.ts IS NOT NULL THEN NEW.revision
    END
  WHERE id = NEW.alert_id AND org_id = NEW.org_id;
END;
