-- What Slack has yet to show, found without reading every alert ever posted.
--
-- settled_revision: the revision up to which an alert needs nothing more from the alert producer:
-- its message posted at that revision, or (at its revision then) counted in a summary or roll-up,
-- or refused by Slack for good. NULL while it has no delivery or its message waits in the outbox.
-- Kept by the triggers below; the partial index holds only the alerts past it, the few the
-- producer's passes read (a pass read every posted alert of the organization before: ~5 ms at
-- 10,000 of them, ~30 ms at 50,000, twice a pass).
ALTER TABLE alerts ADD COLUMN settled_revision INTEGER;

UPDATE alerts SET settled_revision = (
  SELECT CASE
      WHEN d.failure IS NOT NULL OR d.via_summary = 1 THEN alerts.revision
      WHEN d.ts IS NOT NULL THEN d.revision
    END
  FROM deliveries d WHERE d.org_id = alerts.org_id AND d.alert_id = alerts.id);

CREATE TRIGGER deliveries_settle_insert AFTER INSERT ON deliveries BEGIN
  UPDATE alerts SET settled_revision = CASE
      WHEN NEW.failure IS NOT NULL OR NEW.via_summary = 1 THEN revision
      WHEN NEW.ts IS NOT NULL THEN NEW.revision
    END
  WHERE id = NEW.alert_id AND org_id = NEW.org_id;
END;

CREATE TRIGGER deliveries_settle_update AFTER UPDATE OF ts, revision, via_summary, failure ON deliveries BEGIN
  UPDATE alerts SET settled_revision = CASE
      WHEN NEW.failure IS NOT NULL OR NEW.via_summary = 1 THEN revision
      WHEN NEW.ts IS NOT NULL THEN NEW.revision
    END
  WHERE id = NEW.alert_id AND org_id = NEW.org_id;
END;

CREATE INDEX alerts_unsettled ON alerts (org_id, id) WHERE notify = 1 AND settled_revision IS NOT revision;
