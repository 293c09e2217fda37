/**
 * The weekly check over a week retention deleted part of: retention keeps the calls an alert
 * holds, so counting the week's deleted days would count those alone, and name where they were,
 * telling the person of the alert before a responder asks them. The figures start at the cut.
 */
import { describe, expect, it } from "vitest";
import { NO_PLACE } from "../../../src/domain/event.js";
import { Pruner } from "../../../src/retention/pruner.js";
import { DAY } from "../../../src/time-units.js";
import { ALICE, attestationRig, MONDAY } from "./attestation-rig.js";

describe("the weekly check with RETENTION_DAYS under 7 and an alert about a deleted day", () => {
  it("counts the week from the cut, not the call the alert holds", async () => {
    const r = await attestationRig();
    // Alice: 26 calls 3 days before (the rig), and 5 days before one in CANARY an alert holds.
    r.raise(
      { userId: "acc-alice", userEmail: "alice@example.com", firstSeen: MONDAY - 5 * DAY },
      {
        time: MONDAY - 5 * DAY,
        processedAt: MONDAY - 5 * DAY,
        resource: "CANARY-1",
        place: { ...NO_PLACE, projects: ["CANARY"], issues: ["CANARY-1"] },
      },
    );
    r.stores.alerts.setLastEvaluated("org-1", r.stores.events.maxSeq("org-1"), MONDAY);
    await new Pruner({
      stores: r.stores,
      clock: r.clock,
      logger: r.logs.logger,
      retentionDays: 4,
    }).pruneOnce();

    await r.weekly().run();
    await r.settled();
    await r.poster.drain();
    const shown = JSON.stringify(r.dm(ALICE)[0]?.blocks);
    expect(shown).toContain("AI tools acted as you: 26 calls");
    expect(shown).not.toContain("CANARY");
    expect(shown).toContain("these figures count the week from then on");
  });
});
