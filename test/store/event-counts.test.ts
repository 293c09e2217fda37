import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { AlertStore } from "../../src/store/alerts.js";
import { EventStore } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { RetentionStore } from "../../src/store/retention.js";
import { anAlert, mcpEvent } from "../detect/fixtures.js";
import { collect } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { DAY, NOW, retentionDb } from "../retention/seed.js";

type Db = ReturnType<typeof openStore>;

/** What the counters say and what a full count says, per organization. */
function both(db: Db, orgId: string) {
  const events = new EventStore(db);
  const full = db
    .prepare<[string], { events: number; mcp: number | null; newest: number | null }>(
      "SELECT count(*) AS events, sum(is_mcp) AS mcp, max(processed_at) AS newest FROM events WHERE org_id = ?",
    )
    .get(orgId);
  return {
    counted: { ...events.counts(orgId), newest: events.newestProcessedAt(orgId) },
    full: { events: full?.events ?? 0, mcp: full?.mcp ?? 0, newest: full?.newest ?? null },
  };
}

function expectCountersRight(db: Db, orgId: string) {
  const { counted, full } = both(db, orgId);
  expect(counted.events).toBe(full.events);
  expect(counted.mcp).toBe(full.mcp);
  // Every event's raw JSON block is there, and no block outlives its last event.
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  expect(
    n(
      "SELECT count(*) AS n FROM event_rows e WHERE NOT EXISTS (SELECT 1 FROM raw_blocks b WHERE b.id = e.raw_block)",
    ),
  ).toBe(0);
  expect(
    n(
      "SELECT count(*) AS n FROM raw_blocks b WHERE NOT EXISTS (SELECT 1 FROM event_rows e WHERE e.raw_block = b.id)",
    ),
  ).toBe(0);
  return { counted, full };
}

