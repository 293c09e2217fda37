-- MCP calls whose events name no account id (an API token naming an e-mail only, or a name only):
-- their people are counted by e-mail, else name, as detection keys them, and the digest asks
-- whether such a person made a call before its period (a seek, not a scan of every call naming
-- no account). Only those calls are in it.
CREATE INDEX event_rows_mcp_unaccounted ON event_rows (org, user_email, user_name, time)
WHERE is_mcp = 1 AND user_id IS NULL;
