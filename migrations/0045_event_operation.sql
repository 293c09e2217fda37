-- Two things an alert says about a call, stored beside its tool instead of read back from the raw
-- JSON only, so that queries, the CSV, the SIEM export and the digest have them too:
--
-- 1. `operation`: the operation a v2 wrapper ran (`executeWrite` → `createJiraIssueLink`), a
--    strings.ref; NULL when the call names none. A `tool:` question matches the tool or it.
-- 2. `tool_guessed`: 1 when the tool was guessed from the message (it named several), else 0.
--
-- Each costs a byte of a row's header (NULL, 0 and 1 have no body). Events stored before this
-- migration have NULL in both: they are read from the raw JSON until `mcp-activity reclassify`
-- fills them (src/store/event-rows.ts); rows written since always have 0 or 1.

ALTER TABLE event_rows ADD COLUMN operation INTEGER;
ALTER TABLE event_rows ADD COLUMN tool_guessed INTEGER;

-- The few calls that name an operation, for `tool:` questions and the values they are checked
-- against (src/store/values-seen.ts).
CREATE INDEX event_rows_mcp_operation ON event_rows (org, operation, time)
WHERE is_mcp = 1 AND operation IS NOT NULL;

-- The view of migration 0010, with the two columns.
DROP VIEW events;
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
  op.value AS operation,
  e.tool_guessed AS tool_guessed,
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
LEFT JOIN strings tc ON tc.ref = e.tool_class
LEFT JOIN strings op ON op.ref = e.operation;
