/**
 * A gateway or SSO proxy in front of the collector that answers the POST with a 2xx web page (its
 * sign-in page, its error page) never handed the batch on: no delivery (real HTTP on 127.0.0.1,
 * real SQLite).
 */
import { describe, expect, it } from "vitest";
import { exportMetrics } from "../../src/export/metrics.js";
import { Metrics } from "../../src/metrics.js";
import { mcpEvent } from "../detect/fixtures.js";
import { SiemReceiver } from "../fakes/siem-receiver.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { capturedLogger } from "../helpers/logs.js";
import { freshStore } from "../store/setup.js";
import { exporterTo, runUntil } from "./exporter-rig.js";

const SECRET = "s3cret-for-the-export-test-0123456789abcdef";

const SIGN_IN =
  "\n<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body><form action=/login>…</form></body></html>";

describe("a 2xx whose body is a web page", () => {
  it("is no delivery: the records wait, are counted nowhere, and go again once the receiver takes them", async () => {
    const receiver = await SiemReceiver.start(SECRET);
    closeAfterTest(() => receiver.close());
    const s = freshStore();
    s.transaction(() =>
      s.events.insertMany([mcpEvent({ id: "a" }), mcpEvent({ id: "b" })], Date.UTC(2026, 10, 2)),
    );
    const clock = new VirtualClock();
    const logs = capturedLogger("info");
    const metrics = new Metrics();
    const counters = exportMetrics(metrics.registry, { lag: () => [], stopped: () => false });
    const exporter = exporterTo(receiver, SECRET, s, clock, logs.logger, { counters });
    receiver.answer(
      { status: 200, headers: { "content-type": "text/html; charset=utf-8" }, body: SIGN_IN },
      { status: 200, headers: { "content-type": "text/html" }, body: SIGN_IN },
    );

    await exporter.pass(new AbortController().signal);
    const reason =
      "the receiver answered 200 with a web page, not taken as delivered (a sign-in or proxy page in front of the receiver, most likely): Sign in to your account";
    expect(exporter.section()).toMatchObject({
      ok: false,
      lastDeliveryAt: null,
      lastError: { message: reason },
      organizations: [{ delivered: { mcp_event: 0, alert: 0 } }],
    });
    const text = await metrics.registry.metrics();
    // What /metrics says it counts is what it counts.
    expect(text).toContain(
      "# HELP mcp_activity_export_records_total Records the SIEM receiver took (a 2xx that is no web page, nor cut short before any of its body)",
    );
    expect(text).toContain(
      "# HELP mcp_activity_export_failures_total Export POSTs that failed, by outcome: retry (408, 425, 429, 5xx, a 2xx web page or cut short, a timeout, network)",
    );
    expect(text).not.toMatch(/mcp_activity_export_records_total\{/);
    expect(text).toMatch(/mcp_activity_export_failures_total\{outcome="retry"\} 1/);

    // The page again, then the collector itself: the same records, said once at warn.
    await runUntil(exporter, () => s.export.positions("org-1").mcp_event > 0, "delivered");
    expect(receiver.batches.map((b) => [b.status, b.records.map((r) => r.id)])).toEqual([
      [200, ["a", "b"]],
      [200, ["a", "b"]],
      [200, ["a", "b"]],
    ]);
    const warned = logs.lines().filter((l) => l.level === 40);
    expect(warned.map((l) => String(l.msg).split(";")[0])).toEqual([`export: ${reason}`]);
    expect(await metrics.registry.metrics()).toMatch(
      /mcp_activity_export_records_total\{org="org-1",kind="mcp_event"\} 2/,
    );
    expect(exporter.section().ok).toBe(true);
  });

  it("is told apart from a collector's JSON, XML, text or empty acknowledgement, which are deliveries", async () => {
    const receiver = await SiemReceiver.start(SECRET);
    closeAfterTest(() => receiver.close());
    const s = freshStore();
    const exporter = exporterTo(receiver, SECRET, s, new VirtualClock(), capturedLogger().logger);
    receiver.answer(
      {
        status: 200,
        headers: { "content-type": "application/json" },
        body: '{"text":"Success","code":0}',
      },
      { status: 202, body: "accepted\n" },
      { status: 204 },
      { status: 200, headers: { "content-type": "text/html" }, body: " \n" },
      // Splunk's /services/receivers/simple, a relay answering XML.
      {
        status: 200,
        headers: { "content-type": "application/xml" },
        body: '<?xml version="1.0" encoding="UTF-8"?>\n<response><results><result><field k="_index">main</field></result></results></response>',
      },
    );
    for (const id of ["a", "b", "c", "d", "e"]) {
      s.transaction(() => s.events.insertMany([mcpEvent({ id })], Date.UTC(2026, 10, 2)));
      await exporter.pass(new AbortController().signal);
    }
    expect(receiver.batches.map((b) => b.records.map((r) => r.id))).toEqual([
      ["a"],
      ["b"],
      ["c"],
      ["d"],
      ["e"],
    ]);
    expect(exporter.section().ok).toBe(true);
  });

  it("is a page by its start whatever its label, or by a tag under a text/html label", async () => {
    const receiver = await SiemReceiver.start(SECRET);
    closeAfterTest(() => receiver.close());
    const s = freshStore();
    s.transaction(() => s.events.insertMany([mcpEvent({ id: "a" })], Date.UTC(2026, 10, 2)));
    const clock = new VirtualClock();
    const exporter = exporterTo(receiver, SECRET, s, clock, capturedLogger().logger);
    receiver.answer(
      { status: 200, headers: { "content-type": "application/json" }, body: SIGN_IN },
      {
        status: 200,
        body: '<?xml version="1.0"?>\n<!-- portal -->\n<html xmlns="http://www.w3.org/1999/xhtml">',
      },
      { status: 200, headers: { "content-type": "text/html" }, body: "<div>Session expired</div>" },
    );
    for (let i = 0; i < 3; i++) {
      await exporter.pass(new AbortController().signal);
      expect(s.export.positions("org-1").mcp_event).toBe(0);
      clock.advance(60_000);
    }
    await exporter.pass(new AbortController().signal);
    expect(receiver.batches).toHaveLength(4);
    expect(s.export.positions("org-1").mcp_event).toBeGreaterThan(0);
  });
});
