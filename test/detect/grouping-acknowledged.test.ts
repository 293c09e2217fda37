/**
 * rules.md: "mcp-destructive, group, 24 hours: ... one person's cleanup session is one incident:
 * one message a day per person, each call in its thread." An acknowledged alert (someone is on it)
 * keeps taking its group's lower findings, as an open one does: a responder who acknowledges it at
 * once gets no new message for each next call of the same session. A high finding is news they
 * have not seen: it opens a new alert. Real Bolt, the fake Slack, a virtual clock, the live engine
 * on a SQLite file.
 */
import { describe, expect, it } from "vitest";
import { DetectionEngine } from "../../src/detect/engine.js";
import { parseRulesText } from "../../src/detect/rules-file.js";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { EventActionStore } from "../../src/store/event-actions.js";
import { askRig, RESPONDER } from "../slack/people/ask-rig.js";
import { CHANNEL } from "../slack/setup.js";
import { MCP_TOOL_CALLED, normalizedEvent, T0 } from "./fixtures.js";

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
let n = 0;
function del(time: number, backfilled = false): NormalizedEvent {
  const e = normalizedEvent({
    id: `del-${++n}`,
    time,
    processedAt: time + 1000,
    tool: "deleteJiraIssue",
    toolClass: "destructive",
    resource: `OPS-${n}`,
    backfilled,
  });
  return e;
}

/** mcp-destructive lowered to medium: an acknowledged alert takes its findings. */
const MEDIUM = "rules:\n  mcp-destructive: { severity: medium }\n";

/** Four deletes by Alice three minutes apart; `ack`: each new alert acknowledged at once. */
async function session(ack: boolean, rules = MEDIUM) {
  const a = await askRig();
  new EventActionStore(a.db).replace("org-1", [MCP_TOOL_CALLED], () => false, T0 - 20 * DAY);
  // Alice's history: she has used MCP and this tool before (no first use, no new tool).
  a.stores.events.insertMany([del(T0 - 3 * DAY, true), del(T0 - 2 * DAY, true)], T0 - DAY);
  const engine = new DetectionEngine({
    stores: a.stores,
    clock: a.clock,
    logger: a.logs.logger,
    orgId: "org-1",
    config: parseRulesText(rules, "rules.yml"),
  });
  engine.run();
  const messageOf = (id: number) =>
    a.slack
      .messages(CHANNEL)
      .find((m) => JSON.stringify(m.blocks ?? []).includes(`"alert_actions_${id}"`));
  for (let i = 0; i < 4; i++) {
    const now = a.clock.now();
    a.stores.events.insertMany([del(now - 30_000)], now);
    engine.run();
    await a.poster.drain();
    await a.pass();
    const open = a.alerts
      .list("org-1")
      .filter((x) => x.ruleId === "mcp-destructive" && x.status === "open");
    if (ack)
      for (const x of open) {
        await a.click("alert_acknowledge", RESPONDER, String(x.id), {
          channel: CHANNEL,
          ts: messageOf(x.id)?.ts ?? "",
        });
        await a.slack.waitFor(() => a.alerts.get(x.id)?.status === "acknowledged", 5000, "ack");
      }
    await a.settled();
    a.clock.advance(3 * MIN);
  }
  // The growth reply waiting for its ten minutes is sent.
  a.clock.advance(10 * MIN);
  await a.poster.drain();
  const destructive = a.alerts.list("org-1").filter((x) => x.ruleId === "mcp-destructive");
  const top = a.slack.messages(CHANNEL).filter((m) => m.thread_ts === undefined);
  const first = destructive[0];
  const message = first && messageOf(first.id);
  return {
    alerts: destructive.map((x) => [x.eventCount, x.status]),
    top: top.length,
    shown: JSON.stringify(message?.blocks ?? []),
    thread: a.thread(message?.ts ?? ""),
  };
}

describe("a cleanup session of four deletes in ten minutes", () => {
  it("is one message whether or not a responder acknowledged it at once", async () => {
    const quiet = await session(false);
    const acked = await session(true);
    expect(quiet.alerts).toEqual([[4, "open"]]);
    expect(acked.alerts).toEqual([[4, "acknowledged"]]);
    expect(acked.top).toBe(quiet.top);
  });

  it("is a new alert at each delete once acknowledged, when mcp-destructive is high", async () => {
    const quiet = await session(false, "");
    const acked = await session(true, "");
    expect(quiet.alerts).toEqual([[4, "open"]]);
    expect(acked.alerts).toEqual([
      [1, "acknowledged"],
      [1, "acknowledged"],
      [1, "acknowledged"],
      [1, "acknowledged"],
    ]);
    expect(acked.top).toBe(quiet.top + 3);
  });

  it("tells each later call in the thread, its message still saying who acknowledged it", async () => {
    const acked = await session(true);
    expect(acked.shown).toContain(`Acknowledged by <@${RESPONDER}>`);
    expect(acked.shown).toContain("4 events");
    expect(acked.thread.filter((t) => t.startsWith("Now "))).not.toEqual([]);
    expect(acked.thread.at(-1)).toMatch(/^Now 4 events/);
  });
});
