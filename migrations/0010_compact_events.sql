-- Events in a fifth of the disk, and health figures without a scan.
--
-- 1. Repeated text (organizations, actions, people's ids, names and e-mails, sites, products, AI
--    tools, countries) is stored once in `strings` and referred to by a small integer.
-- 2. The raw JSON is kept byte for byte, compressed (src/store/raw-codec.ts): the events of a
--    stored batch deflated together in blocks of up to 128, against a dictionary of the audit
--    log's shapes, so what they share is stored once.
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
  ip                  TEXT,                          -- MCP events only (read from raw otherwise)
  resource            TEXT,                          -- MCP events only
  backfilled          INTEGER NOT NULL DEFAULT 0,
  ingested_at         INTEGER NOT NULL,
  raw_block           INTEGER NOT NULL,              -- raw_blocks.id: the block holding the raw JSON
  raw_index           INTEGER NOT NULL               -- its place in the block
) STRICT;

-- The raw JSON of consecutive events (seq first_seq to last_seq, one organization), compressed
-- together. A block goes when the last of its events does (trigger below).
CREATE TABLE raw_blocks (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: readers cache blocks by id
  org                 INTEGER NOT NULL,              -- strings.ref of the organization id
  first_seq           INTEGER NOT NULL,
  last_seq            INTEGER NOT NULL,
  data                BLOB    NOT NULL
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
  DELETE FROM raw_blocks WHERE id = OLD.raw_block AND NOT EXISTS (
    SELECT 1 FROM event_rows e WHERE e.seq BETWEEN raw_blocks.first_seq AND raw_blocks.last_seq);
END;

CREATE TRIGGER event_rows_counted_update AFTER UPDATE OF is_mcp ON event_rows
WHEN OLD.is_mcp != NEW.is_mcp BEGIN
  UPDATE event_counts SET mcp = mcp + NEW.is_mcp - OLD.is_mcp WHERE org = NEW.org;
END;

-- The columns `events` had (but the ones read back from raw), as text; the raw JSON is read from
-- its block by src/store/events.ts.
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
  e.raw_block AS raw_block,
  e.raw_index AS raw_index
FROM event_rows e
LEFT JOIN strings o ON o.ref = e.org
LEFT JOIN strings a ON a.ref = e.action
LEFT JOIN strings ak ON ak.ref = e.auth_kind
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

-- Alerts by rule and severity, for /metrics at every scrape: counted by triggers, not grouped.
CREATE TABLE alert_counts (
  org_id              TEXT    NOT NULL,
  rule_id             TEXT    NOT NULL,
  severity            TEXT    NOT NULL,
  n                   INTEGER NOT NULL,
  PRIMARY KEY (org_id, rule_id, severity)
) WITHOUT ROWID;

INSERT INTO alert_counts (org_id, rule_id, severity, n)
SELECT org_id, rule_id, severity, count(*) FROM alerts GROUP BY org_id, rule_id, severity;

CREATE TRIGGER alerts_counted_insert AFTER INSERT ON alerts BEGIN
  INSERT INTO alert_counts (org_id, rule_id, severity, n) VALUES (NEW.org_id, NEW.rule_id, NEW.severity, 1)
  ON CONFLICT (org_id, rule_id, severity) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER alerts_counted_update AFTER UPDATE OF org_id, rule_id, severity ON alerts BEGIN
  UPDATE alert_counts SET n = n - 1
  WHERE org_id = OLD.org_id AND rule_id = OLD.rule_id AND severity = OLD.severity;
  INSERT INTO alert_counts (org_id, rule_id, severity, n) VALUES (NEW.org_id, NEW.rule_id, NEW.severity, 1)
  ON CONFLICT (org_id, rule_id, severity) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER alerts_counted_delete AFTER DELETE ON alerts BEGIN
  UPDATE alert_counts SET n = n - 1
  WHERE org_id = OLD.org_id AND rule_id = OLD.rule_id AND severity = OLD.severity;
END;
