/**
 * An alert whose title counts calls (a burst's window) is about those calls: `rule:mcp-burst`
 * finds all the calls "61 MCP calls … within 10 minutes" counts, its CSV holds them all, and
 * retention keeps them. The rules engine on the query rig's real SQLite file, signed commands
 * through the real Bolt app.
 */
import { describe, expect, it } from "vitest";
import { DetectionEngine } from "../../../src/detect/engine.js";
import { DEFAULT_RULES_FILE } from "../../../src/detect/rules-file.js";
import { EventStore } from "../../../src/store/events.js";
import { RetentionStore } from "../../../src/store/retention.js";
import { DAY, MINUTE } from "../../../src/time-units.js";
import { normalizedEvent } from "../../detect/fixtures.js";
import { queryRig } from "./query-rig.js";

const INGRID = {
  userId: "acc-ingrid",
  actorId: "acc-ingrid",
  userName: "Ingrid Bjørnsson",
  actorName: "Ingrid Bjørnsson",
  userEmail: "ingrid@example.com",
  actorEmail: "ingrid@example.com",
};

/** Ingrid's 61 calls in 9 minutes, two hours before now, judged by the default rules. */
async function burstRig() {
  const c = await queryRig();
  const now = c.clock.now();
  // The seeded calls are history the rules have read: only the burst is judged.
  c.stores.alerts.setLastEvaluated("org-1", c.stores.events.maxSeq("org-1"), now);
  const base = normalizedEvent();
  const start = now - 2 * 60 * MINUTE;
  new EventStore(c.db).insertMany(
    Array.from({ length: 61 }, (_, i) => ({
      ...base,
      ...INGRID,
      id: `burst-${i}`,
      time: start + i * 9_000,
      resource: `OPS-${i}`,
    })),
    now,
  );
  new DetectionEngine({
    stores: c.stores,
    clock: c.clock,
    logger: c.logs.logger,
    orgId: "org-1",
    config: DEFAULT_RULES_FILE,
  }).run();
  const [burst] = c.stores.alerts.list("org-1").filter((a) => a.ruleId === "mcp-burst");
  if (!burst) throw new Error("no burst alert");
  expect(burst.title).toBe("61 MCP calls by Ingrid Bjørnsson within 10 minutes");
  // Its findings: each call past the threshold of 50.
  expect(burst.eventCount).toBe(11);
  return c;
}

describe("a burst alert's calls", () => {
  it("are the 61 its title counts, for rule:mcp-burst", async () => {
    const c = await burstRig();
    const answer = (await c.ask("rule:mcp-burst since:1d")).text;
    expect(answer).toContain("61 MCP calls · 1 person");
  });

  it("are all in its CSV", async () => {
    const c = await burstRig();
    await c.ask("rule:mcp-burst since:1d format:csv");
    const csv = c.slack.uploads[0]?.bytes.toString("utf8") ?? "";
    const rows = csv.split("\n").filter((line) => line.includes("ingrid@example.com"));
    expect(rows).toHaveLength(61);
  });

  it("are all kept by retention while the alert is", async () => {
    const c = await burstRig();
    const deleted = new RetentionStore(c.db).pruneEvents("org-1", c.clock.now() + DAY, 100_000);
    expect(deleted).toBeGreaterThan(0);
    const left = c.db
      .prepare("SELECT count(*) FROM events WHERE user_id = 'acc-ingrid'")
      .pluck()
      .get();
    expect(left).toBe(61);
  });
});
