/**
 * A "Not me" alert is about every call the person said was not them: `rule:mcp-not-me` counts
 * them all, and retention (which keeps what alerts are about) keeps them all. The real Bolt app,
 * a signed Home click, a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { parseQuery } from "../../../src/query/parse.js";
import { runActivity, toFilter } from "../../../src/query/run.js";
import { Pruner } from "../../../src/retention/pruner.js";
import { DAY, HOUR } from "../../../src/time-units.js";
import { T0 } from "../../detect/fixtures.js";
import { ALICE, homeRig } from "../home/home-rig.js";

/** Alice says her three calls of 2026-10-30 were not her, from her Home. */
async function deniedThreeCalls() {
  const r = await homeRig();
  r.activity(
    [0, 1, 2].map((i) => {
      const time = T0 - 5 * DAY + 2 * HOUR + i * 60_000;
      return { time, processedAt: time };
    }),
  );
  const polled = { orgId: "org-1", cursor: null, lastProcessedAt: T0, backfillFrom: null };
  r.stores.pollStates.save({ ...polled, backfillUntil: T0 - 30 * DAY, backfillDone: true }, T0);
  await r.openHome(ALICE);
  await r.homeOf(ALICE);
  await r.homeClick("home_not_me", ALICE, "2026-10-30|org-1");
  await r.homeOf(ALICE, 2);
  const [alert] = r.alerts.list("org-1").filter((a) => a.ruleId === "mcp-not-me");
  if (!alert) throw new Error("no Not me alert");
  expect(alert.title).toContain("(3 calls)");
  return { r, alert };
}

describe("a Not me alert", () => {
  it("is found with all its calls by rule:mcp-not-me", async () => {
    const { r } = await deniedThreeCalls();
    const parsed = parseQuery("rule:mcp-not-me since:30d", { now: r.clock.now(), timeZone: "UTC" });
    if (!parsed.ok) throw new Error(parsed.error.message);
    const store = r.stores.activity;
    const answer = await runActivity(store, toFilter(parsed.query, store, [], "org-1"), 20);
    expect(answer.summary.calls).toBe(3);
  });

  it("keeps all its calls through retention", async () => {
    const { r } = await deniedThreeCalls();
    r.stores.alerts.setLastEvaluated("org-1", r.stores.events.maxSeq("org-1"), r.clock.now());
    const pruner = new Pruner({
      stores: r.stores,
      clock: r.clock,
      logger: r.logs.logger,
      retentionDays: 3,
    });
    await pruner.pruneOnce();
    const left = r.db
      .prepare("SELECT count(*) FROM events WHERE user_id = 'acc-alice' AND time < ?")
      .pluck()
      .get(T0 - 4 * DAY);
    expect(left).toBe(3);
  });
});
