/**
 * An alert counted in the hour's roll-up or a backlog's summary gets a message of its own once it
 * becomes high, whichever way: its group grew, or its person said "not me" (or both, in either
 * order). One post, never two; a "not me" is told in its thread; the roll-up says so.
 */
import { describe, expect, it } from "vitest";
import type { Alert } from "../../../src/domain/alert.js";
import { growRetitled } from "../alerts/growth.js";
import { CHANNEL } from "../setup.js";
import { ALICE, askRig, firstUse, GROUP } from "./ask-rig.js";

type Rig = Awaited<ReturnType<typeof askRig>>;

/** Ten first uses take the hour's budget; Alice's is rolled up and she is asked about it. */
async function rolledUp(a: Rig): Promise<number> {
  for (let i = 0; i < 10; i++) a.raise(firstUse(`someone${i}@example.com`, i));
  const id = a.raise(firstUse("p1@example.com", 99));
  await a.poster.drain();
  await a.pass();
  expect(a.stores.deliveries.get("org-1", id)).toMatchObject({ viaSummary: true });
  expect(a.dm()).toHaveLength(1);
  return id;
}

/** Every chat.postMessage Slack was asked for that is the alert's own message (by metadata). */
const ownPosts = (a: Rig, id: number) =>
  a.slack.callsTo("chat.postMessage").filter((c) => {
    const metadata = c.params.metadata as { event_payload?: { alert_id?: unknown } } | undefined;
    return metadata?.event_payload?.alert_id === id;
  });
const ownMessage = (a: Rig, id: number) =>
  a.slack
    .messages(CHANNEL)
    .find((m) => m.thread_ts === undefined && m.metadata?.event_payload.alert_id === id);
const rollup = (a: Rig) =>
  a.slack.messages(CHANNEL).find((m) => m.metadata?.event_type === "mcp_alert_rollup");

async function notMe(a: Rig): Promise<void> {
  await a.click("ask_no", ALICE, String(a.alerts.list("org-1").at(-1)?.id), {
    channel: a.slack.dmChannel(ALICE),
    ts: a.dm()[0]?.ts ?? "",
  });
  await a.slack.waitFor(() => (a.dm()[0]?.updates ?? 0) > 0, 5000, "the question answered");
  await a.settled();
  await a.poster.drain();
}

/** The alert's group grows, to `severity`; the producer and the outbox run. */
async function grow(a: Rig, id: number, severity: Alert["severity"], title: string) {
  growRetitled(a, id, severity, title);
  a.clock.advance(60_000);
  await a.poster.drain();
}

const calling = (id: number) => `<@${ALICE}> says this was *not* them ([HIGH] alert ${id}: `;

describe("an alert in the hour's roll-up that becomes high", () => {
  it("by its person's 'not me': posted alone once, the responders called in its thread, the roll-up saying so", async () => {
    const a = await askRig();
    const id = await rolledUp(a);
    await notMe(a);
    expect(ownPosts(a, id)).toHaveLength(1);
    const own = ownMessage(a, id);
    expect(own?.text.startsWith("[HIGH]")).toBe(true);
    await a.waitForThread(own?.ts ?? "", calling(id));
    expect(a.thread(own?.ts ?? "").at(-1)).toContain(`<!subteam^${GROUP}> please look now`);
    expect(JSON.stringify(rollup(a)?.blocks)).toContain(
      `alert ${id} · high · First MCP call by p1@example.com with Claude · posted alone once it became high`,
    );
    expect(rollup(a)?.text).toBe("1 more alert this hour, past the channel's 10 an hour");
    expect(a.stores.deliveries.get("org-1", id)).toMatchObject({
      viaSummary: false,
      ts: own?.ts,
    });
  });

  it("by its group's growth: posted alone once", async () => {
    const a = await askRig();
    const id = await rolledUp(a);
    await grow(a, id, "high", "First MCP call by p1@example.com, now deleting");
    expect(ownPosts(a, id)).toHaveLength(1);
    expect(JSON.stringify(rollup(a)?.blocks)).toContain(`alert ${id} · high · `);
    expect(JSON.stringify(rollup(a)?.blocks)).toContain("posted alone once it became high");
  });

  it("grown high, then 'not me': still one post, the call in its thread", async () => {
    const a = await askRig();
    const id = await rolledUp(a);
    await grow(a, id, "high", "First MCP call by p1@example.com, now deleting");
    await notMe(a);
    expect(ownPosts(a, id)).toHaveLength(1);
    const own = ownMessage(a, id);
    await a.waitForThread(own?.ts ?? "", calling(id));
  });

  it("'not me', then grown: still one post, updated with the growth", async () => {
    const a = await askRig();
    const id = await rolledUp(a);
    await notMe(a);
    await grow(a, id, "high", "First MCP call by p1@example.com, now deleting");
    await a.settled();
    expect(ownPosts(a, id)).toHaveLength(1);
    expect(JSON.stringify(ownMessage(a, id)?.blocks)).toContain("now deleting");
    expect(JSON.stringify(rollup(a)?.blocks)).toContain(
      `alert ${id} · high · First MCP call by p1@example.com, now deleting · posted alone once it became high`,
    );
  });
});

describe("an alert counted in a backlog's summary", () => {
  it("'not me': posted alone once, the responders called in its thread; the summary is left as it was", async () => {
    const a = await askRig("", { producer: { perMinute: 3, keepIndividually: 1 } });
    for (let i = 0; i < 4; i++) a.raise(firstUse(`someone${i}@example.com`, i));
    const id = a.raise(firstUse("p1@example.com", 99));
    await a.poster.drain();
    await a.pass();
    expect(a.stores.deliveries.get("org-1", id)).toMatchObject({ viaSummary: true });
    await notMe(a);
    await a.poster.drain();
    expect(ownPosts(a, id)).toHaveLength(1);
    const own = ownMessage(a, id);
    expect(own?.text.startsWith("[HIGH]")).toBe(true);
    await a.waitForThread(own?.ts ?? "", calling(id));
    expect(a.slack.callsTo("chat.update").map((c) => c.params.ts)).not.toContain(
      a.slack.messages(CHANNEL).find((m) => m.metadata?.event_type === "mcp_alert_summary")?.ts,
    );
  });
});
