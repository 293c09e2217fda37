/**
 * A person renamed within the last 24 hours is named in a responder's Home by the name of their
 * newest call, the name they have now. The real Bolt app, signed events, the fake Slack Web API
 * and a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { HOUR } from "../../../src/time-units.js";
import { homeRig, RESPONDER } from "./home-rig.js";

describe("a person renamed within the Home's 24 hours", () => {
  it("is named in Top people by the name of their newest call", async () => {
    const r = await homeRig();
    const now = r.clock.now();
    // Stored newest first: the calls under the old name are the oldest and the last stored.
    r.activity(
      [1, 2, 3, 4, 5].map((h) => ({
        time: now - h * HOUR,
        userName: h < 3 ? "Dana Novak" : "Dana Smith",
      })),
    );
    await r.openHome(RESPONDER);
    const home = await r.homeOf(RESPONDER);
    expect(home.text).toContain("5  Dana Novak");
    expect(home.text).not.toContain("Dana Smith");
  });
});
