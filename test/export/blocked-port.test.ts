/**
 * A receiver on a port the Fetch standard blocks (fetch refuses it with "bad port" before any
 * connection): Cribl Stream's HTTP source listens on 10080 by default. The export delivers there.
 */
import { afterEach, describe, expect, it } from "vitest";
import { mcpEvent } from "../detect/fixtures.js";
import { SiemReceiver } from "../fakes/siem-receiver.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { freshStore } from "../store/setup.js";
import { exporterTo } from "./exporter-rig.js";

const SECRET = "s3cret-for-the-export-test-0123456789abcdef";
/** Ports fetch refuses: 10080 first (Cribl's), the others when it is taken here. */
const BLOCKED = [10080, 6000, 5060, 6665, 6666, 6667, 6668, 6669];
const receivers: SiemReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe("a receiver on a port fetch refuses (Cribl Stream's default 10080)", () => {
  it("gets the records, signed", async () => {
    const receiver = await SiemReceiver.start(SECRET, BLOCKED);
    receivers.push(receiver);
    const port = Number(new URL(receiver.url).port);
    expect(BLOCKED).toContain(port);
    // What fetch itself makes of that port.
    await expect(fetch(receiver.url, { method: "POST" })).rejects.toMatchObject({
      cause: { message: "bad port" },
    });
    const s = freshStore();
    s.transaction(() =>
      s.events.insertMany([mcpEvent({ id: "ev-a" })], Date.UTC(2026, 10, 2, 11, 0, 0)),
    );
    const exporter = exporterTo(receiver, SECRET, s, new VirtualClock(), capturedLogger().logger);
    const outcome = await exporter.pass(new AbortController().signal);
    expect(outcome).toBeUndefined();
    expect(receiver.batches.map((b) => [b.verified, b.records.map((r) => r.id)])).toEqual([
      [true, ["ev-a"]],
    ]);
    expect(exporter.lag()).toEqual([{ orgId: "org-1", seconds: 0 }]);
  });
});