describe("event counters", () => {
  it("keep the newest processing time, whatever order the batches come in", () => {
    const s = retentionDb();
    const events = new EventStore(s.db);
    const at = (id: string, processedAt: number) => mcpEvent({ orgId: "org-n", id, processedAt });
    s.db.transaction(() => events.insertMany([at("n-1", NOW - 2 * DAY)], NOW))();
    s.db.transaction(() => events.insertMany([at("n-2", NOW - DAY)], NOW))();
    expect(events.newestProcessedAt("org-n")).toBe(NOW - DAY);
    s.db.transaction(() => events.insertMany([at("n-3", NOW - 3 * DAY)], NOW))();
    expect(events.newestProcessedAt("org-n")).toBe(NOW - DAY);
  });

  it("equal a full count after inserts, duplicates, reclassification and retention pruning", () => {
    const s = retentionDb();
    s.addEvents(30, 500);
    s.addEvents(20, 10);
    const events = new EventStore(s.db);
    const other = Array.from({ length: 7 }, (_, i) =>
      mcpEvent({ orgId: "org-2", id: `o-${i}`, isMcp: i % 2 === 0, processedAt: NOW + i }),
    );
    s.db.transaction(() => events.insertMany(other, NOW))();
    // The same ids again, in another batch and twice in one: nothing counted twice.
    s.db.transaction(() => events.insertMany([...other, other[0] as never], NOW))();
    expect(expectCountersRight(s.db, "org-1").counted.events).toBe(50);
    expect(expectCountersRight(s.db, "org-2").counted).toEqual({
      events: 7,
      mcp: 4,
      newest: NOW + 6,
    });

    // Reclassified: one MCP event is not one any more.
    const [first] = [...events.iterate("org-2", 1)][0] ?? [];
    if (!first) throw new Error("no event");
    s.db.transaction(() => events.updateClassification([{ ...first, isMcp: false }]))();
    expect(expectCountersRight(s.db, "org-2").counted.mcp).toBe(3);

    const retention = new RetentionStore(s.db);
    expect(retention.pruneEvents("org-1", NOW - 400 * DAY, 12)).toBe(12);
    expect(expectCountersRight(s.db, "org-1").counted.events).toBe(38);
    while (retention.pruneEvents("org-1", NOW - 400 * DAY, 12) > 0);
    expect(expectCountersRight(s.db, "org-1").counted.events).toBe(20);
    expectCountersRight(s.db, "org-2");
  });

  it("equal a full count after a batch that failed half way", () => {
    const db = openStore(join(tempDir(), "c.db"));
    const events = new EventStore(db);
    db.transaction(() => events.insertMany([mcpEvent({ id: "a" })], NOW))();
    expect(() =>
      db.transaction(() => {
        events.insertMany(
          [mcpEvent({ id: "b", clientApp: "A brand-new app" }), mcpEvent({ id: "c" })],
          NOW,
        );
        throw new Error("disk full");
      })(),
    ).toThrow("disk full");
    expect(expectCountersRight(db, "org-1").counted.events).toBe(1);
    // The value interned by the rolled-back batch is interned again, not reused from memory.
    db.transaction(() =>
      events.insertMany([mcpEvent({ id: "d", clientApp: "A brand-new app" })], NOW),
    )();
    expect([...events.iterate("org-1")].flat().map((e) => e.clientApp)).toEqual([
      "Claude",
      "A brand-new app",
    ]);
    expectCountersRight(db, "org-1");
    db.close();
  });

  it("equal a full count after the process was killed while storing", async () => {
    const path = join(tempDir(), "killed.db");
    openStore(path).close();
    const events = fileURLToPath(new URL("../../dist/store/events.js", import.meta.url));
    const open = fileURLToPath(new URL("../../dist/store/open.js", import.meta.url));
    // A child that stores batches of 200 until it is killed.
    const script = `
      const { EventStore } = await import(${JSON.stringify(events)});
      const { openStore } = await import(${JSON.stringify(open)});
      const db = openStore(${JSON.stringify(path)});
      const store = new EventStore(db);
      const raw = (id) => JSON.stringify({ id, type: "events", attributes: { time: "2026-11-04T10:00:00.000Z", action: "rovo_mcp_tool_called" } });
      for (let batch = 0; ; batch++) {
        const list = Array.from({ length: 200 }, (_, i) => {
          const id = "k-" + batch + "-" + i;
          return { orgId: "org-k", id, time: 1, processedAt: batch, action: "rovo_mcp_tool_called", actorId: null, actorName: null, actorEmail: null, authKind: "oauth", authType: null, tokenLabel: null, onBehalfOfId: null, onBehalfOfName: null, onBehalfOfEmail: null, userId: "u" + (i % 7), userName: null, userEmail: null, ip: null, country: null, city: null, siteHost: null, product: null, isMcp: i % 3 === 0, mcpBasis: null, clientApp: null, tool: "t" + batch, toolClass: null, innerTool: null, toolGuessed: false, resource: null, place: { spaces: [], pages: [], projects: [], issues: [] }, message: null, backfilled: false, raw: raw(id) };
        });
        db.transaction(() => store.insertMany(list, 1)).immediate();
        if (batch === 5) process.stdout.write("storing\\n");
      }
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const done = collect(child);
    // Storing, or ended before it did: its error said, not a wait for the test's time-out.
    await Promise.race([
      new Promise<void>((resolve) => child.stdout?.once("data", () => resolve())),
      done.then((ended) => {
        throw new Error(`the child ended before storing: ${ended.stderr}`);
      }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill("SIGKILL");
    expect((await done).signal).toBe("SIGKILL");

    const db = new Database(path);
    const counted = db
      .prepare(
        "SELECT events, mcp FROM event_counts JOIN strings ON ref = org WHERE value = 'org-k'",
      )
      .get() as { events: number; mcp: number };
    const full = db
      .prepare("SELECT count(*) AS events, sum(is_mcp) AS mcp FROM events WHERE org_id = 'org-k'")
      .get() as { events: number; mcp: number };
    expect(counted).toEqual(full);
    expect(full.events % 200).toBe(0);
    expect(full.events).toBeGreaterThanOrEqual(1200);
    db.close();
  });

  it("count alerts by rule and severity as they are raised and raised again", () => {
    const db = openStore(join(tempDir(), "alerts.db"));
    const alerts = new AlertStore(db);
    const add = (ruleId: string, severity: "low" | "high") => {
      const { id, status, revision, updatedAt, ...alert } = anAlert({ ruleId, severity });
      return alerts.insert(alert);
    };
    add("mcp-destructive", "high");
    const raised = add("mcp-new-location", "low");
    add("mcp-new-location", "low");
    alerts.raiseSeverity("org-1", raised, "high", NOW);
    const grouped = db
      .prepare(
        "SELECT rule_id AS ruleId, severity, count(*) AS count FROM alerts WHERE org_id = 'org-1' GROUP BY rule_id, severity ORDER BY rule_id, severity",
      )
      .all();
    expect(alerts.tally("org-1")).toEqual(grouped);
    expect(grouped).toHaveLength(3);
    db.close();
  });
});
