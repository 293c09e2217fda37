/**
 * What a reader sees of a message, beside the buttons: the alert's number as people name it, a
 * notification that says no more than its message, a severity said in words as well as colour.
 */
import { describe, expect, it } from "vitest";
import { buildWeeklyDigest } from "../../src/digest/build-weekly.js";
import type { WeeklyData } from "../../src/domain/digest.js";
import { askMessage } from "../../src/slack/blocks/ask.js";
import { responderHome } from "../../src/slack/blocks/home-responder.js";
import { DAY, HOUR } from "../../src/time-units.js";
import { anAlert, mcpEvent, T0 } from "../detect/fixtures.js";
import { digestData, T } from "../digest/fixtures.js";

/** Everything a reader sees of a message: every `text` in its blocks, not ids, values or metadata. */
function shown(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown, key?: string) => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (typeof v === "object" && v !== null)
      for (const [k, x] of Object.entries(v)) {
        if (k === "value" || k === "block_id" || k === "action_id" || k === "metadata") continue;
        walk(x, k);
      }
    else if (typeof v === "string" && key === "text") out.push(v);
  };
  walk(value);
  return out.join("\n");
}

describe("the 'did you do this?' direct message", () => {
  it("names the alert by its number, as the docs show ('alert 12, mcp-new-location'), not a button's row stamp", () => {
    const alert = anAlert({ id: 12, ruleId: "mcp-new-location" });
    const m = askMessage(alert, mcpEvent());
    // docs/alerts-and-digest.md: "Your answer goes to the security team (alert 12, mcp-new-location)."
    expect(shown(m.blocks)).toContain(
      "Your answer goes to the security team (alert 12, mcp-new-location).",
    );
    expect(shown(m.blocks)).not.toMatch(/alert 12\.\d+/);
  });
});

describe("the weekly digest's notification", () => {
  function week(overrides: Partial<WeeklyData> = {}): WeeklyData {
    const since = T - 7 * DAY;
    return {
      ...digestData({
        since,
        previousSince: since - 7 * DAY,
        bucketMs: 6 * HOUR,
        // Retention (RETENTION_DAYS=10) deleted most of the week before: 10 calls kept of it.
        current: { calls: 400, people: 12, tools: 9, sites: 2 },
        previous: { calls: 10, people: 1, tools: 2, sites: 1 },
      }),
      callsPerDay: [60, 60, 60, 60, 60, 50, 50],
      newTools: [],
      newSites: [],
      ruleOutcomes: [],
      ...overrides,
    };
  }

  it("shows no change against a week retention deleted part of, as its message says", () => {
    const cut = T - 10 * DAY;
    const m = buildWeeklyDigest(week(), { late: false, timeZone: "UTC", deletedBefore: cut });
    // The message itself: "No change shown: retention (`RETENTION_DAYS`) deleted the calls…".
    expect(shown(m.blocks)).toContain("No change shown");
    // The notification (all a phone shows) must not announce a spike against calls that are gone.
    expect(m.text).not.toMatch(/[▲▼]\d+%/);
  });
});

describe("the responder's App Home", () => {
  it("says each listed alert's severity in words, not by the colour of a circle alone", () => {
    const figures = { calls: 1, people: 1, writes: 0, deletes: 0 };
    const medium = anAlert({
      id: 41,
      severity: "medium",
      title: "updateJiraIssue by Alice Example",
    });
    const high = anAlert({ id: 42, severity: "high" });
    const view = responderHome({
      now: T0,
      organizations: [
        {
          orgId: "org-1",
          name: undefined,
          openAlerts: [high, medium],
          unposted: 0,
          unpostedListed: new Set(),
          openBySeverity: { high: 1, medium: 1 },
          today: figures,
          yesterday: figures,
          topPeople: [],
          topTools: [],
          health: { healthy: true, lastPoll: T0, lagSeconds: 10, problems: [] },
          apiKeyExpires: undefined,
          apiKeyRejected: false,
        },
      ],
    });
    const rows = view.blocks.map((b) => shown(b)).filter((t) => /alert 4[12]\b/.test(t));
    expect(rows).toHaveLength(2);
    // 🔴 and 🟠 are told apart by colour alone (and a screen reader says "red circle").
    expect(rows.find((r) => r.includes("alert 42"))).toMatch(/\bhigh\b|\bHIGH\b/);
    expect(rows.find((r) => r.includes("alert 41"))).toMatch(/\bmedium\b|\bMEDIUM\b/);
  });
});
