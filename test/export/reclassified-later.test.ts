/**
 * An event that becomes an MCP call after the export passed its place (an action newly listed as
 * MCP, `mcp-activity reclassify`) is sent in the next batches, with the record an export in order
 * sends; taken out of the queue only once the receiver took it, and kept by the retention until
 * then. One that becomes an MCP call while an organization's first batch is in flight is sent too
 * (the export records its organizations).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { eventRecord, line } from "../../src/export/records.js";
import { buildCatalog } from "../../src/ingest/classify.js";
import { classifyAgainPass } from "../../src/ingest/classify-again-pass.js";
import { recordKeysAgain } from "../../src/ingest/new-mcp-keys.js";
import { Pruner } from "../../src/retention/pruner.js";
import { mcpEvent } from "../detect/fixtures.js";
import { SiemReceiver } from "../fakes/siem-receiver.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { runCli } from "../helpers/cli.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";
import { until } from "../helpers/until.js";
import { connect, freshStore, T } from "../store/setup.js";
import { exporterTo, runUntil } from "./exporter-rig.js";

const SECRET = "s3cret-for-the-export-test-0123456789abcdef";
/** Atlassian's key for the calls, unpublished: stored as no MCP call until the catalogue lists it. */
const KEY = "rovo_agent_tool_invoked";
const DAY = 86_400_000;
const receivers: SiemReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

type Store = ReturnType<typeof freshStore>;

/** "x" under KEY (no MCP call yet), then the MCP call "a" after it. */
function storeBoth(s: Store): void {
  const x = mcpEvent({
    id: "x",
    action: KEY,
    isMcp: false,
    mcpBasis: null,
    clientApp: null,
    tool: null,
    toolClass: null,
  });
  s.transaction(() => s.events.insertMany([x, mcpEvent({ id: "a" })], T));
}

/** The bot's pass once the catalogue lists KEY as an MCP action. */
async function catalogueListsKey(s: Store): Promise<void> {
  const catalog = buildCatalog([
    { action: KEY, displayName: "Tool called", groupName: "Rovo MCP User Actions" },
  ]);
  s.transaction(() => recordKeysAgain(s, "org-1", [KEY]));
  await classifyAgainPass(
    { orgId: "org-1", stores: s, log: capturedLogger().logger, now: () => T },
    catalog,
  );
  expect(s.db.prepare("SELECT is_mcp FROM events WHERE id = 'x'").pluck().get()).toBe(1);
}

const queued = (s: Store) => s.db.prepare("SELECT seq FROM export_again").pluck().all();

/** The record of "x" as an export in order (`mcp-activity export`) makes it. */
function inOrder(s: Store): Record<string, unknown> {
  const x = [...s.export.eventsSince("org-1", 0)].find((e) => e.id === "x");
  if (!x) throw new Error("x is no MCP event");
  return JSON.parse(line(eventRecord(x)));
}

async function rig() {
  const receiver = await SiemReceiver.start(SECRET);
  receivers.push(receiver);
  const s = freshStore();
  const clock = new VirtualClock();
  const logs = capturedLogger("info");
  const exporter = exporterTo(receiver, SECRET, s, clock, logs.logger);
  storeBoth(s);
  await exporter.pass(new AbortController().signal);
  expect(receiver.records().map((r) => r.id)).toEqual(["a"]);
  return { receiver, s, clock, logs, exporter, passed: s.export.positions("org-1").mcp_event };
}

