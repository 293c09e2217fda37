/**
 * Admin tools (createJiraProject, manageJiraProjectVersion…) are as dangerous as destructive ones:
 * the Home counts them together, as the mcp-destructive rule and the digest's chart do. The real
 * Bolt app, signed events, the fake Slack Web API and a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { DAY, HOUR } from "../../../src/time-units.js";
import { ALICE, homeRig, RESPONDER } from "./home-rig.js";

const admin = { tool: "createJiraProject", toolClass: "admin", resource: null } as const;

describe("admin MCP calls in the App Home", () => {
  it("a responder's figures count them with the destructive calls", async () => {
    const r = await homeRig();
    const now = r.clock.now();
    r.activity([
      { ...admin, time: now - HOUR },
      { ...admin, time: now - 2 * HOUR },
      { time: now - 3 * HOUR, tool: "deleteJiraIssue", toolClass: "destructive" },
      { time: now - 4 * HOUR },
      { time: now - DAY - HOUR, tool: "deleteJiraIssue", toolClass: "destructive" },
    ]);
    await r.openHome(RESPONDER);
    const home = await r.homeOf(RESPONDER);
    expect(home.text).toContain("Calls *4* (1 before, +300%)");
    expect(home.text).toContain("Destructive or admin *3* (1 before, +200%)");
  });

  it("a person's days count them with the destructive calls", async () => {
    const r = await homeRig();
    const now = r.clock.now();
    r.activity([
      { ...admin, time: now - HOUR },
      { ...admin, time: now - 2 * HOUR },
      { time: now - 3 * HOUR },
    ]);
    await r.openHome(ALICE);
    const home = await r.homeOf(ALICE);
    expect(home.text).toContain("3 calls · 0 writes · 2 destructive or admin calls");
  });
});
