import { describe, expect, it } from "vitest";
import type { GuidanceStats } from "../../src/domain/activity.js";
import { changedControl } from "../../src/guidance/changed-control.js";
import { controlsForRule } from "../../src/guidance/controls.js";
import { guidance } from "../../src/guidance/settings.js";

const quiet: GuidanceStats = {
  calls: 0,
  apiTokenCalls: 0,
  writeCalls: 0,
  destructiveCalls: 0,
  writeSites: 0,
  newPeople: 0,
  countries: 0,
  appAuthorizations: 0,
  changes: [],
};

describe("settings guidance", () => {
  it("lists every control with its path, what it does and does not cover", () => {
    const sections = guidance(undefined, quiet, 7);
    expect(sections.map((s) => s.control.id).sort()).toEqual([
      "api-tokens",
      "domains",
      "ip",
      "oauth",
      "permissions",
      "policy",
    ]);
    for (const { control } of sections) {
      expect(control.path).toMatch(/→/);
      expect(control.does.length).toBeGreaterThan(10);
      expect(control.doesNot.length).toBeGreaterThan(10);
    }
    expect(sections.find((s) => s.control.id === "domains")?.control.doesNot).toContain(
      "does not apply to API-token use",
    );
  });

  it("says why a control matters now, and puts those first", () => {
    const sections = guidance(
      undefined,
      { ...quiet, apiTokenCalls: 12, newPeople: 3, writeCalls: 9, writeSites: 2 },
      7,
    );
    expect(sections[0]?.why.length).toBeGreaterThan(0);
    const byId = Object.fromEntries(sections.map((s) => [s.control.id, s.why.join(" ")]));
    expect(byId["api-tokens"]).toBe(
      "12 MCP calls in the last 7 days used API tokens: the real user is unknown and domain allowlists do not apply.",
    );
    expect(byId.domains).toContain("3 people started using MCP in the last 7 days");
    expect(byId.permissions).toContain("Write tools were used 9 times on 2 sites in the last");
    expect(byId.ip).toBe("");
  });

  it("says on how many sites tools wrote only when the calls name one", () => {
    const byId = (stats: GuidanceStats) =>
      Object.fromEntries(guidance(undefined, stats, 7).map((s) => [s.control.id, s.why.join(" ")]));
    expect(byId({ ...quiet, writeCalls: 2, writeSites: 0 }).permissions).toBe(
      "Write tools were used 2 times in the last 7 days.",
    );
    expect(byId({ ...quiet, destructiveCalls: 1, writeSites: 0 }).policy).toBe(
      "Destructive or admin tools were used 1 time in the last 7 days.",
    );
  });

  it("puts first the controls with the weightiest reasons, not the most reasons", () => {
    const order = (stats: GuidanceStats) => guidance(undefined, stats, 7).map((s) => s.control.id);
    // As in the demo: a newcomer weighs less than 7,553 API-token calls or 3 destructive calls.
    expect(order({ ...quiet, newPeople: 1, apiTokenCalls: 7553, destructiveCalls: 3 })).toEqual([
      "policy",
      "api-tokens",
      "permissions",
      "oauth",
      "domains",
      "ip",
    ]);
    // A control changed this week weighs as much; writes alone less; among equals, more reasons first.
    const changed = { action: "k", name: "IP allowlist turned off", by: "Bob", time: 0 };
    expect(
      order({ ...quiet, newPeople: 1, countries: 3, writeCalls: 4, changes: [changed] }),
    ).toEqual(["ip", "policy", "permissions", "oauth", "domains", "api-tokens"]);
    expect(order({ ...quiet, newPeople: 2, appAuthorizations: 1, apiTokenCalls: 1 })).toEqual([
      "oauth",
      "policy",
      "api-tokens",
      "domains",
      "permissions",
      "ip",
    ]);
  });

  it("narrows to one topic", () => {
    expect(guidance("api-tokens", quiet, 7).map((s) => s.control.id)).toEqual(["api-tokens"]);
  });

  it("maps each rule to the controls that answer it", () => {
    expect(controlsForRule("mcp-api-token").map((c) => c.id)).toEqual(["api-tokens"]);
    expect(controlsForRule("no-such-rule").map((c) => c.id)).toEqual(["audit"]);
  });

  it.each([
    ["Data security policy deactivated", "policy"],
    ["Connected apps settings updated", "oauth"],
    ["User-installed apps setting updated", "oauth"],
    ["Rovo MCP server domain allowlist updated", "domains"],
    ["Allowed domains for AI tools updated", "domains"],
    ["Rovo MCP server authentication settings updated", "api-tokens"],
    ["Rovo MCP server permissions updated", "permissions"],
    ["Delete Jira permission group turned on", "permissions"],
    ["IP allowlist turned off", "ip"],
    ["Organization API key created", undefined],
    ["Rovo MCP server turned off", undefined],
  ])("takes %s for a change of %s", (name, control) => {
    expect(changedControl("k-1", name)).toBe(control);
  });

  it("tells the control changed by the action's key when its name names none", () => {
    expect(changedControl("rovo_mcp_domain_allowlist_updated", null)).toBe("domains");
    expect(changedControl("ip_allowlist_updated", "Security settings updated")).toBe("ip");
    expect(changedControl("org_api_key_created", null)).toBeUndefined();
  });
});
