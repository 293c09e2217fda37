/**
 * Two accounts of the same name in the Home's Top people read as two people: each has its e-mail
 * beside the name, or its account id when they share the e-mail too. The real Bolt app, signed
 * events, the fake Slack Web API, a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { HOUR } from "../../../src/time-units.js";
import { homeRig, RESPONDER } from "./home-rig.js";

describe("Top people when two accounts share a name", () => {
  it("shows each with its e-mail, and a name shown once without", async () => {
    const r = await homeRig();
    const now = r.clock.now();
    r.activity([
      ...[2, 3, 4].map((h) => ({ time: now - h * HOUR })), // Alice Example, acc-alice
      ...[2, 3].map((h) => ({
        time: now - h * HOUR - 60_000,
        userId: "acc-alice-2",
        userEmail: "alice.e@example.org",
      })),
      { time: now - HOUR, userId: "acc-bob", userEmail: "bob@example.com", userName: "Bob" },
    ]);
    await r.openHome(RESPONDER);
    const home = await r.homeOf(RESPONDER);
    expect(home.text).toContain("3  Alice Example (alice@example.com)");
    expect(home.text).toContain("2  Alice Example (alice.e@example.org)");
    expect(home.text).toMatch(/1 {2}Bob(?! \()/);
  });

  it("shows each with its account id when they share the e-mail too", async () => {
    const r = await homeRig();
    const now = r.clock.now();
    r.activity([
      ...[2, 3, 4].map((h) => ({ time: now - h * HOUR })), // Alice Example, acc-alice
      // Alice Example, alice@example.com too: one person's second account.
      ...[2, 3].map((h) => ({ time: now - h * HOUR - 60_000, userId: "acc-alice-2" })),
    ]);
    await r.openHome(RESPONDER);
    const home = await r.homeOf(RESPONDER);
    expect(home.text).toContain("3  Alice Example (acc-alice)");
    expect(home.text).toContain("2  Alice Example (acc-alice-2)");
  });
});
