/**
 * An alert's records say it as it was just after each change, whenever they are sent: a `raised`
 * record sent late says what it said on time, and a growth into the channel is a change of its own.
 */
import { afterEach, describe, expect, it } from "vitest";
import { mcpEvent } from "../detect/fixtures.js";
import { SiemReceiver } from "../fakes/siem-receiver.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { freshStore, newAlert, T } from "../store/setup.js";
import { exporterTo } from "./exporter-rig.js";

const SECRET = "s3cret-for-the-export-test-0123456789abcdef";
const receivers: SiemReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function rig() {
  const receiver = await SiemReceiver.start(SECRET);
  receivers.push(receiver);
  const s = freshStore();
  const clock = new VirtualClock();
  const exporter = exporterTo(receiver, SECRET, s, clock, capturedLogger().logger);
  const pass = () => exporter.pass(new AbortController().signal);
  s.transaction(() => s.events.insertMany([mcpEvent({ id: "e1" }), mcpEvent({ id: "e2" })], T));
  /** What the rules do with the group's next call (src/detect/grouping.ts). */
  const grow = (id: number, severity: "low" | "high") =>
    s.alerts.grow(
      { id, orgId: "org-1" },
      { seq: 2, time: T + 60_000, late: false, tools: ["deleteJiraIssue"], severity, notify: true },
      T + 60_000,
    );
  /** The alert records the receiver took (2xx), as [change, severity, for_channel, quieted_by]. */
  const taken = () =>
    receiver.batches
      .filter((b) => b.status === 200)
      .flatMap((b) => b.records)
      .filter((r) => r.kind === "alert")
      .map((r) => [r.change, r.severity, r.for_channel, r.quieted_by]);
  return { receiver, s, clock, pass, grow, taken };
}

describe("an alert raised for the digest that grows into the channel", () => {
  it("sent on time: raised for the digest, then its severity, then the channel", async () => {
    const { s, pass, grow, taken } = await rig();
    // Below MIN_SEVERITY: kept for the digest; the group's next call is high.
    const id = s.alerts.insert(newAlert({ severity: "low", notify: false }));
    await pass();
    grow(id, "high");
    await pass();
    expect(taken()).toEqual([
      ["raised", "low", false, undefined],
      ["severity", "high", undefined, undefined],
      ["channel", "high", true, undefined],
    ]);
  });

  it("sent after an outage of the receiver: the same records, the raise still for the digest", async () => {
    const { receiver, s, clock, pass, grow, taken } = await rig();
    const id = s.alerts.insert(newAlert({ severity: "low", notify: false }));
    receiver.answer({ status: 503, body: "down" });
    await pass();
    grow(id, "high");
    clock.advance(60_000); // the backoff is over
    await pass();
    expect(receiver.batches.map((b) => b.status)).toEqual([503, 200]);
    expect(taken()).toEqual([
      ["raised", "low", false, undefined],
      ["severity", "high", undefined, undefined],
      ["channel", "high", true, undefined],
    ]);
  });

  it("with its severity unchanged (MIN_SEVERITY lowered since), is still told: a `channel` change", async () => {
    const { s, pass, grow, taken } = await rig();
    const id = s.alerts.insert(newAlert({ severity: "high", notify: false }));
    await pass();
    grow(id, "high");
    await pass();
    expect(taken()).toEqual([
      ["raised", "high", false, undefined],
      ["channel", "high", true, undefined],
    ]);
  });

  it("raised quieted by a mute, is never sent as both quieted and for the channel", async () => {
    const { s, pass, grow, taken } = await rig();
    const id = s.alerts.insert(newAlert({ notify: false, suppressedBy: "mute" }));
    grow(id, "high");
    await pass();
    expect(taken()).toEqual([
      ["raised", "high", false, "mute"],
      ["channel", "high", true, undefined],
    ]);
  });
});
