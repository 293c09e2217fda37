/**
 * Learning from responders (docs/rules.md) counts responders' Expected only: the person's own
 * "yes, that was me" answers, marking alerts expected under ask.expectedOnYes, teach nothing.
 * Real Bolt, signed clicks, the fake Slack, a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { HOUR } from "../../../src/time-units.js";
import { ALICE, askRig, RESPONDER } from "./ask-rig.js";

const aboutAlice = (n: number) => ({
  ruleId: "mcp-first-use",
  severity: "medium" as const,
  groupKey: `mcp-first-use|acc-1|${n}`,
  userId: "acc-1",
  userEmail: "p1@example.com",
  userName: "Alice",
});

describe("the person's own 'yes' answers", () => {
  it("are not counted as responders marking the pattern expected", async () => {
    const a = await askRig("ask:\n  rules: [mcp-first-use]\n  expectedOnYes: [mcp-first-use]\n");
    const ids: number[] = [];
    for (let n = 0; n < 3; n++) {
      const { id } = await a.postAlert(aboutAlice(n));
      await a.click("ask_yes", ALICE, String(id), {
        channel: a.slack.dmChannel(ALICE),
        ts: a.dm().at(-1)?.ts ?? "",
      });
      await a.slack.waitFor(() => a.alerts.get(id)?.status === "expected", 5000, "expected");
      await a.settled();
      ids.push(id);
      a.clock.advance(HOUR);
    }
    // Three alerts expected, none by a responder: nothing offered.
    const { where } = await a.postAlert(aboutAlice(3));
    const shown = () => JSON.stringify(a.top(where.ts)?.blocks ?? []);
    expect(shown()).not.toContain("alert_mute_30");
    expect(shown()).not.toContain("alert_suppress");
    expect(shown()).not.toContain("for this rule and person");
    // A responder reopens and marks them expected: theirs are a lesson.
    for (const id of ids) {
      const on = a.slack
        .messages(where.channel)
        .find((m) => m.metadata?.event_payload.alert_id === id && m.thread_ts === undefined);
      const at = { channel: where.channel, ts: on?.ts ?? "" };
      await a.click("alert_reopen", RESPONDER, String(id), at);
      await a.slack.waitFor(() => a.alerts.get(id)?.status === "open", 5000, "reopened");
      await a.click("alert_expected", RESPONDER, String(id), at);
      await a.slack.waitFor(() => a.alerts.get(id)?.status === "expected", 5000, "expected");
      await a.settled();
    }
    const { where: next } = await a.postAlert(aboutAlice(4));
    expect(JSON.stringify(a.top(next.ts)?.blocks ?? [])).toContain(
      "Marked expected 3 times in 30 days for this rule and person.",
    );
  });
});
