/**
 * Top people name each person by their newest call that names them: a newest call without a
 * name (the audit log does not promise one on every event) does not turn them into an e-mail.
 * The real Bolt app, signed events, the fake Slack Web API, a real SQLite file.
 */ import { describe, expect, it } from "vitest";
import { HOUR } from "../../../src/time-units.js";
import { homeRig, RESPONDER } from "./home-rig.js";

describe("Top people when a person's newest call names no name", () => {
  it("still names them by the name their calls give", async () => {
    const r = await homeRig();
    const now = r.clock.now();
    r.activity([
      ...[2, 3, 4, 5].map((h) => ({ time: now - h * HOUR })), // Alice Example
      { time: now - HOUR, userName: null, actorName: null }, // her newest: no name in it
    ]);
    await r.openHome(RESPONDER);
    const home = await r.homeOf(RESPONDER);
    expect(home.text).toContain("5  Alice Example");
  });
});
