import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Db } from "../../src/store/db.js";
import { FactStore } from "../../src/store/facts.js";
import { openStore } from "../../src/store/open.js";
import { mcpEvent } from "../detect/fixtures.js";
import { tempDir } from "../helpers/tmp.js";

const PARAMS = {
  orgId: "o",
  userId: "u",
  seq: 1,
  self: 1,
  judgedFrom: 0,
  site: "s",
  product: "p",
  from: 1,
  to: 2,
  time: 2,
  until: 3,
  country: "c",
  prefix: "1.%",
  tool: "t",
  app: "a",
};

/** The plan of every statement FactStore prepares, on a file SQLite has no statistics of. */
function plans(db: Db): Array<{ sql: string; plan: string }> {
  const seen: Array<{ sql: string; plan: string }> = [];
  const prepare = db.prepare.bind(db);
  const spy = Object.assign(Object.create(db) as Db, {
    prepare: (sql: string) => {
      const plan = prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(PARAMS)
        .map((row) => (row as { detail: string }).detail)
        .filter((detail) => detail.includes("event_rows"))
        .join(" | ");
      if (sql.includes("FROM event_rows")) seen.push({ sql, plan });
      return prepare(sql);
    },
  });
  const facts = new FactStore(spy);
  // Those prepared at first use.
  const event = mcpEvent({ seq: 2, clientApp: "a" });
  facts.seenBefore(event, 1);
  facts.toolSeen(event, 1);
  return seen;
}

describe("the rules' history look-ups", () => {
  it("read a person's rows (or a tool's, or an AI tool's) by their index, even on a file never analysed", () => {
    const db = openStore(join(tempDir(), "plans.db"));
    try {
      const all = plans(db);
      expect(all.length).toBeGreaterThan(8);
      for (const { sql, plan } of all) {
        if (sql.includes("user_id ="))
          expect(plan, sql).toContain("INDEX event_rows_mcp_user (org=? AND user_id=?");
        else if (sql.includes("client_app = "))
          expect(plan, sql).toContain(
            "INDEX event_rows_mcp_client (org=? AND client_app=? AND rowid<?)",
          );
        else if (sql.includes("tool = "))
          expect(plan, sql).toContain("INDEX event_rows_mcp_tool (org=? AND tool=?)");
        else expect(plan, sql).toMatch(/INDEX event_rows_mcp_(seq|tool)/);
      }
    } finally {
      db.close();
    }
  });
});
