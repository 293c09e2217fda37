/**
 * An alert's message names its number, as every other message names it: the roll-up's "alert 57 ·
 * high · …", the App Home's "· alert 57", the digest's "#57", a thread's "raised again as alert
 * 57", the suppressions' "from alert 57". Its header shows it, and so does its notification text.
 */
import { describe, expect, it } from "vitest";
import type { Alert } from "../../src/domain/alert.js";
import { alertMessage } from "../../src/slack/blocks/alert.js";
import { plainAlertMessage } from "../../src/slack/blocks/alert-plain.js";
import { LIMITS } from "../../src/slack/blocks/limits.js";
import { anAlert, mcpEvent } from "../detect/fixtures.js";

const deletion = mcpEvent({ tool: "deleteJiraIssue", toolClass: "destructive" });
const message = (alert: Partial<Alert>) =>
  alertMessage({ alert: anAlert(alert), event: deletion, explanation: "An AI tool deleted." });
const header = (m: { blocks: unknown[] }) => (m.blocks[0] as { text: { text: string } }).text.text;

describe("an alert's message in the channel", () => {
  it("shows its number in the header, before a group's count", () => {
    expect(header(message({ id: 57 }))).toBe("🔴 HIGH · mcp-destructive · alert 57");
    expect(header(message({ id: 57, eventCount: 4, tools: ["a"] }))).toBe(
      "🔴 HIGH · mcp-destructive · alert 57 · 4 events",
    );
  });

  it("names its number in the notification text: two alerts of one rule about one person differ", () => {
    expect(message({ id: 57 }).text).toBe(
      "[HIGH] alert 57: deleteJiraIssue by Alice Example — alice@example.com via Claude on acme.atlassian.net",
    );
    expect(message({ id: 58 }).text).toMatch(/^\[HIGH\] alert 58: deleteJiraIssue by Alice/);
  });

  it("keeps the number in a notification text cut to Slack's limit", () => {
    const text = message({ id: 57, title: "Ω".repeat(5000) }).text;
    expect(text).toMatch(/^\[HIGH\] alert 57: Ω+…$/);
    expect(text.length).toBeLessThanOrEqual(LIMITS.text);
  });
});

describe("an alert shown plainly, its details not drawn", () => {
  it("names its number in the header and the notification text, as the full message does", () => {
    const plain = plainAlertMessage(anAlert({ id: 57 }));
    expect(header(plain)).toBe("🔴 HIGH · mcp-destructive · alert 57");
    expect(plain.text).toBe(
      "[HIGH] alert 57: deleteJiraIssue by Alice Example — alice@example.com",
    );
  });
});
