/**
 * The alert that raises again what mutes and suppressions kept quiet (a person said an alert about
 * them was not them) names the alerts it raises again and their rules: they were never posted, so
 * its message is the only way to find them.
 */
import { describe, expect, it } from "vitest";
import { type Alert, HIDDEN_BY_MUTE_RULE } from "../../src/domain/alert.js";
import { alertMessage } from "../../src/slack/blocks/alert.js";
import { LIMITS } from "../../src/slack/blocks/limits.js";
import { DAY } from "../../src/time-units.js";
import { anAlert, mcpEvent } from "../detect/fixtures.js";
import { learningRig, RESPONDER } from "./learning-rig.js";

const raisedAgain = (detail: Alert["detail"], ruleId = HIDDEN_BY_MUTE_RULE) =>
  alertMessage({
    alert: anAlert({
      id: 90,
      ruleId,
      title: "3 alerts about Alice Example kept quiet by mutes or suppressions, raised again",
      detail,
      eventCount: 5,
      tools: ["updateJiraIssue", "getJiraIssue"],
    }),
    event: mcpEvent({ tool: "updateJiraIssue", toolClass: "write" }),
    explanation: "Mutes or suppressions kept these alerts about the person out of the channel.",
  });
const fields = (m: { blocks: unknown[] }): string[] =>
  (m.blocks as Array<{ fields?: Array<{ text: string }> }>).flatMap(
    (b) => b.fields?.map((f) => f.text) ?? [],
  );

describe("the alert that raises again what mutes kept quiet", () => {
  it("names the alerts it raises again and their rules, beside who they are about", () => {
    const m = raisedAgain({ hiddenAlerts: [31, 35, 38], rules: ["mcp-write", "mcp-off-hours"] });
    expect(fields(m).slice(0, 2)).toEqual([
      "*Who*\nAlice Example (alice@example.com)",
      "*Raised again*\nalerts 31, 35, 38 · mcp-write, mcp-off-hours",
    ]);
    // Another rule's alert says nothing of the kind, whatever its detail holds.
    const other = raisedAgain({ hiddenAlerts: [31] }, "mcp-write");
    expect(fields(other).some((f) => f.startsWith("*Raised again*"))).toBe(false);
  });

  it("escapes the rules it names, like every outside string", () => {
    const m = raisedAgain({ hiddenAlerts: [31], rules: ["<!channel> *x*"] });
    expect(fields(m)).toContain("*Raised again*\nalert 31 · &lt;!channel&gt; ∗x∗");
  });

  it("names as many as fit within Block Kit's limits, and how many more it raises", () => {
    const ids = Array.from({ length: 5000 }, (_, i) => 1_000_000 + i);
    const rules = Array.from({ length: 200 }, (_, i) => `custom-rule-with-a-long-name-${i}`);
    const m = raisedAgain({ hiddenAlerts: ids, rules });
    const field = fields(m).find((f) => f.startsWith("*Raised again*")) ?? "";
    const shown = field.match(/\d{7}/g) ?? [];
    expect(shown.slice(0, 2)).toEqual(["1000000", "1000001"]);
    expect(field).toContain(` …and ${ids.length - shown.length} more · custom-rule-with`);
    expect(field).toMatch(/…$/);
    expect(field.length).toBeLessThanOrEqual(LIMITS.field);
    expect(JSON.stringify(m.blocks).length).toBeLessThan(LIMITS.messageBlocks);
  });
});

describe("ending a mute an earlier release set on a canary, which hid canary reads", () => {
  it("posts the alert raising them again, naming each by number", async () => {
    const r = await learningRig();
    const now = r.clock.now();
    const posted = await r.raise({ ruleId: "mcp-canary", groupKey: "mcp-canary|acc-pat" });
    const reason = "marked expected 3 times within 30 days; muted for 30 days by <@URESP>";
    r.stores.mutes.add(
      "org-1",
      { ruleId: "mcp-canary", userKey: "acc-pat", until: now + 30 * DAY, reason },
      RESPONDER,
      now,
    );
    const alert = r.stores.alerts.get(posted);
    if (!alert) throw new Error("no alert");
    // Two canary reads it kept out of the channel, as the earlier release stored them.
    const { id: _i, status: _s, revision: _r, updatedAt: _u, ...canary } = alert;
    const hidden = [2, 3].map((n) =>
      r.stores.alerts.insert({
        ...canary,
        groupKey: `mcp-canary|acc-pat|${n}`,
        createdAt: now + n,
        notify: false,
        suppressedBy: reason,
      }),
    );
    r.clock.advance(DAY);
    await r.click("alert_end_mute", posted);
    const raised = r.stores.alerts.list("org-1").find((a) => a.ruleId === HIDDEN_BY_MUTE_RULE);
    if (!raised) throw new Error("nothing raised again");
    await r.slack.waitFor(() => r.message(raised.id) !== undefined, 5000, "raised again, posted");
    expect(r.shown(raised.id)).toContain(
      JSON.stringify(`*Raised again*\nalerts ${hidden.join(", ")} · mcp-canary`).slice(1, -1),
    );
  });
});
