import { afterEach, describe, expect, it } from "vitest";
import { ExportClient } from "../../src/export/client.js";
import { targetFingerprint } from "../../src/export/sign.js";
import { Exporter } from "../../src/export/worker.js";
import { Secret } from "../../src/secret.js";
import { mcpEvent } from "../detect/fixtures.js";
import { SiemReceiver as Receiver, type SiemReceiver } from "../fakes/siem-receiver.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { freshStore } from "../store/setup.js";

const SECRET = "s3cret-for-the-export-test-0123456789abcdef";
const receivers: SiemReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/**
 * The export's start lifts a stop met with another receiver (EXPORT_URL or EXPORT_SECRET changed
 * since). When the database cannot be written at that start (read-only for a moment, a full
 * disk), the log says "trying again in …": the lift must then happen once it writes again.
 */
describe("a stop of another receiver, when the database cannot be written at start", () => {
  it("is lifted once the database writes again, and the records go out", async () => {
    const receiver = await Receiver.start(SECRET);
    receivers.push(receiver);
    const s = freshStore();
    s.transaction(() =>
      s.events.insertMany([mcpEvent({ id: "ev-a" })], Date.UTC(2026, 10, 2, 11, 0, 0)),
    );
    s.export.stop({
      target: "another-receiver",
      at: Date.now(),
      reason: "the receiver answered 404",
    });
    const clock = new VirtualClock();
    const logs = capturedLogger("info");
    const exporter = new Exporter({
      store: s.export,
      client: new ExportClient({ url: receiver.url, secret: new Secret(SECRET), clock }),
      orgIds: ["org-1"],
      target: targetFingerprint(receiver.url, SECRET),
      origin: new URL(receiver.url).origin,
      clock,
      logger: logs.logger,
      batchRecords: 500,
      random: () => 1,
    });

    s.db.pragma("query_only = ON"); // read-only as the bot starts
    const stop = new AbortController();
    const running = exporter.worker.run(stop.signal);
    const start = clock.now();
    while (clock.now() < start + 5_000) await new Promise((r) => setImmediate(r));
    // The start said it failed and that it is tried again.
    expect(logs.text()).toMatch(/export failed: .*; trying again/);

    s.db.pragma("query_only = OFF");
    while (clock.now() < start + 10 * 60_000) await new Promise((r) => setImmediate(r));
    stop.abort();
    await running;

    expect(s.export.stopped()).toBeUndefined();
    expect(receiver.records().map((r) => r.record_id)).toHaveLength(1);
  });
});
