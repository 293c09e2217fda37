/**
 * A person's App Home over days retention deleted (RETENTION_DAYS under 7): retention keeps the
 * calls an alert holds, so a deleted day would show those alone, telling the person of the alert
 * before a responder asks them. The days start at the cut, and a "Not me" about a day wholly
 * before it is not taken.
 */
import { describe, expect, it } from "vitest";
import { Pruner } from "../../../src/retention/pruner.js";
import { HOME_ACTIONS } from "../../../src/slack/blocks/home-person.js";
import { DAY, HOUR } from "../../../src/time-units.js";
import { dayOf } from "../../../src/time-zone.js";
import { ALICE, homeRig } from "./home-rig.js";

describe("a person's App Home over days retention deleted", () => {
  it("shows nothing of a deleted day, not the call an alert holds", async () => {
    const h = await homeRig();
    const now = h.clock.now();
    const day5 = now - 5 * DAY;
    h.activity(
      Array.from({ length: 10 }, (_, i) => ({ time: day5 + i * 1000, processedAt: day5 })),
    );
    h.raise(
      {
        ruleId: "mcp-watched-place",
        severity: "medium",
        groupKey: "mcp-watched-place|acc-1",
        userId: "acc-1",
        userEmail: "alice@example.com",
        firstSeen: day5 + 20_000,
        lastSeen: day5 + 20_000,
      },
      {
        userId: "acc-1",
        actorId: "acc-1",
        userEmail: "alice@example.com",
        time: day5 + 20_000,
        processedAt: day5,
        tool: "getConfluencePage",
        toolClass: "read",
        product: "confluence",
        resource: "Board minutes",
      },
    );
    h.activity([{ time: now - 2 * HOUR, processedAt: now - 2 * HOUR }]);
    h.stores.alerts.setLastEvaluated("org-1", h.stores.events.maxSeq("org-1"), now);
    h.clock.advance(-HOUR);
    await new Pruner({
      stores: h.stores,
      clock: h.clock,
      logger: h.logs.logger,
      retentionDays: 3,
    }).pruneOnce();
    h.clock.advance(HOUR);

    await h.openHome(ALICE);
    const { text } = await h.homeOf(ALICE);
    expect(text).not.toContain("getConfluencePage");
    expect(text).toContain("1 call* in the last 7 days");
    expect(text).toContain("nothing before then is shown");

    // A "Not me" about that day (a button of a view before the pass) is not taken.
    const value = `${dayOf(day5, "UTC")}|org-1`;
    expect((await h.homeClick(HOME_ACTIONS.notMe, ALICE, value)).status).toBe(200);
    const after = await h.homeOf(ALICE, 2);
    expect(after.text).toContain("That day is no longer shown here, so nothing was sent.");
    expect(h.stores.alerts.list("org-1").map((a) => a.ruleId)).toEqual(["mcp-watched-place"]);
  });
});
