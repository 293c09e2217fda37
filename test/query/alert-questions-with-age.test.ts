/**
 * A year of running at the default rules: `mcp-write` and `mcp-api-token` raise alerts nobody
 * sees (never posted, never acknowledged: `open` until the retention deletes them) for most write
 * and API-token calls. A `status:` or `rule:` question reads the alerts of its time, once, a chunk
 * at a time, not every alert of the status or rule once per window of the question.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseQuery } from "../../src/query/parse.js";
import { runActivity, toFilter } from "../../src/query/run.js";
import { ActivityStore } from "../../src/store/activity.js";
import { AlertStore } from "../../src/store/alerts.js";
import type { Db } from "../../src/store/db.js";
import { EventStore } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { DAY, HOUR } from "../../src/time-units.js";
import { normalizedEvent, T0 } from "../detect/fixtures.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { tempDir } from "../helpers/tmp.js";
import { newAlert } from "../store/setup.js";

/** Ten days of digest-only alerts at the rate the realistic 500-person simulator raised them. */
const OLD_ALERTS = 20_000;

function yearOld(): Db {
  const db = openStore(join(tempDir(), "year.db"));
  closeAfterTest(() => db.close());
  const base = normalizedEvent();
  new EventStore(db).insertMany(
    [
      { ...base, id: "old", time: T0 - 200 * DAY, tool: "createJiraIssue", toolClass: "write" },
      { ...base, id: "today", time: T0 - HOUR, tool: "deleteJiraIssue", toolClass: "destructive" },
    ],
    T0,
  );
  const alerts = new AlertStore(db);
  db.transaction(() => {
    for (let i = 0; i < OLD_ALERTS; i++) {
      const at = T0 - 200 * DAY + i * 60_000;
      alerts.insert(
        newAlert({
          ruleId: i % 8 === 0 ? "mcp-api-token" : "mcp-write",
          severity: "low",
          notify: false,
          groupKey: `mcp-write|acc-${i % 500}`,
          title: `createJiraIssue by person ${i % 500}`,
          firstEventSeq: 1,
          lastEventSeq: 1,
          firstSeen: at,
          lastSeen: at,
          createdAt: at,
        }),
      );
    }
  })();
  alerts.insert(
    newAlert({
      firstEventSeq: 2,
      lastEventSeq: 2,
      firstSeen: T0 - HOUR,
      lastSeen: T0 - HOUR,
      createdAt: T0 - HOUR,
    }),
  );
  return db;
}

/** The statements run on `db` that read the alerts, with SQLite's plan of each. */
function watching(db: Db): { db: Db; reads: string[] } {
  const reads: string[] = [];
  const spy = Object.assign(Object.create(db) as Db, {
    prepare: (sql: string) => {
      const statement = db.prepare(sql);
      if (!/\bFROM alerts\b/.test(sql)) return statement;
      return new Proxy(statement, {
        get(target, property) {
          const value = Reflect.get(target, property, target);
          if (typeof value !== "function") return value;
          if (!["get", "all", "iterate"].includes(String(property))) return value.bind(target);
          return (...args: unknown[]) => {
            reads.push(
              db
                .prepare(`EXPLAIN QUERY PLAN ${sql}`)
                .all(...args)
                .map((row) => (row as { detail: string }).detail)
                .join(" | "),
            );
            return value.apply(target, args);
          };
        },
      });
    },
  });
  return { db: spy, reads };
}

async function ask(db: Db, text: string) {
  const store = new ActivityStore(db);
  const parsed = parseQuery(text, { now: T0, timeZone: "UTC" });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return runActivity(store, toFilter(parsed.query, store, [], "org-1"), 10);
}

describe("a year of alerts: questions about alerts", () => {
  it.each([
    ["status:open since:24h", "status=? AND last_seen>?"],
    ["rule:mcp-destructive since:7d", "rule_id=? AND last_seen>?"],
  ])(
    "`%s` reads the alerts of its time once, not the history's once a window",
    async (text, by) => {
      const { db, reads } = watching(yearOld());
      const answer = await ask(db, text);
      expect(answer.summary.calls).toBe(1);
      expect(answer.latest.map((e) => e.id)).toEqual(["today"]);
      expect(reads).toHaveLength(1);
      expect(reads[0]).toContain(
        `USING INDEX alerts_${by.startsWith("status") ? "status" : "rule"}_seen (org_id=? AND ${by})`,
      );
    },
  );

  it("still finds an old alert's events when asked about its time", async () => {
    const db = yearOld();
    const answer = await ask(db, "rule:mcp-write since:400d");
    expect(answer.summary.calls).toBe(1);
    expect(answer.latest.map((e) => e.id)).toEqual(["old"]);
  });

  it("reads a wide question's alerts a chunk at a time, others let in between, each event once", async () => {
    const db = yearOld();
    const store = new ActivityStore(db);
    const parsed = parseQuery("rule:mcp-write since:400d", { now: T0, timeZone: "UTC" });
    if (!parsed.ok) throw new Error(parsed.error.message);
    const filter = toFilter(parsed.query, store, [], "org-1");
    let readWhenOthersRan: boolean | undefined;
    let read = false;
    setImmediate(() => {
      readWhenOthersRan = read;
    });
    await store.readAlerted(filter);
    read = true;
    expect(readWhenOthersRan).toBe(false);
    // 17,500 alerts about the same old call, read in chunks of 2,000: the call counted once.
    const answer = await runActivity(store, filter, 10);
    expect(answer.summary.calls).toBe(1);
  });

  it("reads every alert of a chunk's edge: thousands last seen in the same millisecond", async () => {
    const db = openStore(join(tempDir(), "ties.db"));
    closeAfterTest(() => db.close());
    const base = normalizedEvent();
    const calls = 4_500;
    const at = T0 - HOUR;
    new EventStore(db).insertMany(
      Array.from({ length: calls }, (_, i) => ({ ...base, id: `call-${i}`, time: at })),
      T0,
    );
    const alerts = new AlertStore(db);
    db.transaction(() => {
      for (let seq = 1; seq <= calls; seq++)
        alerts.insert(
          newAlert({
            groupKey: `mcp-destructive|${seq}`,
            ...{
              firstEventSeq: seq,
              lastEventSeq: seq,
              firstSeen: at,
              lastSeen: at,
              createdAt: at,
            },
          }),
        );
    })();
    const answer = await ask(db, "status:open since:24h");
    expect(answer.summary.calls).toBe(calls);
  });
});
