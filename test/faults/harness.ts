import { join } from "node:path";
import Database from "better-sqlite3";
import { expect } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { type Clock, systemClock } from "../../src/clock.js";
import { parseConfig } from "../../src/config.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import type { Db } from "../../src/store/db.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { healthz } from "../helpers/health.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";
import { readUntil, until } from "../helpers/until.js";

const ORG = "org-faults";
export const CHANNEL = "C0FAULTS";
export const POLL_SECONDS = 5;
/** SLACK_SIGNING_SECRET of the app. */
export const SECRET = "secret";

/**
 * Real time, sped up: `now` runs `factor` times faster and every wait is `factor` times shorter,
 * so the app's minutes of retries and pauses take a moment while its loops run as in production.
 */
export class FastClock implements Clock {
  private readonly realStart = Date.now();
  private readonly monotonicStart = performance.now();
  /** Set forward or back, as NTP steps a host's clock. */
  offset = 0;

  constructor(
    private readonly factor: number,
    private readonly start = Date.now(),
  ) {}

  now(): number {
    return this.start + this.offset + Math.round((Date.now() - this.realStart) * this.factor);
  }

  /** Sped up as `now`, and never stepped by `offset`. */
  monotonic(): number {
    return (performance.now() - this.monotonicStart) * this.factor;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return systemClock.sleep(ms / this.factor, signal);
  }
}

export interface Health {
  status: number;
  body: {
    status: string;
    database: { ok: boolean; problem: string | null };
    poller: {
      ok: boolean;
      lastSuccessfulPoll: string | null;
      eventsStored: number;
      lastError: { kind: string; message: string; at: string } | null;
    };
    rules: { ok: boolean };
    workers: Array<{ name: string; ok: boolean; lastError: { message: string } | null }>;
    slack: {
      ok: boolean;
      problem: string | null;
      responders: string;
      pendingDeliveries: number;
      outbox: { pending: Record<string, number>; oldestPendingSeconds: number | null };
      paused: Array<{ method: string; until: string; reason: string }>;
      pausedUntil: string | null;
      lastError: { code: string; advice: string | null; at: string } | null;
      lastPermanentFailure: {
        kind: string;
        orgId: string | null;
        alertId: number | null;
        reason: string;
        at: string;
      } | null;
    };
  };
}

/** /healthz once it answers 503 with the poller's own reason (not only "still retrying"). */
export function unhealthyWithReason(r: Running): Promise<Health> {
  return readUntil(
    r.health,
    (h) => h.status === 503 && (h.body.poller.lastError?.kind ?? "slow") !== "slow",
    "/healthz to answer 503 with the poller's error",
  );
}

/** /healthz once it answers 200 after a poll that succeeded later than `since`, within `ms`. */
export function healthyAfter(
  r: Running,
  since: number,
  what: string,
  ms?: number,
): Promise<Health> {
  return readUntil(r.health, (h) => h.status === 200 && polledAfter(h, since), what, ms);
}

/** Whether the last successful poll /healthz reports came after `since`. */
export function polledAfter(health: Health, since: number): boolean {
  const last = health.body.poller.lastSuccessfulPoll;
  return last !== null && Date.parse(last) > since;
}

