/**
 * The retention note of an answer ("Events before … were deleted by retention") does not tell a
 * non-responder whether the organization their `org:` names is watched: one where they did
 * nothing answers as one that is not watched (least-privilege.test.ts, "who sees what").
 */
import { describe, expect, it } from "vitest";
import { DAY } from "../../../src/time-units.js";
import { twoOrgCommands } from "./two-orgs-rig.js";

describe("the retention note, to someone who names an organization", () => {
  it("answers `org:` of a watched organization as one not watched", async () => {
    const r = await twoOrgCommands();
    // Both organizations' first polls are done; a retention pass (RETENTION_DAYS=3) ran on each.
    for (const orgId of ["org-1", "org-2"]) {
      const polled = { orgId, cursor: null, lastProcessedAt: 0, backfillFrom: null };
      r.stores.pollStates.save({ ...polled, backfillUntil: 0, backfillDone: true }, 0);
      r.stores.prunedBefore.record(orgId, r.clock.now() - 3 * DAY, r.clock.now());
    }
    const answer = async (org: string) =>
      JSON.stringify(await (await r.command(`org:${org} user:me since:7d`, "UALICE")).body());
    const watched = await answer("Umbrella");
    expect(watched).toContain("No MCP activity matches");
    const unwatched = await answer("nowhere");
    // The same words whichever is named: nothing tells Alice that Umbrella is watched.
    expect(unwatched.replaceAll("nowhere", "Umbrella")).toBe(watched);
  });
});
