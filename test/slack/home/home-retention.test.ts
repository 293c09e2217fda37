/**
 * The Homes over periods retention deleted part of: a responder's last 24 hours are not compared
 * with 24 hours retention deleted (RETENTION_DAYS=1), and a person's 7 days say which of their
 * days are gone (RETENTION_DAYS under 7), as the digests do.
 */
import { describe, expect, it } from "vitest";
import { Pruner } from "../../../src/retention/pruner.js";
import { DAY, HOUR } from "../../../src/time-units.js";
import { ALICE, homeRig, RESPONDER } from "./home-rig.js";

/** The rig with `n` calls at each of `times`, then a retention pass an hour ago. */
async function prunedRig(times: (now: number) => number[], retentionDays: number) {
  const r = await homeRig();
  const now = r.clock.now();
  for (const time of times(now))
    r.activity(
      Array.from({ length: 10 }, (_, i) => ({ time: time + i * 1000, processedAt: time })),
    );
  r.stores.alerts.setLastEvaluated("org-1", r.stores.events.maxSeq("org-1"), now);
  r.clock.advance(-HOUR);
  const pass = await new Pruner({
    stores: r.stores,
    clock: r.clock,
    logger: r.logs.logger,
    retentionDays,
  }).pruneOnce();
  r.clock.advance(HOUR);
  return { r, now, cut: pass.before };
}

const cutIn = (text: string, cut: number) =>
  expect(text).toContain(`deleted the calls before <!date^${Math.floor(cut / 1000)}^`);

describe("the Homes with a retention of days", () => {
  it("shows a responder the last 24 hours without a change against hours retention deleted", async () => {
    // The same 10 calls each day: the 10 of the day before (at -40 h) deleted by RETENTION_DAYS=1.
    const { r, now, cut } = await prunedRig((t) => [t - 40 * HOUR, t - 2 * HOUR], 1);
    expect(cut).toBeGreaterThan(now - 2 * DAY);

    expect((await r.openHome(RESPONDER)).status).toBe(200);
    const { text } = await r.homeOf(RESPONDER);
    expect(text).not.toContain("(0 before, new)");
    expect(text).toContain("Calls *10* · People *1*");
    expect(text).toContain("No change shown: retention (`RETENTION_DAYS`)");
    cutIn(text, cut);
  });

  it("tells a person which of their 7 days retention deleted", async () => {
    const { r, cut } = await prunedRig((t) => [t - 5 * DAY, t - 2 * HOUR], 3);

    expect((await r.openHome(ALICE)).status).toBe(200);
    const { text } = await r.homeOf(ALICE);
    expect(text).toContain("10 calls* in the last 7 days");
    expect(text).toContain("Retention (`RETENTION_DAYS`)");
    cutIn(text, cut);
  });
});
