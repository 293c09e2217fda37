/**
 * The messages that stand for many alerts at once (a backlog's summary, the hour's roll-up) count
 * by rule and by person: a list cut to its top ten says how many it left out.
 */
import { describe, expect, it } from "vitest";
import type { Alert } from "../../src/domain/alert.js";
import { overflowSummary, rollupMessage } from "../../src/slack/blocks/summary.js";
import { anAlert, T0 } from "../detect/fixtures.js";

const RULES = [
  "mcp-destructive",
  "mcp-write",
  "mcp-burst",
  "mcp-off-hours",
  "mcp-new-tool",
  "mcp-new-scope",
  "mcp-new-location",
  "mcp-first-use",
  "mcp-api-token",
  "mcp-volume-spike",
  "mcp-unknown-action",
  "mcp-watched-place",
  "mcp-settings-changed",
  "org-admin-granted",
];
/** 140 alerts: every rule firing, 35 people. */
const alerts: Alert[] = Array.from({ length: 140 }, (_, i) =>
  anAlert({
    id: i + 1,
    ruleId: RULES[i % RULES.length],
    severity: i % 3 === 0 ? "high" : "medium",
    userId: `acc-${i % 35}`,
    userName: `Person ${i % 35}`,
    title: `alert ${i + 1}`,
  }),
);
const fieldsOf = (m: { blocks: unknown[] }) =>
  (m.blocks as Array<{ fields?: Array<{ text: string }> }>)
    .flatMap((b) => b.fields ?? [])
    .map((f) => f.text);
const bullets = (field: string) => field.split("\n").filter((l) => l.startsWith("• "));

describe("a message for many alerts, cutting a list to its top ten", () => {
  it("the backlog's summary says how many rules and people it left out", () => {
    const [byRule = "", byPerson = ""] = fieldsOf(overflowSummary(alerts, "org-1"));
    expect(bullets(byRule)).toHaveLength(10);
    expect(byRule).toMatch(/\n…and 4 more$/);
    expect(bullets(byPerson)).toHaveLength(10);
    expect(byPerson).toMatch(/\n…and 25 more$/);
    // Ten or fewer: nothing left out, nothing said.
    for (const field of fieldsOf(overflowSummary(alerts.slice(0, 10), "org-1")))
      expect(field).not.toContain("more");
  });

  it("the hour's roll-up says how many people it left out", () => {
    const [, byPerson = ""] = fieldsOf(
      rollupMessage(alerts, { orgId: "org-1", hour: T0, maxPerHour: 10 }),
    );
    expect(bullets(byPerson)).toHaveLength(10);
    expect(byPerson).toMatch(/\n…and 25 more$/);
  });
});