describe("an event that became an MCP call after the export passed it", () => {
  it("is sent in the next batch, as sent in order, and leaves the queue", async () => {
    const { receiver, s, exporter, passed } = await rig();
    await catalogueListsKey(s);
    expect(queued(s)).toHaveLength(1);

    await exporter.pass(new AbortController().signal);
    expect(receiver.batches.map((b) => [b.status, b.records.map((r) => r.id)])).toEqual([
      [200, ["a"]],
      [200, ["x"]],
    ]);
    expect(receiver.batches[1]?.records[0]).toEqual(inOrder(s));
    expect(s.export.positions("org-1").mcp_event).toBe(passed);
    expect(queued(s)).toEqual([]);
    // Nothing more to send.
    await exporter.pass(new AbortController().signal);
    expect(receiver.batches).toHaveLength(2);
  });

  it("is sent again after a 5xx, by the next start after a crash", async () => {
    const { receiver, s, clock, logs, exporter } = await rig();
    await catalogueListsKey(s);
    receiver.answer({ status: 503 });
    const outcome = await exporter.pass(new AbortController().signal);
    expect(outcome?.failed).toMatch(/503/);
    expect(queued(s)).toHaveLength(1);

    // The bot dies before the retry: the next start, on the same file, sends it.
    const next = exporterTo(receiver, SECRET, connect(s.path), clock, logs.logger);
    await runUntil(next, () => queued(s).length === 0, "x delivered");
    expect(receiver.batches.map((b) => [b.status, b.records.map((r) => r.id)])).toEqual([
      [200, ["a"]],
      [503, ["x"]],
      [200, ["x"]],
    ]);
  });

  it("is queued by `mcp-activity reclassify` too", async () => {
    const { receiver, s, exporter } = await rig();
    const rules = join(tempDir(), "rules.yml");
    writeFileSync(rules, `mcpActionKeys:\n  - ${KEY}\n`);
    const result = await runCli(["reclassify"], { DATABASE_PATH: s.path, RULES_FILE: rules });
    expect(result.code, result.stderr).toBe(0);
    expect(queued(s)).toHaveLength(1);
    await exporter.pass(new AbortController().signal);
    expect(receiver.records().map((r) => r.id)).toEqual(["a", "x"]);
    expect(queued(s)).toEqual([]);
  });

  it.each([
    [503, "a batch the receiver cannot take"],
    [429, "the receiver as a whole"],
  ])(
    "that is no MCP call again before the retry after a %i (%s) ends the retry",
    async (status) => {
      const { receiver, s, clock, logs, exporter } = await rig();
      const dir = tempDir();
      const withKey = join(dir, "with.yml");
      writeFileSync(withKey, `mcpActionKeys:\n  - ${KEY}\n`);
      let run = await runCli(["reclassify"], { DATABASE_PATH: s.path, RULES_FILE: withKey });
      expect(run.code, run.stderr).toBe(0);
      receiver.answer({ status });
      expect((await exporter.pass(new AbortController().signal))?.failed).toMatch(`${status}`);
      // The operator takes the key out again: x is no MCP call, nothing is left to send.
      const without = join(dir, "without.yml");
      writeFileSync(without, "mcpActionKeys: []\n");
      run = await runCli(["reclassify", "--force"], { DATABASE_PATH: s.path, RULES_FILE: without });
      expect(run.code, run.stderr).toBe(0);
      expect(queued(s)).toEqual([]);

      clock.advance(60_000);
      const stop = new AbortController();
      const running = exporter.worker.run(stop.signal);
      await until(() => clock.sleeps.length >= 3, "three passes", 5_000, 5);
      stop.abort();
      await running;
      expect(receiver.batches).toHaveLength(2);
      // Not failing, and waiting between passes rather than passing again at once.
      expect(exporter.section()).toMatchObject({ ok: true, lastError: null });
      expect(clock.sleeps.filter((ms) => ms === 0)).toEqual([]);
      expect(logs.lines().map((l) => l.msg)).toContain(
        "export: nothing is left to send again; the retry is over",
      );
    },
  );

  it("that is no MCP call again after a receiver's 429 and a 503 ends the 429 said: a later one is said again", async () => {
    const { receiver, s, clock, logs, exporter } = await rig();
    const dir = tempDir();
    const withKey = join(dir, "with.yml");
    writeFileSync(withKey, `mcpActionKeys:\n  - ${KEY}\n`);
    let run = await runCli(["reclassify"], { DATABASE_PATH: s.path, RULES_FILE: withKey });
    expect(run.code, run.stderr).toBe(0);
    const overloaded = { status: 429, headers: { "retry-after": "30" } };
    receiver.answer(overloaded, { status: 503 });
    const pass = () => exporter.pass(new AbortController().signal);
    expect((await pass())?.failed).toMatch(/429/);
    clock.advance(30_000);
    expect((await pass())?.failed).toMatch(/503/);
    // x is no MCP call again: nothing is left to send, and the failures are over.
    const without = join(dir, "without.yml");
    writeFileSync(without, "mcpActionKeys: []\n");
    run = await runCli(["reclassify", "--force"], { DATABASE_PATH: s.path, RULES_FILE: without });
    expect(run.code, run.stderr).toBe(0);
    clock.advance(60_000);
    expect(await pass()).toBeUndefined();

    // Another overload, later: said at warn, as a new failure.
    s.transaction(() => s.events.insertMany([mcpEvent({ id: "b" })], T));
    receiver.answer(overloaded);
    expect((await pass())?.failed).toMatch(/429/);
    const warned = logs
      .lines()
      .filter((l) => l.level === 40)
      .map((l) => String(l.msg).split(";")[0]);
    expect(warned).toEqual([
      "export: the receiver answered 429",
      "export: the receiver answered 503",
      "export: the receiver answered 429",
    ]);
  });

  it("that is no MCP call again when a stopped export goes on leaves no error behind", async () => {
    const { receiver, s, exporter } = await rig();
    const dir = tempDir();
    const withKey = join(dir, "with.yml");
    writeFileSync(withKey, `mcpActionKeys:\n  - ${KEY}\n`);
    let run = await runCli(["reclassify"], { DATABASE_PATH: s.path, RULES_FILE: withKey });
    expect(run.code, run.stderr).toBe(0);
    receiver.answer({ status: 401, body: "bad token" });
    expect((await exporter.pass(new AbortController().signal))?.failed).toMatch(/export stopped/);
    const without = join(dir, "without.yml");
    writeFileSync(without, "mcpActionKeys: []\n");
    run = await runCli(["reclassify", "--force"], { DATABASE_PATH: s.path, RULES_FILE: without });
    expect(run.code, run.stderr).toBe(0);
    run = await runCli(["export", "--resume"], { DATABASE_PATH: s.path });
    expect(run.code, run.stderr).toBe(0);

    expect(await exporter.pass(new AbortController().signal)).toBeUndefined();
    expect(receiver.batches).toHaveLength(2);
    expect(exporter.section()).toMatchObject({ ok: true, stopped: null, lastError: null });
  });

  it("is not queued where no export ran, nor kept once retention deletes it", async () => {
    const s = freshStore();
    storeBoth(s);
    await catalogueListsKey(s);
    expect(queued(s)).toEqual([]);

    const { s: exported } = await rig();
    await catalogueListsKey(exported);
    expect(queued(exported)).toHaveLength(1);
    // The rules judged both; the export no longer delivers the organization: retention deletes
    // them, past the export's position or not.
    exported.db
      .prepare("INSERT OR REPLACE INTO detection_state VALUES ('org-1', 1000000, ?)")
      .run(T);
    expect(exported.retention.pruneEvents("org-1", T + 365 * DAY, 100)).toBe(2);
    expect(queued(exported)).toEqual([]);
  });

  it("is kept by the retention, whatever its age, until the export delivers it", async () => {
    const { receiver, s, exporter } = await rig();
    await catalogueListsKey(s);
    // The receiver refuses x's batch (a rotated token): the export stops.
    receiver.answer({ status: 401, body: "bad token" });
    expect((await exporter.pass(new AbortController().signal))?.failed).toMatch(/export stopped/);
    s.db.prepare("INSERT OR REPLACE INTO detection_state VALUES ('org-1', 1000000, ?)").run(T);

    // A daily pass 20 days later, with RETENTION_DAYS=14 and the export on for org-1.
    const logs = capturedLogger("info");
    const result = await new Pruner({
      stores: s,
      clock: new VirtualClock(T + 20 * DAY),
      logger: logs.logger,
      retentionDays: 14,
      exporting: new Set(["org-1"]),
    }).pruneOnce();
    expect(s.db.prepare("SELECT id FROM events ORDER BY seq").pluck().all()).toEqual(["x"]);
    expect(result).toMatchObject({ events: 1, keptForExport: 1 });
    expect(logs.text()).toMatch(
      /retention: kept 1 MCP events? older than 14 days that the export has not delivered yet/,
    );

    // Once the export goes on, x reaches the receiver.
    s.export.resume();
    await exporter.pass(new AbortController().signal);
    expect(receiver.batches.map((b) => [b.status, b.records.map((r) => r.id)])).toEqual([
      [200, ["a"]],
      [401, ["x"]],
      [200, ["x"]],
    ]);
    expect(queued(s)).toEqual([]);
  });

  it("an event reclassified while the organization's first batch is in flight is still sent", async () => {
    const receiver = await SiemReceiver.start(SECRET);
    receivers.push(receiver);
    const s = freshStore();
    const clock = new VirtualClock();
    const exporter = exporterTo(receiver, SECRET, s, clock, capturedLogger("info").logger);
    storeBoth(s);
    receiver.answer({ status: 200, hold: true });
    const pass = exporter.pass(new AbortController().signal);
    await until(() => receiver.holding === 1, "first batch held", 5_000, 5);
    // The catalogue lists KEY while the receiver holds the first batch (["a"]): x becomes an MCP call
    // below the place the batch will move the position to.
    await catalogueListsKey(s);
    receiver.release();
    await pass;
    await exporter.pass(new AbortController().signal);
    await exporter.pass(new AbortController().signal);
    // At least once: every stored MCP event reaches the SIEM.
    expect(
      receiver
        .records()
        .map((r) => r.id)
        .sort(),
    ).toEqual(["a", "x"]);
  });
});
