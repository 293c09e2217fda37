/**
 * A tool new to the organization is about the organization, not the person who used it first:
 * no mute or suppression of theirs covers it. Its alert offers no button that would claim to
 * quiet Quentin's later new-tool alerts, says why, and a crafted click on one is refused, the
 * next new tool he uses posted as before. Real Bolt in HTTP mode, signed clicks, the fake Slack
 * Web API, a real SQLite file, the engine.
 */
import { expect, it } from "vitest";
import { learningBlocks } from "../../../src/slack/blocks/learning.js";
import { DAY, HOUR } from "../../../src/time-units.js";
import { event, person } from "../../detect/engine-rig.js";
import { RESPONDER } from "../people/ask-rig.js";
import { CHANNEL } from "../setup.js";
import { judgingRig } from "./judging-rig.js";

it("a new-tool alert offers no mute, snooze or suppress, and a crafted click on one is refused", async () => {
  const { a, judge } = await judgingRig();
  const quentin = person("acc-quentin", "quentin@example.com");
  const call = (tool: string, time: number) =>
    event({ ...quentin, tool, toolClass: "write", time, processedAt: time });
  await judge(call("getJiraIssue", a.clock.now() - 3 * DAY), true);
  await judge(call("getJiraIssue", a.clock.now() - HOUR));
  await judge(call("addCommentToJiraIssue", a.clock.now()));
  const newTools = () =>
    a.slack
      .messages(CHANNEL)
      .filter((m) => m.thread_ts === undefined && m.text.includes("New MCP tool"));
  const [message] = newTools();
  const [alert] = a.stores.alerts.list("org-1").filter((x) => x.ruleId === "mcp-new-tool");
  if (!alert || !message) throw new Error("no mcp-new-tool alert");
  const shown = JSON.stringify(message.blocks ?? []);
  expect(shown).toContain('"alert_acknowledge"');
  expect(shown).toContain('"alert_expected"');
  expect(shown).not.toContain('"alert_expected_mute"');
  expect(shown).not.toContain('"alert_snooze"');
  expect(shown).toContain("No mute or snooze: this alert is about the organization");
  const where = { channel: CHANNEL, ts: message.ts };
  for (const [action, value] of [
    ["alert_expected_mute", String(alert.id)],
    ["alert_snooze", `${alert.id}:4`],
  ] as const) {
    const before = a.slack.responses.length;
    await a.click(action, RESPONDER, value, where, action === "alert_snooze");
    await a.slack.waitFor(() => a.slack.responses.length > before, 5000, "the refusal");
    expect(String(a.slack.responses[before]?.body.text)).toMatch(
      /^Nothing changed: this alert is about the organization/,
    );
  }
  await a.settled();
  expect(a.stores.alerts.get(alert.id)?.status).toBe("open");
  expect(a.stores.mutes.list(a.clock.now())).toEqual([]);
  expect(a.thread(message.ts).filter((t) => t.includes("muted") || t.includes("snoozed"))).toEqual(
    [],
  );
  // Marked expected three times, it offers no "Mute 30 days" or "Suppress" either.
  const taught = { expected: 3, mute: undefined, suppression: undefined };
  expect(learningBlocks(alert, taught)).toEqual([]);
  // His next new tool is posted, as the alert's message never said otherwise.
  a.clock.advance(DAY);
  await judge(call("createConfluencePage", a.clock.now()));
  expect(newTools()).toHaveLength(2);
}, 60_000);
