/** A responder's Home with more organizations than fit in full: each is there, the failing one too. */
import { describe, expect, it } from "vitest";
import { WatchedOrgs } from "../../../src/organizations.js";
import { HomeTab } from "../../../src/slack/home/home.js";
import { DAY } from "../../../src/time-units.js";
import { T0 } from "../../detect/fixtures.js";
import { slackRig } from "../setup.js";

const RESPONDER = "URESP";

describe("the responder's Home with 14 organizations watched", () => {
  it("shows 8 in full, the failing one among them, and the others one line each: none left out", async () => {
    const r = await slackRig();
    r.slack.addUser({ id: RESPONDER, email: "resp@example.com" });
    const ids = Array.from({ length: 14 }, (_, i) => `org-${String(i + 1).padStart(2, "0")}`);
    const home = new HomeTab({
      stores: r.stores,
      directory: r.directory,
      clock: r.clock,
      logger: r.logs.logger,
      responders: { check: async () => ({ ok: true }) },
      orgs: new WatchedOrgs(ids, (id) => `Org ${id}`),
      organizations: () =>
        ids.map((orgId, i) => ({
          orgId,
          status: () => ({
            // The last one's poller is failing.
            healthy: i < 13,
            lastPoll: T0,
            lagSeconds: 60,
            problems: i < 13 ? [] : ["polling fails: 401"],
          }),
          apiKeyExpires: T0 + 10 * DAY,
          apiKeyRejected: () => false,
        })),
      queued: r.queued,
    });
    await home.open(RESPONDER);
    await r.poster.drain();
    await r.settled();
    const view = r.slack.home(RESPONDER);
    const text = JSON.stringify(view?.blocks ?? []);
    expect(view?.blocks.length).toBeLessThanOrEqual(100);
    const full = ids.filter((id) => text.includes(`🏢 Org ${id}`));
    const lines = ids.filter((id) => text.includes(`✅ *Org ${id}* · no open alerts · healthy`));
    expect({ full: full.length, lines: lines.length }).toEqual({ full: 8, lines: 6 });
    expect(full).toContain("org-14");
    expect(text).toContain("polling fails: 401");
    expect(text).toContain("*6 more organizations, one line each*");
    expect(text).not.toContain("not shown here");
  });
});
