/**
 * The machine's clock a few minutes off Atlassian's at the first start. What Atlassian processed
 * before the first start is history (never alerted on), what it processes after is live (judged):
 * the line between them is drawn by Atlassian's clock, as its answers' Date header gives it, not
 * by this machine's. The simulator dates its answers by its own clock, here skewed.
 */
import { describe, expect, it } from "vitest";
import { repositories } from "../../src/store/repositories.js";
import { MINUTE, NOW, type Rig, rig } from "./setup.js";

/** A rig whose Atlassian clock is `ahead` ms ahead of the poller's (negative: behind). */
async function skewed(ahead: number): Promise<{ r: Rig; atlassianNow: () => number }> {
  let r: Rig | undefined;
  const atlassianNow = () => (r?.clock.now() ?? NOW) + ahead;
  r = await rig({
    hours: 2,
    // An event every 15 s, so that some fall within the skew.
    sim: { clock: { now: atlassianNow }, intervalMs: MINUTE / 4, start: NOW - 2 * 60 * MINUTE },
  });
  r.clock.advance(-ahead); // Atlassian's clock at NOW, the machine's off it
  return { r, atlassianNow };
}

/** Stored events processed after `ms`, and how many of them are marked history. */
function after(r: Rig, ms: number): { n: number; history: number } {
  return r.db
    .prepare<[number], { n: number; history: number }>(
      "SELECT count(*) AS n, coalesce(sum(backfilled), 0) AS history FROM events WHERE processed_at > ?",
    )
    .get(ms) as { n: number; history: number };
}

describe("the machine's clock off Atlassian's at the first start", () => {
  it("behind: what Atlassian processed before the first start is history, none of it live", async () => {
    const { r, atlassianNow } = await skewed(3 * MINUTE);
    const firstRead = atlassianNow();
    await r.poller.pollOnce(); // the first start: everything processed until now is history
    const live = r.count(`backfilled = 0 AND processed_at <= ${firstRead}`);
    expect(r.count()).toBeGreaterThan(0);
    expect(live).toBe(0);
    const until = repositories(r.db).pollStates.get(r.sim.orgId)?.backfillUntil ?? 0;
    expect(Math.abs(until - firstRead)).toBeLessThan(2_000);
  });

  it("ahead: what Atlassian processes after the first start is live, read by later polls", async () => {
    const { r, atlassianNow } = await skewed(-3 * MINUTE);
    await r.poller.pollOnce(); // the first start: history until Atlassian's now
    const firstRead = atlassianNow();
    r.clock.advance(MINUTE);
    await r.poller.pollOnce(); // live: a minute of new events
    r.clock.advance(MINUTE);
    await r.poller.pollOnce();
    const late = after(r, firstRead);
    expect(late.n).toBeGreaterThan(0);
    expect(late.history).toBe(0);
    // A line drawn by this machine's clock, three minutes late, would have made them history.
    expect(r.logs.text()).toContain("Atlassian's clock is 3 min behind this machine's");
  });
});
