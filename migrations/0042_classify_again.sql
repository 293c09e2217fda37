-- An action newly listed as MCP: the organization's stored events under it that are not MCP calls
-- yet, classified again a range of seq at a time after the transaction that keeps the catalogue
-- (a first catalogue may list a key with a million events stored). The row is the work left, and
-- where it is (a restart goes on from there); it goes when done. Events stored after `until_seq`
-- were classified with the catalogue that lists it.
CREATE TABLE classify_again (
  org_id    TEXT    NOT NULL,
  action    TEXT    NOT NULL,
  after_seq INTEGER NOT NULL,            -- looked through up to here
  until_seq INTEGER NOT NULL,            -- the newest event stored when the action was listed
  rows      INTEGER NOT NULL,            -- the organization's events stored then: to look through
  now_mcp   INTEGER NOT NULL DEFAULT 0,  -- so far: events that became MCP calls
  queued    INTEGER NOT NULL DEFAULT 0,  -- so far: of those, stored live, queued for the rules
  PRIMARY KEY (org_id, action)
) WITHOUT ROWID;
