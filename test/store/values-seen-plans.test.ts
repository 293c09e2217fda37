import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open.js";
import { type SeenColumn, valuesSeen } from "../../src/store/values-seen.js";
import { tempDir } from "../helpers/tmp.js";

describe("the tools and sites an organization's MCP calls used", () => {
  // Read when a question finds nothing: a scan of a large organization's calls would hold up the bot.
  it.each<[SeenColumn, string]>([
    ["tool", "event_rows_mcp_tool"],
    ["site_host", "event_rows_mcp_site"],
  ])("%s is read by seeks on %s, never a scan", (column, index) => {
    const db = openStore(join(tempDir(), "plans.db"));
    let plan = "";
    const prepare = db.prepare.bind(db);
    const spy = Object.assign(Object.create(db) as typeof db, {
      prepare: (sql: string) => {
        plan = prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .all({ org: "o" })
          .map((row) => (row as { detail: string }).detail)
          .filter((detail) => detail.includes(" e "))
          .join(" | ");
        return prepare(sql);
      },
    });
    expect(valuesSeen(spy, column, "o")).toEqual([]);
    expect(plan).not.toMatch(/SCAN/);
    expect(plan).toContain(`INDEX ${index}`);
  });
});
