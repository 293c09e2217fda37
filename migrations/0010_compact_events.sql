-- Events in a fifth of the disk, and health figures without a scan.
--
-- 1. Repeated text (organizations, actions, people's ids, names and e-mails, sites, products, AI
--    tools, countries, and the raw JSON's actor and container objects) is stored once in
--    `strings` and referred to by a small integer.
-- 2. The raw JSON is kept byte for byte, compressed (src/store/raw-codec.ts): raw deflate with a
--    dictionary of the audit log's shapes plus the event's own columns, so what the columns hold
--    costs the raw copy next to nothing.
-- 3. Columns that only repeated the raw JSON (actor, on-behalf-of, auth type, token label, city,
--    MCP-basis text, message) are read back from it; ip and resource are kept for MCP events,
--    which queries and rules look up.
-- 4. `event_counts` holds what /healthz, /metrics and status read, written in the transaction
--    that stores or deletes the events.
-- 5. `events` becomes a view with the columns it had, so reading code and operators' SQL keep
--    working; writes go to `event_rows`.
--
-- The rows of the old table are moved after this file commits, in batches that each delete what
-- they copied (src/store/compact-events.ts): resumable, and the old table's pages are reused.

DROP INDEX IF EXISTS events_id_key;
DROP INDEX IF EXISTS events_time;
DROP INDEX IF EXISTS events_action;
DROP INDEX IF EXISTS events_mcp_user_id;
DROP INDEX IF EXISTS events_mcp_tool;
ALTER TABLE events RENAME TO events_v9;

CREATE TABLE strings (
  ref                 INTEGER PRIMARY KEY,
  value               TEXT    NOT NULL UNIQUE
);

CREATE TABLE event_rows (
  seq                 INTEGER PRIMARY KEY,           -- local insertion order, kept from before
  org                 INTEGER NOT NULL,              -- strings.ref of the organization id
  id_key              INTEGER NOT NULL,              -- event_key(org_id, id): the dedupe lookup
  id                  ANY     NOT NULL,              -- Atlassian id: 16 bytes when a lowercase UUID, else text
  time                INTEGER NOT NULL,              -- epoch ms
  processed_delta     INTEGER,                       -- processedAt - time (ms)
  action              INTEGER NOT NULL,              -- strings.ref
  is_mcp              INTEGER NOT NULL DEFAULT 0,
  mcp_basis           INTEGER,                       -- strings.ref: catalog | config | guessed
  auth_kind           INTEGER NOT NULL,              -- strings.ref: oauth | api-token | unknown
  user_id             INTEGER,                       -- strings.ref of each: the person
  user_name           INTEGER,
  user_email          INTEGER,
  country             INTEGER,
  site_host           INTEGER,
  product             INTEGER,
  client_app          INTEGER,
  tool                INTEGER,
  tool_class          INTEGER,
  actor               INTEGER,                       -- strings.ref: the raw `actor` object as JSON
  container           INTEGER,                       -- strings.ref: the raw `container` array as JSON
  ip                  TEXT,                          -- MCP events only (read from raw otherwise)
  resource            TEXT,                          -- MCP events only
  backfilled          INTEGER NOT NULL DEFAULT 0,
  ingested_at         INTEGER NOT NULL,
  raw                 BLOB    NOT NULL               -- see src/store/raw-codec.ts
) STRICT;

-- Each index earns its place in a benchmark: the dedupe look-up, time windows (digest, queries,
-- retention), and an MCP person's or tool's history (rules, `user:` and `tool:` questions).
CREATE INDEX event_rows_id_key ON event_rows (id_key);
CREATE INDEX event_rows_time ON event_rows (org, time);
CREATE INDEX event_rows_mcp_user ON event_rows (org, user_id, time) WHERE is_mcp = 1;
CREATE INDEX event_rows_mcp_tool ON event_rows (org, tool, time) WHERE is_mcp = 1;

-- Per organization: what health reads. Inserts are counted by the code that inserts (once per
-- batch); deletes and reclassification by the triggers below, in the same transaction.
CREATE TABLE event_counts (
  org                 INTEGER PRIMARY KEY,           -- strings.ref of the organization id
  events              INTEGER NOT NULL DEFAULT 0,
  mcp                 INTEGER NOT NULL DEFAULT 0,
  newest_processed_at INTEGER,                       -- the newest processedAt stored (epoch ms)
  max_seq             INTEGER NOT NULL DEFAULT 0
);

CREATE TRIGGER event_rows_counted_delete AFTER DELETE ON event_rows BEGIN
  UPDATE event_counts SET events = events - 1, mcp = mcp - OLD.is_mcp WHERE org = OLD.org;
END;

CREATE TRIGGER event_rows_counted_update AFTER UPDATE OF is_mcp ON event_rows
WHEN OLD.is_mcp != NEW.is_mcp BEGIN
  UPDATE event_counts SET mcp = mcp + NEW.is_mcp - OLD.is_mcp WHERE org = NEW.org;
END;

-- The columns `events` had (but the ones read back from raw), as text; `raw` stays compressed.
CREATE VIEW events AS
SELECT
  e.seq AS seq,
  o.value AS org_id,
  CASE WHEN typeof(e.id) = 'blob' THEN lower(
    substr(hex(e.id), 1, 8) || '-' || substr(hex(e.id), 9, 4) || '-' || substr(hex(e.id), 13, 4)
    || '-' || substr(hex(e.id), 17, 4) || '-' || substr(hex(e.id), 21)) ELSE e.id END AS id,
  e.id_key AS id_key,
  e.time AS time,
  e.time + e.processed_delta AS processed_at,
  a.value AS action,
  e.is_mcp AS is_mcp,
  mb.value AS mcp_basis,
  ak.value AS auth_kind,
  u.value AS user_id,
  un.value AS user_name,
  ue.value AS user_email,
  e.ip AS ip,
  c.value AS country,
  s.value AS site_host,
  p.value AS product,
  ca.value AS client_app,
  t.value AS tool,
  tc.value AS tool_class,
  e.resource AS resource,
  e.backfilled AS backfilled,
  e.ingested_at AS ingested_at,
  e.actor AS actor,
  e.container AS container,
  e.raw AS raw
FROM event_rows e
JOIN strings o ON o.ref = e.org
JOIN strings a ON a.ref = e.action
JOIN strings ak ON ak.ref = e.auth_kind
LEFT JOIN strings mb ON mb.ref = e.mcp_basis
LEFT JOIN strings u ON u.ref = e.user_id
LEFT JOIN strings un ON un.ref = e.user_name
LEFT JOIN strings ue ON ue.ref = e.user_email
LEFT JOIN strings c ON c.ref = e.country
LEFT JOIN strings s ON s.ref = e.site_host
LEFT JOIN strings p ON p.ref = e.product
LEFT JOIN strings ca ON ca.ref = e.client_app
LEFT JOIN strings t ON t.ref = e.tool
LEFT JOIN strings tc ON tc.ref = e.tool_class;
