-- The person asked "did you do this?" may be a responder: their "yes" about an alert about
-- themselves is kept, yet handles nothing (its reminders go on, another responder must handle it).
ALTER TABLE alert_followups ADD COLUMN answered_as_responder INTEGER NOT NULL DEFAULT 0;
