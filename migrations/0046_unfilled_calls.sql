-- The MCP calls stored before migration 0045 whose operation and guessed flag are not stored yet
-- (read from the raw JSON meanwhile): after each poll the bot stores them, a chunk at a time
-- (src/ingest/fill-calls.ts), and `reclassify` does too. A row leaves this index when it is
-- filled and rows stored since never enter it (their tool_guessed is 0 or 1): once the calls of
-- an upgraded database are filled it is empty, and a fresh database's always is. Within an
-- organization its entries come in seq order (the rowid).
CREATE INDEX event_rows_unfilled ON event_rows (org)
WHERE tool_guessed IS NULL AND tool IS NOT NULL;
