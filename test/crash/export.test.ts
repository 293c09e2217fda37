import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { alertRecord, eventRecord } from "../../src/export/records.js";
import { startSimulator } from "../../src/simulator/index.js";
import { ExportStore } from "../../src/store/export.js";
import { SiemReceiver } from "../fakes/siem-receiver.js";
import { startFakeSlack } from "../fakes/slack-api.js";
import { RunningCli } from "../helpers/cli.js";
import { healthz, healthzUntil } from "../helpers/health.js";
import { tempDir } from "../helpers/tmp.js";
import { until } from "../helpers/until.js";

const ORG = "org-export-crash";
const KEY = "export-crash-key";
const TOKEN = "xoxb-export-crash";
const SECRET = "export-crash-secret-0123456789abcdef0123";

const running: RunningCli[] = [];
const closing: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cli of running.splice(0)) cli.child.kill("SIGKILL");
  await Promise.all(closing.splice(0).map((close) => close()));
});

/** The record_ids of what the store holds to export, in each stream's order. */
function expected(path: string): { events: string[]; alerts: string[] } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const store = new ExportStore(db);
    const { events } = store.next(ORG, { mcp_event: 0, alert: 0 }, Number.MAX_SAFE_INTEGER);
    return {
      events: events.map((e) => eventRecord(e).record_id),
      alerts: [...store.changesSince(ORG, 0)].map((c) => alertRecord(c).record_id),
    };
  } finally {
    db.close();
  }
}

/** The record_ids of a stream in the order they were first received (retries arrive again later). */
function firstArrivals(records: Array<Record<string, unknown>>, kind: string): string[] {
  const seen = new Set<string>();
  for (const r of records) if (r.org_id === ORG && r.kind === kind) seen.add(String(r.record_id));
  return [...seen];
}

describe("the SIEM export across SIGKILL", () => {
  it("loses nothing and keeps each stream's order when the bot dies while the receiver holds a batch", async () => {
    let frozenAt: number | undefined;
    const sim = await startSimulator({
      seed: 31,
      orgId: ORG,
      apiKey: KEY,
      start: Date.now() - 2 * 3_600_000,
      intervalMs: 400,
      clock: { now: () => frozenAt ?? Date.now() },
    });
    closing.push(() => sim.close());
    const slack = await startFakeSlack({ token: TOKEN });
    closing.push(() => slack.close());
    const receiver = await SiemReceiver.start(SECRET);
    closing.push(() => receiver.close());
    const path = join(tempDir(), "export-crash.db");
    const env = {
      ATLASSIAN_API_BASE_URL: sim.url,
      ATLASSIAN_ORG_ID: ORG,
      ATLASSIAN_API_KEY: KEY,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: "export-crash-signing",
      SLACK_API_URL: slack.url,
      SLACK_ALERT_CHANNEL: "C0EXPORT1",
      PORT: "0",
      DATABASE_PATH: path,
      POLL_INTERVAL_SECONDS: "5",
      BACKFILL_DAYS: "1",
      EXPORT_URL: receiver.url,
      EXPORT_SECRET: SECRET,
      LOG_LEVEL: "info",
    };

    // The third batch is held: the bot dies after the receiver has it, before its 2xx.
    receiver.answer({ status: 200 }, { status: 200 }, { status: 200, hold: true });
    const first = new RunningCli(["start"], env);
    running.push(first);
    await until(() => receiver.holding > 0, "a batch held by the receiver", 60_000);
    first.child.kill("SIGKILL");
    await first.done;
    const held = receiver.batches[2]?.records.map((r) => r.record_id) ?? [];
    expect(held.length).toBeGreaterThan(0);
    receiver.release();

    // Killed again at an unplanned moment, a few batches later.
    const second = new RunningCli(["start"], env);
    running.push(second);
    const before = receiver.batches.length;
    await until(() => receiver.batches.length >= before + 3, "three more batches", 60_000);
    second.child.kill("SIGKILL");
    await second.done;

    // Alerts raised on live activity (backfilled history raises none), then the organization
    // frozen; a restart must deliver everything stored.
    const last = new RunningCli(["start"], env);
    running.push(last);
    const port = await last.port();
    const all = () => expected(path);
    await until(() => all().alerts.length >= 3, "alerts raised on live activity", 120_000, 500);
    const freeze = Date.now();
    frozenAt = freeze;
    // The store then holds all there is once a poll begun after the freeze has ended: the poll
    // ending after the one that ended first after it.
    const pollEndedAfter = async (after: number) => {
      const h = await healthzUntil<{ poller: { lastSuccessfulPoll: string | null } }>(
        port,
        (r) => Date.parse(r.body.poller.lastSuccessfulPoll ?? "") > after,
        "a poll ended",
        60_000,
      );
      return Date.parse(h.body.poller.lastSuccessfulPoll ?? "");
    };
    await pollEndedAfter(await pollEndedAfter(freeze));
    await until(
      () => {
        const want = all();
        const records = receiver.records();
        return (
          firstArrivals(records, "mcp_event").length >= want.events.length &&
          firstArrivals(records, "alert").length >= want.alerts.length &&
          want.events.length > 0
        );
      },
      "every stored record at the receiver",
      120_000,
      200,
    );
    const report = await healthz<{ export: Record<string, unknown> }>(port);
    expect(report.body.export).toMatchObject({ stopped: null });
    last.child.kill("SIGTERM");
    expect((await last.done).code).toBe(0);

    const want = all();
    const records = receiver.records();
    // Signed, every one; nothing lost; first arrivals in each stream's order.
    expect(receiver.batches.every((b) => b.verified)).toBe(true);
    expect(firstArrivals(records, "mcp_event")).toEqual(want.events);
    expect(firstArrivals(records, "alert")).toEqual(want.alerts);
    expect(want.events.length).toBeGreaterThan(1_000);
    expect(want.alerts.length).toBeGreaterThanOrEqual(3);
    // The held batch came again: at least once, not at most once.
    const counts = new Map<unknown, number>();
    for (const r of records) counts.set(r.record_id, (counts.get(r.record_id) ?? 0) + 1);
    expect(held.every((id) => (counts.get(id) ?? 0) >= 2)).toBe(true);
    // Within each batch, each stream goes forward.
    for (const batch of receiver.batches) {
      const places = batch.records
        .filter((r) => r.kind === "mcp_event")
        .map((r) => want.events.indexOf(String(r.record_id)));
      expect(places).toEqual([...places].sort((a, b) => a - b));
    }
  }, 240_000);
});
