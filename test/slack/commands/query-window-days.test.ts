/**
 * A window covers at most 400 days, counted on the calendar of the asker's time zone: a change of
 * the clocks in it does not make 400 days of dates 401. Real Bolt app, signed commands, the seeded
 * store of query-rig.ts (now: 2026-11-04 11:00 UTC).
 */
import { describe, expect, it } from "vitest";
import { queryRig } from "./query-rig.js";

describe("/mcp-activity: a window of 400 days of dates", () => {
  // 2025-10-01 to 2026-11-04 inclusive is 400 days, and holds one more change of the clocks back
  // than forward in Berlin and in New York: 400 days and an hour by the clock.
  it.each([
    ["URESP", "Europe/Berlin"],
    ["UNY", "America/New_York"],
  ])("is answered for %s (%s), not refused as 401 days", async (user) => {
    const c = await queryRig();
    const answer = (await c.ask("since:2025-10-01 until:2026-11-04", user)).text;
    expect(answer).not.toContain("spans 401 days");
    expect(answer).toMatch(/\d+ MCP calls ·/);
  });
});

describe("/mcp-activity: a window of dates longer than 400 days", () => {
  it("is answered with the latest since: that fits, which is answered", async () => {
    const c = await queryRig();
    const answer = (await c.ask("since:2025-09-30 until:2026-11-04")).text;
    expect(answer).toContain("spans 401 days: at most 400");
    expect(answer).toContain("did you mean since:2025-10-01 until:2026-11-04?");
    expect((await c.ask("since:2025-10-01 until:2026-11-04")).text).toMatch(/\d+ MCP calls ·/);
  });
});

describe("/mcp-activity: a window too long ending some weeks ago", () => {
  // 400 days are no whole number of weeks: since:58.142857142857146w was suggested, and refused.
  it("is answered with a since: in days, which is answered", async () => {
    const c = await queryRig();
    const answer = (await c.ask("since:60w until:1w")).text;
    expect(answer).toContain("did you mean since:407d until:1w?");
    expect((await c.ask("since:407d until:1w")).text).toMatch(/\d+ MCP calls ·/);
  });
});

describe("/mcp-activity: a since: meant to reach back further than a window spans", () => {
  // since:14 months was answered since:420d, since:60 weeks since:60w: both then refused.
  it.each(["since:14 months", "since:60 weeks", "since:500"])(
    "%s is answered with the longest window, which is answered",
    async (text) => {
      const c = await queryRig();
      const answer = (await c.ask(text)).text;
      expect(answer).toContain("did you mean since:400d? (the longest window answered)");
      expect((await c.ask("since:400d")).text).toMatch(/\d+ MCP calls ·/);
    },
  );
});
