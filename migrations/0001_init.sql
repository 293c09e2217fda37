-- Events from the organization audit log, one row per Atlassian event id and organization.
-- The raw JSON is kept so every extracted column can be recomputed (mcp-activity reclassify).
CREATE TABLE events (
  seq                 INTEGER PRIMARY KEY,           -- local insertion order, for "new since"
  org_id              TEXT    NOT NULL,
  id                  TEXT    NOT NULL,              -- Atlassian event id: the dedupe key
  time                INTEGER NOT NULL,              -- epoch ms, when it happened
  processed_at        INTEGER,                       -- epoch ms, when Atlassian processed it
  action              TEXT    NOT NULL,
  actor_id            TEXT,
  actor_name          TEXT,
  actor_email         TEXT,
  auth_kind           TEXT    NOT NULL DEFAULT 'unknown',  -- oauth | api-token | unknown
  auth_type           TEXT,                          -- actor.auth.authType as sent
  token_label         TEXT,
  on_behalf_of_id     TEXT,
  on_behalf_of_name   TEXT,
  on_behalf_of_email  TEXT,
  user_id             TEXT,                          -- the person: on-behalf-of where given, else the actor
  user_name           TEXT,
  user_email          TEXT,
  ip                  TEXT,
  country             TEXT,
  city                TEXT,
  site_host           TEXT,
  product             TEXT,
  is_mcp              INTEGER NOT NULL DEFAULT 0,
  mcp_basis           TEXT,                          -- catalog | config | guessed
  client_app          TEXT,                          -- the AI tool's OAuth app (Claude, Cursor, …) where named
  tool                TEXT,
  tool_class          TEXT,                          -- read | search | write | destructive
  resource            TEXT,
  message             TEXT,
  backfilled          INTEGER NOT NULL DEFAULT 0,
  ingested_at         INTEGER NOT NULL,
  raw                 TEXT    NOT NULL,
  UNIQUE (org_id, id)
);

-- Every index costs ingest time (measured: no secondary index 31 µs/event, these 45 µs), so the
-- ones on people and tools cover MCP events only: that is what rules and queries look up.
CREATE INDEX events_time ON events (org_id, time);
CREATE INDEX events_action ON events (org_id, action, time);
CREATE INDEX events_mcp_user_id ON events (org_id, user_id, time) WHERE is_mcp = 1;
CREATE INDEX events_mcp_user_email ON events (org_id, user_email COLLATE NOCASE, time) WHERE is_mcp = 1;
CREATE INDEX events_mcp_user_name ON events (org_id, user_name COLLATE NOCASE, time) WHERE is_mcp = 1;
CREATE INDEX events_mcp_tool ON events (org_id, tool, time) WHERE is_mcp = 1;

-- Where the poller stands: the stream cursor and the processing time reached, moved in the same
-- transaction as the events they follow.
CREATE TABLE poll_state (
  org_id              TEXT    PRIMARY KEY,
  cursor              TEXT,
  last_processed_at   INTEGER,                       -- newest processedAt stored (epoch ms)
  backfill_from       INTEGER,                       -- epoch ms the first poll started from
  backfill_until      INTEGER,                       -- epoch ms: events processed before it are history
  backfill_done       INTEGER NOT NULL DEFAULT 0,    -- the first poll reached the present
  updated_at          INTEGER NOT NULL
);

-- Entries that could not be read as events: kept, never fatal.
CREATE TABLE quarantined_events (
  seq                 INTEGER PRIMARY KEY,
  org_id              TEXT    NOT NULL,
  event_id            TEXT,
  error               TEXT    NOT NULL,
  raw                 TEXT    NOT NULL,
  received_at         INTEGER NOT NULL
);

CREATE INDEX quarantined_events_org ON quarantined_events (org_id, received_at);

-- The action keys Atlassian publishes (/event-actions), with the names that reveal MCP ones.
CREATE TABLE event_actions (
  org_id              TEXT    NOT NULL,
  action              TEXT    NOT NULL,
  display_name        TEXT,
  group_name          TEXT,
  is_mcp              INTEGER NOT NULL DEFAULT 0,
  seen_at             INTEGER NOT NULL,
  PRIMARY KEY (org_id, action)
);
