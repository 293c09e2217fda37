/**
 * Alerts without a message of their own (in the hour's roll-up, or counted in a backlog's
 * summary) ask their person too; a "not me" posts the alert alone, for the responders.
 */
import { describe, expect, it } from "vitest";
import { HOUR } from "../../../src/time-units.js";
import { CHANNEL } from "../setup.js";
import { ALICE, askRig, firstUse, GROUP } from "./ask-rig.js";

type Rig = Awaited<ReturnType<typeof askRig>>;

/** `others` first uses this hour, then Alice's; the follow-ups' passes run. */
async function busyHour(a: Rig, others: number) {
  for (let i = 0; i < others; i++) a.raise(firstUse(`someone${i}@example.com`, i));
  await a.poster.drain();
  await a.pass();
  const id = a.raise(firstUse("p1@example.com", 99));
  await a.poster.drain();
  await a.pass();
  await a.pass();
  return id;
}

const rollupOf = (a: Rig) =>
  a.slack.messages(CHANNEL).find((m) => m.metadata?.event_type === "mcp_alert_rollup");
const ownMessage = (a: Rig, id: number) =>
  a.slack
    .messages(CHANNEL)
    .find((m) => JSON.stringify(m.blocks ?? []).includes(`"alert_actions_${id}"`));
const said = (a: Rig, text: string) =>
  a.slack.messages(CHANNEL).filter((m) => m.text.includes(text));

describe("alerts past the hour's budget (in the roll-up)", () => {
  it("control: a first use posted alone asks its person", async () => {
    const a = await askRig();
    await busyHour(a, 0);
    expect(a.dm().map((m) => m.text)).toEqual([expect.stringContaining("Did you do this?")]);
  });

  it("ask their person 'did you do this?', the channel not told of each question", async () => {
    const a = await askRig();
    const id = await busyHour(a, 10);
    expect(rollupOf(a)?.text).toBe("1 more alert this hour, past the channel's 10 an hour");
    expect(ownMessage(a, id)).toBeUndefined();
    expect(a.dm().map((m) => m.text)).toEqual([expect.stringContaining("Did you do this?")]);
    expect(a.store.get("org-1", id)).toMatchObject({ askState: "sent", askedUser: ALICE });
    // No message of its own to reply in: the roll-up's thread is not filled with questions.
    expect(said(a, `<@${ALICE}>`)).toEqual([]);
  });

  it("'not me' posts the alert alone, high, its thread calling the responders and taking its reminders", async () => {
    const a = await askRig();
    const id = await busyHour(a, 10);
    await a.click("ask_no", ALICE, String(id), {
      channel: a.slack.dmChannel(ALICE),
      ts: a.dm()[0]?.ts ?? "",
    });
    await a.slack.waitFor(() => ownMessage(a, id) !== undefined, 5000, "the alert posted alone");
    const own = ownMessage(a, id);
    expect(own?.text.startsWith("[HIGH]")).toBe(true);
    const ts = own?.ts ?? "";
    await a.waitForThread(ts, `<@${ALICE}> says this was *not* them ([HIGH] alert ${id}: `);
    expect(a.thread(ts).at(-1)).toContain(`<!subteam^${GROUP}> please look now`);
    expect(a.alerts.get(id)).toMatchObject({ severity: "high", status: "open" });
    await a.slack.waitFor(() => (a.dm()[0]?.updates ?? 0) > 0, 5000, "the question updated");
    expect(a.dm()[0]?.text).toContain("The security team has been told");
    a.clock.advance(2 * HOUR);
    await a.pass();
    await a.pass();
    expect(a.thread(ts).filter((t) => t.startsWith("⏰"))).toEqual([
      expect.stringContaining(`[HIGH] alert ${id}: `),
    ]);
  });

  it("'yes' is kept in the alert's trail and its question; the channel is not told", async () => {
    const a = await askRig();
    const id = await busyHour(a, 10);
    const before = a.slack.messages(CHANNEL).length;
    await a.click("ask_yes", ALICE, String(id), {
      channel: a.slack.dmChannel(ALICE),
      ts: a.dm()[0]?.ts ?? "",
    });
    await a.slack.waitFor(() => (a.dm()[0]?.updates ?? 0) > 0, 5000, "the question updated");
    await a.settled();
    expect(a.dm()[0]?.text).toContain("You answered *yes, that was me*");
    expect(a.trail.history("org-1", id).map((e) => e.note)).toEqual([
      "the person asked answered yes",
    ]);
    expect(a.slack.messages(CHANNEL)).toHaveLength(before);
    expect(ownMessage(a, id)).toBeUndefined();
  });

  it("are not reminded of while they have no message of their own", async () => {
    const a = await askRig("escalation:\n  minSeverity: medium\n");
    const id = await busyHour(a, 10);
    a.clock.advance(2 * HOUR);
    await a.pass();
    await a.pass();
    // The ten posted alone are reminded of in their threads; the rolled-up one nowhere.
    expect(said(a, "⏰")).toHaveLength(10);
    expect(said(a, `alert ${id}:`)).toEqual([]);
    expect(a.store.get("org-1", id)?.reminders).toBe(0);
  });
});

describe("alerts counted in a backlog's summary", () => {
  it("ask their person once the summary is posted", async () => {
    const a = await askRig("", { producer: { perMinute: 3, keepIndividually: 1 } });
    for (let i = 0; i < 4; i++) a.raise(firstUse(`someone${i}@example.com`, i));
    const id = a.raise(firstUse("p1@example.com", 99));
    await a.poster.drain();
    await a.pass();
    await a.pass();
    const summary = a.slack
      .messages(CHANNEL)
      .find((m) => m.metadata?.event_type === "mcp_alert_summary");
    expect(summary).toBeDefined();
    expect(ownMessage(a, id)).toBeUndefined();
    expect(a.stores.deliveries.get("org-1", id)?.viaSummary).toBe(true);
    expect(a.dm().map((m) => m.text)).toEqual([expect.stringContaining("Did you do this?")]);
  });
});
