/**
 * A 2xx whose body breaks off (the connection closed or stalled mid-body, the bot stopping while
 * it is read) is judged by what came before: a page or nothing is no delivery (real HTTP on
 * 127.0.0.1, real SQLite).
 */
import { describe, expect, it } from "vitest";
import { mcpEvent } from "../detect/fixtures.js";
import { SiemReceiver } from "../fakes/siem-receiver.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { capturedLogger } from "../helpers/logs.js";
import { until } from "../helpers/until.js";
import { connect, freshStore } from "../store/setup.js";
import { exporterTo } from "./exporter-rig.js";

const SECRET = "s3cret-for-the-export-test-0123456789abcdef";

const SIGN_IN_START =
  "<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body>";

async function rig() {
  const receiver = await SiemReceiver.start(SECRET);
  closeAfterTest(() => receiver.close());
  const s = freshStore();
  s.transaction(() => s.events.insertMany([mcpEvent({ id: "a" })], Date.UTC(2026, 10, 2)));
  const clock = new VirtualClock();
  return { receiver, s, clock };
}

describe("a 2xx whose body breaks off", () => {
  it.each([
    // The stall is met by the POST's time running out (30 s in the bot).
    ["closed", "close" as const, undefined],
    ["stalled", "stall" as const, 2_000],
  ])(
    "is no delivery when the page it started is %s mid-body: sent again",
    async (_, breaks, timeoutMs) => {
      const { receiver, s, clock } = await rig();
      const exporter = exporterTo(receiver, SECRET, s, clock, capturedLogger().logger, {
        timeoutMs,
      });
      receiver.answer({
        status: 200,
        headers: { "content-type": "text/html" },
        body: SIGN_IN_START,
        breaks,
      });
      await exporter.pass(new AbortController().signal);
      expect(s.export.positions("org-1").mcp_event).toBe(0);
      expect(exporter.section().lastError?.message).toBe(
        "the receiver answered 200 with a web page, not taken as delivered (a sign-in or proxy page in front of the receiver, most likely): Sign in to your account",
      );
      clock.advance(60_000);
      await exporter.pass(new AbortController().signal);
      expect(receiver.batches.map((b) => b.records.map((r) => r.id))).toEqual([["a"], ["a"]]);
      expect(s.export.positions("org-1").mcp_event).toBeGreaterThan(0);
    },
  );

  it("is no delivery when it broke off before any of its body came: sent again, at least once", async () => {
    const { receiver, s, clock } = await rig();
    const exporter = exporterTo(receiver, SECRET, s, clock, capturedLogger().logger);
    receiver.answer({
      status: 200,
      headers: { "content-type": "application/json" },
      breaks: "close",
    });
    await exporter.pass(new AbortController().signal);
    expect(s.export.positions("org-1").mcp_event).toBe(0);
    expect(exporter.section().lastError?.message).toBe(
      "the receiver answered 200, but its body broke off or stalled before any of it came: not taken as delivered (sent again, the receiver may get these records twice)",
    );
    clock.advance(60_000);
    await exporter.pass(new AbortController().signal);
    expect(receiver.batches).toHaveLength(2);
    expect(s.export.positions("org-1").mcp_event).toBeGreaterThan(0);
  });

  it("is a delivery when an acknowledgement came before it broke off", async () => {
    const { receiver, s, clock } = await rig();
    const exporter = exporterTo(receiver, SECRET, s, clock, capturedLogger().logger);
    receiver.answer({
      status: 200,
      headers: { "content-type": "application/json" },
      body: '{"text":"Succ',
      breaks: "close",
    });
    await exporter.pass(new AbortController().signal);
    expect(receiver.batches).toHaveLength(1);
    expect(s.export.positions("org-1").mcp_event).toBeGreaterThan(0);
    expect(exporter.section().ok).toBe(true);
  });

  it("is no delivery when the bot stops while it is read: the records go again at the next start", async () => {
    const { receiver, s, clock } = await rig();
    const exporter = exporterTo(receiver, SECRET, s, clock, capturedLogger().logger);
    receiver.answer({
      status: 200,
      headers: { "content-type": "application/json" },
      body: '{"text":"Succ',
      breaks: "stall",
    });
    const stop = new AbortController();
    const pass = exporter.pass(stop.signal);
    await until(() => receiver.broken === 1, "the body's start sent");
    // The start on its way to the client, which then waits for the rest.
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop.abort();
    await pass;
    expect(s.export.positions("org-1").mcp_event).toBe(0);

    const restarted = exporterTo(receiver, SECRET, connect(s.path), clock, capturedLogger().logger);
    await restarted.pass(new AbortController().signal);
    expect(receiver.batches.map((b) => b.records.map((r) => r.id))).toEqual([["a"], ["a"]]);
    expect(s.export.positions("org-1").mcp_event).toBeGreaterThan(0);
  });
});
