/**
 * The query the weekly check suggests lists the calls it counted on whatever day it is read: a
 * person gets to a Monday check on Thursday, when `since:7d` would count another week.
 */
import { describe, expect, it } from "vitest";
import { registerCommand } from "../../../src/slack/commands/slash-command.js";
import { DAY, HOUR } from "../../../src/time-units.js";
import { boltApp } from "../bolt.js";
import { ALICE, attestationRig, MONDAY } from "./attestation-rig.js";

describe("the query the weekly check suggests", () => {
  it("gives the check's figures when run days later", async () => {
    const r = await attestationRig();
    r.slack.addUser({ id: ALICE, email: "alice@example.com", tz: "UTC" });
    // Besides Friday's 26, ten calls on Tuesday 3 November: 36 in the week of the check.
    r.calls(10, { time: MONDAY - 6 * DAY });
    await r.weekly().run();
    await r.settled();
    await r.poster.drain();
    const [check] = r.dm(ALICE);
    expect(check?.text).toContain("AI tools acted as you: 36 calls");
    const suggested = /`\/mcp-activity ([^`]+)`/.exec(JSON.stringify(check?.blocks))?.[1] ?? "";
    expect(suggested).not.toBe("");

    // Thursday 12 November, 09:00: Alice gets to her direct messages, and calls after the week.
    r.clock.advance(MONDAY + 3 * DAY - HOUR - r.clock.now());
    r.calls(5, { time: MONDAY + DAY });
    const b = await boltApp(r, (app, responders) =>
      registerCommand(app, r.commandDeps({ responders })),
    );
    const sent = await b.command(suggested, ALICE);
    expect(JSON.stringify(await sent.body())).toContain("36 MCP calls");
  });
});
