/** What the bot's messages say to a responder at a glance: counts in words, times with their day. */
import { describe, expect, it } from "vitest";
import { mcpBurst } from "../../src/detect/rules/mcp-burst.js";
import { mcpNewLocation } from "../../src/detect/rules/mcp-new-location.js";
import { buildDigest } from "../../src/digest/build.js";
import { buildWeeklyDigest } from "../../src/digest/build-weekly.js";
import { guidance } from "../../src/guidance/settings.js";
import { alertMessage } from "../../src/slack/blocks/alert.js";
import { overflowSummary } from "../../src/slack/blocks/summary.js";
import { HOUR } from "../../src/time-units.js";
import { decide } from "../../src/triage/decide.js";
import { anAlert, context, mcpEvent, T0 } from "../detect/fixtures.js";
import { digestData } from "../digest/fixtures.js";

describe("an alert's notification text", () => {
  it("names the AI tool, the e-mail and the site on the lock screen, not only the rule's title", () => {
    const m = alertMessage({
      alert: anAlert(),
      event: mcpEvent({ tool: "deleteJiraIssue", toolClass: "destructive" }),
      explanation: "An AI tool deleted something.",
    });
    expect(m.text).toMatch(/^\[HIGH\] .+ — alice@example\.com via Claude on acme\.atlassian\.net$/);
  });
});

describe("a grouped alert's time span", () => {
  it("gives the date of first and last event when the group spans two days", () => {
    // The mcp-destructive group is 24 hours: Wed 10:00 UTC to Thu 09:00 UTC.
    const m = alertMessage({
      alert: anAlert({ eventCount: 5, firstSeen: T0, lastSeen: T0 + 23 * HOUR }),
      event: mcpEvent({ tool: "deleteJiraIssue", toolClass: "destructive" }),
      explanation: "x",
    });
    const fields = (
      m.blocks.find((b) => b.type === "section" && "fields" in b && b.fields) as {
        fields: { text: string }[];
      }
    ).fields;
    const events = fields.find((f) => f.text.startsWith("*Events*"))?.text ?? "";
    expect(events).toMatch(
      /^\*Events\*\n5 between <!date\^\d+\^\{date_short_pretty\} \{time\}\|[^>]+> and <!date\^\d+\^\{date_short_pretty\} \{time\}\|[^>]+>$/,
    );
  });
});

describe("counts in roll-ups and digests", () => {
  it("the overflow summary of one alert says '1 more alert'", () => {
    const m = overflowSummary([anAlert({ severity: "medium" })], "org-1");
    expect(m.text).toMatch(/^1 more alert arrived/);
  });

  it("the daily digest of one call by one person does not say '1 MCP calls by 1 people'", () => {
    const m = buildDigest(
      digestData({
        current: { calls: 1, people: 1, tools: 1, sites: 1 },
        apiToken: { calls: 1, accounts: [{ name: "svc", email: null }] },
      }),
      { kind: "daily", late: false },
    );
    expect(m.text).toMatch(/: 1 MCP call by 1 person$/);
    const blocks = JSON.stringify(m.blocks);
    expect(blocks).toContain("*1* MCP call");
    expect(blocks).toContain("*1* person");
    expect(blocks).toContain("1 call by");
    expect(blocks).not.toMatch(/\*1\* MCP calls|\*1\* people|1 calls by/);
  });

  it("the weekly digest of one call by one person does not say '1 MCP calls by 1 people'", () => {
    const d = digestData({ current: { calls: 1, people: 1, tools: 1, sites: 1 } });
    const m = buildWeeklyDigest(
      { ...d, callsPerDay: [1, 0, 0, 0, 0, 0, 0], newTools: [], newSites: [], ruleOutcomes: [] },
      { late: false, timeZone: "UTC" },
    );
    expect(m.text).toMatch(/: 1 MCP call by 1 person/);
  });
});

describe("counts in alert titles", () => {
  it("mcp-burst with windowMinutes: 1 does not say 'within 1 minutes'", () => {
    const hit = mcpBurst.evaluate(
      mcpEvent(),
      { recent: { calls: 30, distinctReads: 0 } } as never,
      { calls: 20, windowMinutes: 1, distinctResources: 100 },
      context,
    );
    expect(hit?.title).toMatch(/within 1 minute$/);
  });

  it("mcp-new-location with lookbackDays: 1 does not say 'not seen in 1 days'", () => {
    const hit = mcpNewLocation.evaluate(
      mcpEvent(),
      { places: { located: true, countrySeen: false, addressed: true, subnetSeen: true } } as never,
      { lookbackDays: 1, by: "country" },
      context,
    );
    expect(hit?.title).toMatch(/not seen in 1 day$/);
  });
});

describe("the 'Settings to change' guidance", () => {
  it("counts one call, one time and one site in words", () => {
    const stats = {
      apiTokenCalls: 1,
      newPeople: 0,
      appAuthorizations: 1,
      writeCalls: 1,
      destructiveCalls: 1,
      writeSites: 1,
      countries: 1,
    };
    const text = guidance(undefined, stats as never, 30)
      .flatMap((s) => s.why)
      .join("\n");
    expect(text).toContain("1 MCP call in the last 30 days used API tokens");
    expect(text).toContain("authorized 1 time in the last 30 days");
    expect(text).toContain("Write tools were used 1 time on 1 site in the last 30 days");
    expect(text).not.toMatch(/\b1 MCP calls\b|\b1 times\b|time\(s\)|site\(s\)/);
  });
});

describe("the refusal of 'Mute 30 days' offered on a stale message", () => {
  it("does not say '1 are'", () => {
    const d = decide(
      {
        alert: anAlert({ status: "expected" }),
        learned: { expected: 1, mute: undefined, suppression: undefined },
        lastChange: undefined,
        asked: undefined,
      } as never,
      { kind: "mute-30" },
      { id: "URESP", notResponder: null, self: false },
      T0,
      { expectedOnYes: [] },
    );
    expect(d.refused?.message).toMatch(/; 1 is\.$/);
  });
});
