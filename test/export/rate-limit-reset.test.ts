/** A receiver's X-RateLimit-Reset, in whichever of its common forms, is waited for. */
import { describe, expect, it } from "vitest";
import { rateLimitWaitMs } from "../../src/atlassian/retry.js";
import { ExportClient } from "../../src/export/client.js";
import { receiverResetAt } from "../../src/export/reset-at.js";
import { Secret } from "../../src/secret.js";
import { capWait, MAX_WAIT_MS } from "../../src/wait.js";
import { mcpEvent } from "../detect/fixtures.js";
import { SiemReceiver } from "../fakes/siem-receiver.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { capturedLogger } from "../helpers/logs.js";
import { freshStore } from "../store/setup.js";
import { exporterTo } from "./exporter-rig.js";

const SECRET = "s3cret-for-the-export-test-0123456789abcdef";

async function receiver() {
  const r = await SiemReceiver.start(SECRET);
  closeAfterTest(() => r.close());
  return r;
}

describe("a 429 with X-RateLimit-Reset", () => {
  it("waits as long as it says, in seconds from now, epoch seconds or a date", async () => {
    const r = await receiver();
    const clock = new VirtualClock();
    const client = new ExportClient({ url: r.url, secret: new Secret(SECRET), clock });
    const now = clock.now();
    const resets = [
      "120",
      String(now / 1000 + 120),
      new Date(now + 120_000).toUTCString(),
      new Date(now + 120_000).toISOString(),
    ];
    for (const reset of resets) {
      r.answer({ status: 429, headers: { "x-ratelimit-reset": reset } });
      expect(await client.post('{"kind":"mcp_event"}\n'), reset).toMatchObject({
        kind: "retry",
        waitMs: 120_000,
        receiverWide: true,
      });
    }
  });

  it("asks the receiver nothing until then", async () => {
    const r = await receiver();
    const s = freshStore();
    s.transaction(() => s.events.insertMany([mcpEvent({ id: "ev-a" })], Date.UTC(2026, 10, 2)));
    const clock = new VirtualClock();
    const exporter = exporterTo(r, SECRET, s, clock, capturedLogger("info").logger);
    r.answer({ status: 429, headers: { "x-ratelimit-reset": "120" } });
    const signal = new AbortController().signal;
    await exporter.pass(signal);
    clock.advance(119_000);
    await exporter.pass(signal);
    expect(r.batches).toHaveLength(1);
    clock.advance(1_000);
    await exporter.pass(signal);
    expect(r.batches.map((b) => b.status)).toEqual([429, 200]);
  });
});

describe("receiverResetAt", () => {
  const now = Date.UTC(2026, 10, 2, 12, 0, 0);

  it("reads a date, epoch seconds or ms, and seconds from now, told apart by size", () => {
    expect(receiverResetAt("2026-11-02T12:02:00Z", now)).toBe(now + 120_000);
    expect(receiverResetAt("Mon, 02 Nov 2026 12:02:00 GMT", now)).toBe(now + 120_000);
    expect(receiverResetAt(String(now / 1000 + 120), now)).toBe(now + 120_000);
    expect(receiverResetAt(String(now + 120_000), now)).toBe(now + 120_000);
    expect(receiverResetAt("120", now)).toBe(now + 120_000);
    expect(receiverResetAt("1.5", now)).toBe(now + 1_500);
    expect(receiverResetAt("0", now)).toBe(now);
  });

  it("says nothing of what is not a time", () => {
    expect(receiverResetAt("soon", now)).toBeUndefined();
    // A reset already past says nothing either: the backoff is waited.
    for (const past of ["-5", "0", String(now / 1000 - 1), "2026-11-02T11:59Z"])
      expect(
        rateLimitWaitMs(new Headers({ "x-ratelimit-reset": past }), now, receiverResetAt),
      ).toBeUndefined();
  });

  it("is bounded by its user as Retry-After is: a reset far off waits at most 15 minutes", () => {
    const wait = rateLimitWaitMs(
      new Headers({ "x-ratelimit-reset": String(now / 1000 + 86_400) }),
      now,
      receiverResetAt,
    );
    expect(wait).toBe(86_400_000);
    expect(capWait(wait ?? 0)).toEqual({ ms: MAX_WAIT_MS, capped: true });
  });
});
