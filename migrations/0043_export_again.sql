-- MCP events the SIEM export is to send again: events that became MCP calls after they were
-- stored (an action newly listed as MCP, `mcp-activity reclassify`), queued in the transaction
-- that reclassifies them, for the organizations the export has a position for (none where no
-- export runs). The exporter sends those at or below its position in its next batches; a row
-- leaves in the transaction that saves the positions after the receiver's 2xx, or when its event
-- is sent in order, stops being an MCP call, or is deleted (retention).
CREATE TABLE export_again (
  seq    INTEGER PRIMARY KEY,            -- event_rows.seq
  org_id TEXT    NOT NULL
) STRICT;

CREATE INDEX export_again_org ON export_again (org_id, seq);

CREATE TRIGGER event_rows_export_again AFTER UPDATE OF is_mcp ON event_rows
WHEN OLD.is_mcp = 0 AND NEW.is_mcp = 1 BEGIN
  INSERT OR IGNORE INTO export_again (seq, org_id)
  SELECT NEW.seq, p.org_id FROM export_positions p
  WHERE p.org_id = (SELECT value FROM strings WHERE ref = NEW.org) AND p.stream = 'mcp_event';
END;

CREATE TRIGGER event_rows_export_again_undone AFTER UPDATE OF is_mcp ON event_rows
WHEN OLD.is_mcp = 1 AND NEW.is_mcp = 0 BEGIN
  DELETE FROM export_again WHERE seq = NEW.seq;
END;

CREATE TRIGGER event_rows_export_again_deleted AFTER DELETE ON event_rows BEGIN
  DELETE FROM export_again WHERE seq = OLD.seq;
END;
