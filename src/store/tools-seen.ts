import type { Db } from "./db.js";

/** One tool as the stored MCP calls show it. */
export interface ToolSeen {
  readonly tool: string;
  readonly calls: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
}

/** The tools an organization's MCP calls used: read from the (org, tool, time) index alone. */
export class ToolsSeenStore {
  private readonly list;

  constructor(db: Db) {
    this.list = db.prepare<[string], ToolSeen>(
      `SELECT t.value AS tool, count(*) AS calls, min(e.time) AS firstSeen, max(e.time) AS lastSeen
       FROM event_rows e JOIN strings t ON t.ref = e.tool
       WHERE e.org = (SELECT ref FROM strings WHERE value = ?) AND e.is_mcp = 1 AND e.tool IS NOT NULL
       GROUP BY e.tool ORDER BY calls DESC, tool`,
    );
  }

  seen(orgId: string): ToolSeen[] {
    return this.list.all(orgId);
  }
}
