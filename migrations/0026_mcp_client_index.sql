-- An AI tool's (the OAuth client app's) history: mcp-first-use asks, for each live MCP call,
-- whether an earlier call in the organization came from its app (a seek, not a scan). Without
-- `time`, unlike the tools' and sites': the look-up compares the seq each entry ends with, and the
-- index stays as small as one of MCP events can be.
CREATE INDEX event_rows_mcp_client ON event_rows (org, client_app) WHERE is_mcp = 1;