export interface Running {
  sim: Simulator;
  slack: FakeSlack;
  app: RunningApp;
  clock: FastClock;
  logs: ReturnType<typeof capturedLogger>;
  databasePath: string;
  health(): Promise<Health>;
  /** Stops the app (it closes its database); safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The whole app (`startApp`) against the simulator and the fake Slack, sharing one fast clock,
 * with two hours of history already backfilled when this returns.
 */
export async function startFaultyApp(
  options: {
    factor?: number;
    open?: (path: string) => Db;
    logLevel?: "info" | "debug";
    /** More variables, or other values. */
    env?: Record<string, string>;
    /** ATLASSIAN_ORG_ID, and the simulator's organization (ORG unless given). */
    orgId?: string;
    /** The organization's history stops at the start: nothing new happens after the backfill. */
    quiet?: boolean;
  } = {},
): Promise<Running> {
  const clock = new FastClock(options.factor ?? 50);
  const orgId = options.orgId ?? ORG;
  const started = clock.now();
  const sim = await startSimulator({
    seed: 7,
    orgId,
    apiKey: "faults-key",
    start: started - 2 * 3_600_000,
    intervalMs: 60_000,
    clock: options.quiet ? { now: () => started } : clock,
  });
  const slack = await startFakeSlack();
  const databasePath = join(tempDir(), "faults.db");
  const config = parseConfig({
    ATLASSIAN_ORG_ID: orgId,
    ATLASSIAN_API_KEY: "faults-key",
    ATLASSIAN_API_BASE_URL: sim.url,
    SLACK_BOT_TOKEN: "xoxb-faults",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_ALERT_CHANNEL: CHANNEL,
    SLACK_API_URL: slack.url,
    PORT: "0",
    HOST: "127.0.0.1",
    POLL_INTERVAL_SECONDS: String(POLL_SECONDS),
    BACKFILL_DAYS: "1",
    DATABASE_PATH: databasePath,
    ...options.env,
  });
  const logs = capturedLogger(options.logLevel ?? "info");
  const app = await startApp({ config, logger: logs.logger, clock, open: options.open });
  let stopped: Promise<void> | undefined;
  const r: Running = {
    sim,
    slack,
    app,
    clock,
    logs,
    databasePath,
    health: () => healthz(app.port),
    stop: () => {
      stopped ??= app.stop();
      return stopped;
    },
  };
  closeAfterTest(async () => {
    await r.stop();
    await r.sim.close();
    await r.slack.close();
  });
  await until(() => logs.text().includes("backfill done"), "the backfill");
  return r;
}

/** Log lines whose message contains `text`. */
export function logged(r: Running, text: string): Array<Record<string, unknown>> {
  return r.logs.lines().filter((line) => String(line.msg).includes(text));
}

/** The stored event ids, in a connection of the test's own. */
export function storedEvents(path: string): { ids: string[]; rows: number; newest: number } {
  const db = new Database(path, { readonly: true });
  try {
    const ids = db
      .prepare<[], { id: string }>("SELECT id FROM events ORDER BY id")
      .all()
      .map((row) => row.id);
    const newest =
      db.prepare<[], { t: number | null }>("SELECT max(processed_at) AS t FROM events").get()?.t ??
      0;
    return { ids: [...new Set(ids)], rows: ids.length, newest };
  } finally {
    db.close();
  }
}

/**
 * Nothing lost, nothing doubled: every valid event the simulator had shown up to the newest
 * stored one is stored, each once, and the newest is at least `reached`.
 */
export function expectAllStoredOnce(r: Running, reached: number): void {
  const { ids, rows, newest } = storedEvents(r.databasePath);
  expect(rows, "rows stored twice").toBe(ids.length);
  expect(newest, "the poller caught up after the fault").toBeGreaterThanOrEqual(reached);
  expect(ids).toEqual([...r.sim.validEventsUpTo(newest)].map((e) => e.id).sort());
}

/** A live destructive MCP call: the rules raise one high alert for it. */
export function injectDestructiveCall(r: Running, id: string): void {
  r.sim.injectEvents([
    {
      id,
      attributes: {
        time: new Date(r.clock.now()).toISOString(),
        action: r.sim.org.mcpActionKey,
        actor: {
          id: `acc-${id}`,
          name: `Person ${id}`,
          email: `${id}@example.com`,
          auth: { authType: "auth-token-for-3LO" },
        },
        context: [
          { id: "deleteJiraIssue", type: "mcp-tool", attributes: { name: "deleteJiraIssue" } },
        ],
        container: [
          { id: "s", type: "sites", attributes: { siteHostName: "https://acme.atlassian.net" } },
        ],
      },
    },
  ]);
}

/** Ids of the alerts the app meant to post, in a connection of the test's own. */
export function alertsToPost(path: string): number[] {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare<[], { id: number }>("SELECT id FROM alerts WHERE notify = 1 ORDER BY id")
      .all()
      .map((row) => row.id);
  } finally {
    db.close();
  }
}
