-- An alert about the organization rather than its person (a tool, or an AI tool, nobody in it
-- used before) posts past the hour's budget, as a high one does. Those raised before are marked
-- by what their rules wrote: every mcp-new-tool alert, and mcp-first-use's about an AI tool.
ALTER TABLE alerts ADD COLUMN about_organization INTEGER NOT NULL DEFAULT 0;
UPDATE alerts SET about_organization = 1
  WHERE rule_id = 'mcp-new-tool'
     OR (rule_id = 'mcp-first-use' AND json_extract(detail, '$.scope') = 'app');
