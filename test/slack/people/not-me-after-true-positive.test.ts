/**
 * The person's "No, that wasn't me" on an alert a responder already marked true positive: the
 * confirmed compromise stays confirmed (not reopened, not reminded of, still learned from), the
 * answer is in its trail and thread and the responders are called.
 */
import { describe, expect, it } from "vitest";
import { HOUR } from "../../../src/time-units.js";
import { ALICE, askRig, firstUse, GROUP, RESPONDER } from "./ask-rig.js";

type Rig = Awaited<ReturnType<typeof askRig>>;

const offHours = (i: number) => ({
  ruleId: "mcp-off-hours",
  severity: "medium" as const,
  groupKey: `mcp-off-hours|acc-1|${i}`,
  title: `Off-hours MCP call by Alice (${i})`,
  userId: "acc-1",
  userName: "Alice",
  userEmail: "p1@example.com",
});

/** A responder marks the alert true positive; then Alice answers its question: not her. */
async function confirmedThenDenied(a: Rig, id: number, where: { channel: string; ts: string }) {
  await a.click("alert_true_positive", RESPONDER, String(id), where);
  await a.slack.waitFor(() => a.alerts.get(id)?.status === "true_positive", 5000, "the TP");
  a.clock.advance(5 * 60_000);
  const question = a.dm().find((m) => JSON.stringify(m.blocks ?? []).includes(`"ask_${id}"`));
  expect(question).toBeDefined();
  await a.click("ask_no", ALICE, String(id), {
    channel: a.slack.dmChannel(ALICE),
    ts: question?.ts ?? "",
  });
  await a.waitForThread(where.ts, "says this was *not* them");
  await a.settled();
}

describe("a true positive, then the person's 'No, that wasn't me'", () => {
  it("stays true positive, raised to high, the answer noted and the responders called, never reminded of", async () => {
    const a = await askRig();
    const { id, where } = await a.postAlert(firstUse("p1@example.com", 1));
    await a.slack.waitFor(() => a.dm().length > 0, 5000, "the question");
    await confirmedThenDenied(a, id, where);
    a.clock.advance(3 * HOUR);
    await a.pass();
    await a.pass();

    expect(a.alerts.get(id)?.status).toBe("true_positive");
    expect(a.alerts.get(id)?.severity).toBe("high");
    const trail = a.trail.history("org-1", id);
    expect(trail.some((t) => t.note === "the person asked answered no")).toBe(true);
    expect(trail.filter((t) => t.to === "open")).toEqual([]);
    const thread = a.thread(where.ts);
    const call = thread.find((t) => t.includes("says this was *not* them"));
    expect(call).toContain(`<!subteam^${GROUP}>`);
    expect(call).toContain("It stays marked true positive.");
    expect(thread.filter((t) => t.startsWith("⏰"))).toEqual([]);
  });

  it("still counts as a confirmed compromise: the next alert of the pattern offers no mute nor suppression", async () => {
    const a = await askRig();
    for (let i = 1; i <= 3; i++) {
      const { id, where } = await a.postAlert(offHours(i));
      await a.click("alert_expected", RESPONDER, String(id), where);
      await a.slack.waitFor(() => a.alerts.get(id)?.status === "expected", 5000, "expected");
      a.clock.advance(HOUR);
    }
    const four = await a.postAlert(offHours(4));
    await confirmedThenDenied(a, four.id, four.where);
    a.clock.advance(HOUR);

    const five = await a.postAlert(offHours(5));
    const blocks = JSON.stringify(a.top(five.where.ts)?.blocks);
    expect(blocks).toContain(`"alert_actions_${five.id}"`);
    expect(blocks).not.toContain("alert_mute_30");
    expect(blocks).not.toContain("alert_suppress");
  });
});
