-- An MCP site's history, as the tools' and people's: the weekly digest asks, for each site used in
-- the week, whether any MCP event reached it before (a seek, not a scan of the history).
CREATE INDEX event_rows_mcp_site ON event_rows (org, site_host, time) WHERE is_mcp = 1;
