/**
 * The App Home counts and ranks the people of calls naming no account id (an API token naming an
 * e-mail only, or a name only) as the digest does: by e-mail, else name, and an e-mail that an
 * account's calls carry as that account. The real Bolt app, signed events, the fake Slack Web API,
 * a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { HOUR } from "../../../src/time-units.js";
import { homeRig, RESPONDER } from "./home-rig.js";

const unaccounted = (time: number, email: string | null, name: string | null) => ({
  time,
  userId: null,
  actorId: null,
  userEmail: email,
  actorEmail: email,
  userName: name,
  actorName: name,
  authKind: "api-token" as const,
  authType: "api-token",
  clientApp: null,
});

describe("the App Home's people of calls naming no account id", () => {
  it("are counted and ranked by e-mail, else name", async () => {
    const r = await homeRig();
    const now = r.clock.now();
    r.activity([
      unaccounted(now - 3 * HOUR, "svc-a@example.com", null),
      unaccounted(now - 2 * HOUR, "svc-a@example.com", null),
      unaccounted(now - HOUR, null, "Trent"),
    ]);
    await r.openHome(RESPONDER);
    const home = await r.homeOf(RESPONDER);
    expect(home.text).toContain("Calls *3*");
    expect(home.text).toContain("People *2*");
    expect(home.text).toContain("2  svc-a@example.com");
    expect(home.text).toContain("1  Trent");
  });
});

describe("the App Home's people, by an account and by an API token naming its e-mail only", () => {
  it("count and rank one person once", async () => {
    const r = await homeRig();
    const now = r.clock.now();
    const ann = { userId: "acc-ann", actorId: "acc-ann", userName: "Ann", actorName: "Ann" };
    r.activity([
      { time: now - 3 * HOUR, ...ann, userEmail: "ann@example.com", actorEmail: "ann@example.com" },
      unaccounted(now - 2 * HOUR, "ann@example.com", null),
    ]);
    await r.openHome(RESPONDER);
    const home = await r.homeOf(RESPONDER);
    expect(home.text).toContain("Calls *2*");
    expect(home.text).toContain("People *1*");
    expect(home.text).toContain("2  Ann");
    expect(home.text).not.toContain("ann@example.com");
  });
});
