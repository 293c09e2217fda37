/**
 * Slack out of reach for two hours: what /healthz and `/mcp-activity status` count as waiting
 * for Slack. The outbox and the fake Slack Web API on 127.0.0.1, a real SQLite file, a virtual
 * clock.
 */
import { describe, expect, it } from "vitest";
import { slackRig } from "../setup.js";
import { alertsEachHour } from "./outage-rig.js";

describe("what waits for Slack while alerts are held back", () => {
  it("counts every alert that waits to be posted, not only the post that keeps trying", async () => {
    const r = await slackRig();
    r.slack.failNext("chat.postMessage", { status: 500 }, 100_000);
    await alertsEachHour(r, {
      hours: 2,
      perHour: 12,
      alert: (person) => ({
        severity: "high",
        ruleId: "mcp-destructive",
        groupKey: `mcp-destructive|acc-out-${person}`,
        title: `deleteJiraIssue by person ${person}`,
      }),
    });
    await r.poster.drain();
    const unposted = r.db
      .prepare(
        "SELECT count(*) FROM alerts a WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.alert_id = a.id AND d.ts IS NOT NULL)",
      )
      .pluck()
      .get();
    expect(unposted).toBe(24);
    // What /healthz (`slack.pendingDeliveries`, `slack.heldBack`) and `status` add up: the posts
    // waiting in the outbox, and the alerts held back from it.
    const held = r.stores.deliveries.backlog("org-1");
    expect(held).toBeGreaterThan(0);
    expect(r.stores.outbox.waitingFor("org-1") + held).toBe(unposted);
  }, 60_000);
});
