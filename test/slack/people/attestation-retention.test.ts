/**
 * The weekly check over a week retention deleted part of (RETENTION_DAYS under 7 is allowed): its
 * figures are what was kept, and the message says so, as the weekly digest does.
 */
import { describe, expect, it } from "vitest";
import { Pruner } from "../../../src/retention/pruner.js";
import { DAY } from "../../../src/time-units.js";
import { ALICE, attestationRig, MONDAY } from "./attestation-rig.js";

describe("the weekly check with RETENTION_DAYS under 7", () => {
  it("says retention deleted the calls before its cut instead of showing what is left as the week", async () => {
    const r = await attestationRig();
    // Alice: 26 calls 3 days before (the rig) and 30 more 5 days before: 56 in the week.
    r.calls(30, { time: MONDAY - 5 * DAY });
    r.stores.alerts.setLastEvaluated("org-1", r.stores.events.maxSeq("org-1"), MONDAY);
    // The daily retention pass (RETENTION_DAYS=4) ran before the check's time.
    const pass = await new Pruner({
      stores: r.stores,
      clock: r.clock,
      logger: r.logs.logger,
      retentionDays: 4,
    }).pruneOnce();
    expect(pass.events).toBeGreaterThan(0);

    await r.weekly().run();
    await r.settled();
    await r.poster.drain();
    const [message] = r.dm(ALICE);
    const shown = JSON.stringify(message?.blocks);
    expect(shown).toContain("AI tools acted as you: 26 calls");
    const cut = Math.floor((MONDAY - 4 * DAY) / 1000);
    expect(shown).toContain(
      `Retention (\`RETENTION_DAYS\`) deleted the calls before <!date^${cut}^`,
    );
    expect(shown).toContain("these figures count the week from then on");
  });
});
