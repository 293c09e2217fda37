import { afterEach, describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { ExportClient } from "../../src/export/client.js";
import { exportMetrics } from "../../src/export/metrics.js";
import { targetFingerprint } from "../../src/export/sign.js";
import { Exporter } from "../../src/export/worker.js";
import { Metrics } from "../../src/metrics.js";
import { Secret } from "../../src/secret.js";
import { mcpEvent } from "../detect/fixtures.js";
import { SiemReceiver as Receiver, type SiemReceiver } from "../fakes/siem-receiver.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { connect, freshStore, newAlert } from "../store/setup.js";
import { runUntil } from "./exporter-rig.js";

const SECRET = "s3cret-for-the-export-test-0123456789abcdef";
const receivers: SiemReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

type Store = ReturnType<typeof freshStore>;

function storeEvents(s: Store, events: Array<Partial<NormalizedEvent>>): void {
  s.transaction(() =>
    s.events.insertMany(
      events.map((e) => mcpEvent({ id: `ev-${Math.random()}`, ...e })),
      Date.UTC(2026, 10, 2, 11, 0, 0),
    ),
  );
}

async function rig(
  options: {
    orgIds?: string[];
    batchRecords?: number;
    secret?: string;
    url?: string;
    /** Added to the receiver's address. */
    path?: string;
  } = {},
) {
  const receiver = await Receiver.start(SECRET);
  receivers.push(receiver);
  const s = freshStore();
  const clock = new VirtualClock();
  const logs = capturedLogger("info");
  const metrics = new Metrics();
  const url = options.url ?? `${receiver.url}${options.path ?? ""}`;
  const secret = options.secret ?? SECRET;
  let built = 0;
  /** The exporter a start of the bot builds (a later start: a new process's metrics). */
  const build = (store = s) => {
    let exporter: Exporter | undefined;
    built += 1;
    const registry = built === 1 ? metrics.registry : new Metrics().registry;
    const counters = exportMetrics(registry, {
      lag: () => exporter?.lag() ?? [],
      stopped: () => exporter?.stopped() ?? false,
    });
    exporter = new Exporter({
      store: store.export,
      client: new ExportClient({ url, secret: new Secret(secret), clock }),
      orgIds: options.orgIds ?? ["org-1"],
      target: targetFingerprint(url, secret),
      origin: new URL(url).origin,
      clock,
      logger: logs.logger,
      counters,
      batchRecords: options.batchRecords ?? 500,
      random: () => 1,
    });
    return exporter;
  };
  return { receiver, s, clock, logs, metrics, build };
}

const ids = (records: Array<Record<string, unknown>>) => records.map((r) => r.record_id);

describe("the SIEM exporter", () => {
  it("sends every MCP event and alert change, signed, as NDJSON batches in order, and commits after a 2xx", async () => {
    const { receiver, s, build } = await rig({ orgIds: ["org-1", "org-2"], batchRecords: 2 });
    storeEvents(s, [{ id: "a" }, { id: "b", orgId: "org-2" }, { id: "c" }, { id: "d" }]);
    storeEvents(s, [{ id: "noise", isMcp: false, tool: null, toolClass: null }]);
    const alert = s.alerts.insert(newAlert());
    s.trail.change("org-1", alert, "acknowledged", "U1", Date.now(), () => true);
    const exporter = build();
    const signal = new AbortController().signal;

    expect(await exporter.pass(signal)).toBeUndefined();

    expect(receiver.batches.every((b) => b.verified)).toBe(true);
    expect(receiver.batches.every((b) => b.contentType === "application/x-ndjson")).toBe(true);
    expect(receiver.batches.every((b) => b.records.length <= 2)).toBe(true);
    const of = (org: string) => receiver.records().filter((r) => r.org_id === org);
    expect(of("org-1").map((r) => r.id)).toEqual(["a", "c", "d", String(alert), String(alert)]);
    expect(
      of("org-1")
        .slice(3)
        .map((r) => [r.kind, r.status, r.changed_by]),
    ).toEqual([
      ["alert", "open", undefined],
      ["alert", "acknowledged", "U1"],
    ]);
    expect(of("org-2").map((r) => r.id)).toEqual(["b"]);
    expect(new Set(ids(receiver.records())).size).toBe(6);

    // Everything is delivered: the next pass sends nothing.
    const before = receiver.batches.length;
    await exporter.pass(signal);
    expect(receiver.batches).toHaveLength(before);
    expect(exporter.lag()).toEqual([
      { orgId: "org-1", seconds: 0 },
      { orgId: "org-2", seconds: 0 },
    ]);
  });

  it("sends the same records again after a 500 and a 429, waiting as Retry-After says", async () => {
    const { receiver, s, logs, metrics, build } = await rig();
    storeEvents(s, [{ id: "a" }, { id: "b" }]);
    receiver.answer(
      { status: 500, body: "collector restarting" },
      { status: 429, headers: { "retry-after": "7" } },
    );
    const exporter = build();
    await runUntil(exporter, () => s.export.positions("org-1").mcp_event > 0, "a 2xx committed");

    const statuses = receiver.batches.map((b) => b.status);
    expect(statuses).toEqual([500, 429, 200]);
    // The same records each time, with the same ids.
    const sent = receiver.batches.map((b) => b.body);
    expect(new Set(sent).size).toBe(1);
    // Sent again 7 s after the 429 at the soonest (each batch is signed with the clock's time).
    const [, limited, ok] = receiver.batches.map((b) => Number(b.timestamp));
    expect((ok ?? 0) - (limited ?? 0)).toBeGreaterThanOrEqual(7);
    const warnings = logs.lines().filter((l) => l.level === 40);
    expect(String(warnings[0]?.msg)).toMatch(
      /the receiver answered 500: collector restarting; sending again in \d+ s the same records first, and any stored since/,
    );
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/mcp_activity_export_failures_total\{outcome="retry"\} 2/);
    expect(text).toMatch(/mcp_activity_export_records_total\{org="org-1",kind="mcp_event"\} 2/);
    expect(exporter.section()).toMatchObject({ ok: true, stopped: null });
  });

  it("retries a receiver that does not listen, as a network error", async () => {
    const { s, build } = await rig({ url: "http://127.0.0.1:9/ingest" });
    storeEvents(s, [{ id: "a" }]);
    const exporter = build();
    const outcome = await exporter.pass(new AbortController().signal);
    expect(outcome?.failed).toMatch(/network error/);
    expect(s.export.positions("org-1").mcp_event).toBe(0);
    expect(exporter.section()).toMatchObject({ ok: false, stopped: null });
  });

  it("goes on with the other organizations while one organization's batch is sent again", async () => {
    const { receiver, s, build } = await rig({ orgIds: ["org-1", "org-2"] });
    storeEvents(s, [{ id: "a" }, { orgId: "org-2", id: "x" }]);
    receiver.answer({ status: 500, body: "cannot parse this batch" });
    const exporter = build();
    const outcome = await exporter.pass(new AbortController().signal);
    expect(s.export.positions("org-1").mcp_event).toBe(0);
    expect(s.export.positions("org-2").mcp_event).toBeGreaterThan(0);
    // Still failing until org-1's records went.
    expect(outcome?.failed).toMatch(/cannot parse this batch/);
    expect(exporter.section()).toMatchObject({ ok: false });
  });

  it("asks nothing more of a receiver that said to wait, for any organization", async () => {
    const orgIds = ["org-1", "org-2", "org-3", "org-4"];
    const { receiver, s, build } = await rig({ orgIds });
    storeEvents(
      s,
      orgIds.map((orgId) => ({ orgId, id: `e-${orgId}` })),
    );
    receiver.answer({ status: 429, headers: { "retry-after": "60" } });
    const exporter = build();
    const outcome = await exporter.pass(new AbortController().signal);
    expect(receiver.batches.map((b) => b.status)).toEqual([429]);
    expect(outcome?.failed).toMatch(/429/);
    // The next pass, before the minute is up, asks nothing either.
    await exporter.pass(new AbortController().signal);
    expect(receiver.batches).toHaveLength(1);
  });

  it("asks nothing more in the same pass once the receiver said to wait after a delivery", async () => {
    const { receiver, s, build } = await rig({ orgIds: ["org-1", "org-2"] });
    storeEvents(s, [{ id: "a" }, { orgId: "org-2", id: "x" }]);
    receiver.answer({ status: 200 }, { status: 429, headers: { "retry-after": "60" } });
    await build().pass(new AbortController().signal);
    expect(receiver.batches.map((b) => b.status)).toEqual([200, 429]);
  });

  it("ends a receiver's wait when it answers the retry with a 5xx, without saying nothing is left", async () => {
    const { receiver, s, clock, logs, build } = await rig();
    storeEvents(s, [{ id: "a" }]);
    receiver.answer({ status: 429, headers: { "retry-after": "7" } }, { status: 503 });
    const exporter = build();
    await exporter.pass(new AbortController().signal);
    clock.advance(7_000);
    expect((await exporter.pass(new AbortController().signal))?.failed).toMatch(/503/);
    expect(receiver.batches.map((b) => b.status)).toEqual([429, 503]);
    expect(logs.lines().map((l) => l.msg)).not.toContain(
      "export: nothing is left to send again; the retry is over",
    );
    expect(exporter.section()).toMatchObject({ ok: false });
  });

  it("says a receiver's wait once, even when the clock passes it before the pass ends", async () => {
    const { receiver, s, clock, logs, build } = await rig();
    storeEvents(s, [{ id: "a" }]);
    receiver.answer(
      { status: 429, headers: { "retry-after": "7" } },
      { status: 429, headers: { "retry-after": "7" } },
    );
    // A loaded machine with a fast clock: every look at the time finds 10 s more gone, so the
    // wait a pass has just set is already due when the pass ends. It is not one the pass went
    // through, and its failure stays said.
    let ticks = 0;
    const at = clock.now();
    clock.now = () => at + 10_000 * ++ticks;
    const exporter = build();
    for (let i = 0; i < 2; i++)
      expect((await exporter.pass(new AbortController().signal))?.failed).toMatch(/429/);
    expect(receiver.batches.map((b) => b.status)).toEqual([429, 429]);
    const said = logs.lines().filter((l) => l.level === 40 && String(l.msg).startsWith("export:"));
    expect(said).toHaveLength(1);
  });

  it("waits its backoff after a Retry-After of 0, and sends again after a 408", async () => {
    const { receiver, s, logs, build } = await rig();
    storeEvents(s, [{ id: "a" }]);
    receiver.answer({ status: 503, headers: { "retry-after": "0" } }, { status: 408 });
    const exporter = build();
    await runUntil(exporter, () => s.export.positions("org-1").mcp_event > 0, "a 2xx committed");
    expect(receiver.batches.map((b) => b.status)).toEqual([503, 408, 200]);
    const waits = logs
      .lines()
      .filter((l) => l.level === 40)
      .map((l) => Number(l.waitMs));
    expect(waits).toEqual([1_000, 2_000]); // backoff: 1 s, then 2 s
    expect(exporter.section()).toMatchObject({ stopped: null });
  });

  it("never says a token of the address that the receiver's answer quotes", async () => {
    const token = "T0KEN-abc123456";
    const { receiver, s, logs, build } = await rig({ path: `/${token}?key=k3y-0123456789` });
    receiver.answer({
      status: 404,
      body: `{"message":"Route POST:/ingest/${token}?key=k3y-0123456789 not found"}`,
    });
    storeEvents(s, [{ id: "a" }]);
    const exporter = build();
    const outcome = await exporter.pass(new AbortController().signal);
    expect(outcome?.failed).toMatch(
      /the receiver answered 404: \{"message":"Route POST:… not found"\}/,
    );
    const said = [JSON.stringify(exporter.section()), JSON.stringify(logs.lines())].join("\n");
    expect(said).not.toMatch(/T0KEN|k3y-/);
  });

  it("never says a token the receiver's long answer quotes where it is cut, nor one a stop kept", async () => {
    const token = "tok_9f8e7d6c5b4a3928171605f4e3d2c1b0a9f8";
    const { receiver, s, logs, build } = await rig({ path: `/${token}` });
    receiver.answer({
      status: 404,
      body: `${"x".repeat(160)} no route for POST /ingest/${token}`,
    });
    storeEvents(s, [{ id: "a" }]);
    const exporter = build();
    await exporter.pass(new AbortController().signal);
    // A stop an earlier release kept, with the path in it.
    s.export.stop({ target: "t", at: 1, reason: `the receiver answered 404: /ingest/${token}` });
    const said = [
      JSON.stringify(exporter.section()),
      JSON.stringify(await exporter.pass(new AbortController().signal)),
      JSON.stringify(logs.lines()),
    ].join("\n");
    expect(said).not.toMatch(/tok_9f8e/);
  });

  it("never says the address in a failure: its path or password may be a token", async () => {
    const { s, build } = await rig({ url: "http://siem:S3CRET@127.0.0.1:9/ingest/T0KEN" });
    storeEvents(s, [{ id: "a" }]);
    const exporter = build();
    const outcome = await exporter.pass(new AbortController().signal);
    expect(outcome?.failed).toBe("network error (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:9");
    expect(JSON.stringify(exporter.section())).not.toMatch(/S3CRET|T0KEN/);
    expect(outcome?.failed).not.toMatch(/S3CRET|T0KEN/);
  });

  it("says in /healthz when the receiver last took records, after a restart too", async () => {
    const { receiver, s, clock, build } = await rig({ orgIds: ["org-1", "org-2"] });
    const signal = new AbortController().signal;
    // Started, never delivered: the positions recorded at start are no delivery.
    const first = build();
    await first.pass(signal);
    expect(first.section().lastDeliveryAt).toBeNull();
    expect(build(connect(s.path)).section().lastDeliveryAt).toBeNull();

    storeEvents(s, [{ id: "a" }]);
    clock.advance(60_000);
    await first.pass(signal);
    const delivered = new Date(clock.now()).toISOString();
    storeEvents(s, [{ id: "b", orgId: "org-2" }]);
    clock.advance(60_000);
    await first.pass(signal);
    const last = new Date(clock.now()).toISOString();
    expect(first.section().lastDeliveryAt).toBe(last);

    // The bot restarts on the same file, nothing new to send: the last delivery of the
    // organizations it exports, as kept with their positions.
    clock.advance(60_000);
    const next = build(connect(s.path));
    await next.pass(signal);
    expect(next.section().lastDeliveryAt).toBe(last);
    const { build: buildOne } = await rig({ orgIds: ["org-1"], url: receiver.url });
    expect(buildOne(connect(s.path)).section().lastDeliveryAt).toBe(delivered);
  });

  it("says no last delivery of another receiver after EXPORT_URL or EXPORT_SECRET changed", async () => {
    const { receiver, s, clock, build } = await rig();
    const signal = new AbortController().signal;
    storeEvents(s, [{ id: "a" }]);
    await build().pass(signal);
    const delivered = new Date(clock.now()).toISOString();

    // Restarted with another collector, which has taken nothing yet.
    clock.advance(3_600_000);
    storeEvents(s, [{ id: "b" }]);
    const { receiver: other, build: buildOther } = await rig();
    other.answer({ status: 503 });
    const moved = buildOther(connect(s.path));
    await moved.pass(signal);
    expect(moved.section()).toMatchObject({
      receiver: new URL(other.url).origin,
      lastDeliveryAt: null,
    });
    // With another secret, the same address is another target too.
    const { build: rotated } = await rig({ url: receiver.url, secret: `${SECRET}-new` });
    expect(rotated(connect(s.path)).section().lastDeliveryAt).toBeNull();
    // Back to the first one: its last delivery.
    expect(build(connect(s.path)).section().lastDeliveryAt).toBe(delivered);
  });

  it("stops on a 4xx other than 429, says so in the log, /healthz and /metrics, and stays stopped after a restart", async () => {
    const { receiver, s, logs, metrics, build } = await rig();
    storeEvents(s, [{ id: "a" }]);
    receiver.answer({ status: 401, body: "bad signature\n" });
    const exporter = build();
    const signal = new AbortController().signal;
    const outcome = await exporter.pass(signal);
    expect(outcome?.failed).toMatch(
      /export stopped since .*: the receiver answered 401: bad signature$/,
    );
    const error = logs.lines().find((l) => l.level === 50);
    expect(String(error?.msg)).toMatch(
      /^export stopped: the receiver answered 401: bad signature\. Check EXPORT_URL, EXPORT_SECRET and the receiver; nothing more is sent/,
    );
    expect(JSON.stringify(logs.lines())).not.toContain(SECRET);
    expect(exporter.section()).toMatchObject({
      ok: false,
      stopped: { reason: "the receiver answered 401: bad signature" },
      organizations: [{ orgId: "org-1", delivered: { mcp_event: 0, alert: 0 } }],
    });
    expect(await metrics.registry.metrics()).toMatch(/mcp_activity_export_stopped 1/);

    // Nothing more goes out, across a restart with the same receiver and secret.
    await exporter.pass(signal);
    const again = build();
    await runUntil(again, () => again.worker.health().lastError !== null, "a pass");
    expect(receiver.batches).toHaveLength(1);
    expect(again.worker.health().ok).toBe(false);

    // An operator's resume lets it go on.
    s.export.resume();
    await again.pass(signal);
    expect(receiver.batches.map((b) => b.status)).toEqual([401, 200]);
  });

  it("lifts a stop when EXPORT_URL or EXPORT_SECRET changed since", async () => {
    const { s, logs, build } = await rig();
    storeEvents(s, [{ id: "a" }]);
    s.export.stop({
      target: "another-receiver",
      at: Date.now(),
      reason: "the receiver answered 404",
    });
    const exporter = build();
    await runUntil(exporter, () => s.export.positions("org-1").mcp_event > 0, "a batch delivered");
    expect(s.export.stopped()).toBeUndefined();
    expect(logs.text()).toContain("export resumed: EXPORT_URL or EXPORT_SECRET changed");
  });

  it("shows how long the oldest record has waited", async () => {
    const { s, clock, metrics, build } = await rig();
    storeEvents(s, [{ id: "a" }]); // ingested an hour before the clock
    const exporter = build();
    expect(exporter.lag()).toEqual([{ orgId: "org-1", seconds: 3600 }]);
    clock.advance(1000);
    expect(await metrics.registry.metrics()).toMatch(
      /mcp_activity_export_lag_seconds\{org="org-1"\} 3601/,
    );
  });
});
