-- A complete /event-actions answer that no longer lists an action marks it retired: it is no
-- current MCP action key (/healthz, status), and still classifies the events stored under it.
ALTER TABLE event_actions ADD COLUMN retired_at INTEGER;

-- Live events an action newly listed as MCP made MCP calls after the rules judged them: judged
-- again by the rules, each once (its row leaves in the transaction that writes its alerts).
CREATE TABLE judge_again (
  org_id TEXT    NOT NULL,
  seq    INTEGER NOT NULL,
  PRIMARY KEY (org_id, seq)
) WITHOUT ROWID;
