-- Notices posted once to the alert channel (API key expiry warnings), by a key naming each one.
CREATE TABLE notices (
  org_id            TEXT    NOT NULL,
  notice            TEXT    NOT NULL,              -- e.g. api-key-expires:2027-01-10:7
  posted_at         INTEGER NOT NULL,
  PRIMARY KEY (org_id, notice)
);
