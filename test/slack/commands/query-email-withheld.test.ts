/**
 * `/mcp-activity` when the Slack app lacks users:read.email, so that Slack gives profiles without
 * their e-mail: the asker's time zone is still theirs. The real Bolt app, signed, the fake Slack.
 */
import { describe, expect, it } from "vitest";
import { MANIFEST_SCOPES } from "../../../src/slack/scopes.js";
import { MINUTE } from "../../../src/time-units.js";
import { commandRig } from "./command-rig.js";

describe("/mcp-activity when Slack withholds e-mails", () => {
  it("reads a responder's 'today' in their own time zone", async () => {
    // 30 calls on 4 November, from 09:31 to 10:00 UTC.
    const r = await commandRig(Array.from({ length: 30 }, () => ({})));
    r.slack.grantScopes(Object.keys(MANIFEST_SCOPES).filter((s) => s !== "users:read.email"));
    // As Slack answers then: the profile and its time zone, no e-mail.
    r.slack.addUser({ id: "URESP", name: "resp", tz: "Europe/Berlin" });
    const ask = async (text: string) =>
      JSON.stringify(await (await r.command(text, "URESP")).body());
    await ask("help"); // an answer of Slack says which scopes the app has
    // 00:10 on 5 November in Berlin (23:10 UTC on the 4th): the calls were yesterday there.
    r.clock.advance(Date.UTC(2026, 10, 4, 23, 10) - r.clock.now());
    expect(await ask("user:alice@example.com since:today")).toContain("No MCP activity");
    r.clock.advance(-60 * MINUTE); // 23:10 on the 4th in Berlin: the same calls are today's
    expect(await ask("user:alice@example.com since:today")).toContain("30 MCP calls");
  });
});
