-- How far each organization's quarantined items were read again, and by which release: an item
-- one release cannot read stays unreadable by it, so each release reads them once (a pass cut
-- short goes on after `after_seq`), and the items it reads are stored as events.
CREATE TABLE quarantine_recovery (
  org_id              TEXT    PRIMARY KEY,
  release             TEXT    NOT NULL,
  after_seq           INTEGER NOT NULL,
  done                INTEGER NOT NULL DEFAULT 0,
  updated_at          INTEGER NOT NULL
);
