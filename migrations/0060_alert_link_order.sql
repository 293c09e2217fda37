-- The order alert links are made in. A digest keeps the newest link's place when it is composed
-- (`linked_through`); the next one names the settings changes and app authorizations linked after
-- it and dated before its own period: their alert was raised after the digest of the period they
-- were made in (stored late, or stored in time but judged after it), and no digest named them.
-- `made` comes from a counter that only grows, so a link deleted with its alert leaves no place to
-- be given again. Links made before this have none; digests made before this keep none, and the
-- next digest after them takes up by the event seq they stored through, as it did.
ALTER TABLE alert_events ADD COLUMN made INTEGER;
CREATE INDEX alert_events_made ON alert_events (made) WHERE made IS NOT NULL;

CREATE TABLE alert_link_clock (made INTEGER NOT NULL);
INSERT INTO alert_link_clock (made) VALUES (0);

CREATE TRIGGER alert_events_order AFTER INSERT ON alert_events BEGIN
  UPDATE alert_link_clock SET made = made + 1;
  UPDATE alert_events SET made = (SELECT made FROM alert_link_clock)
    WHERE alert_id = NEW.alert_id AND event_seq = NEW.event_seq;
END;

ALTER TABLE digests ADD COLUMN linked_through INTEGER;
