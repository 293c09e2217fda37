import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startApp } from "../src/app.js";
import { systemClock } from "../src/clock.js";
import { ConsoleRequests } from "../src/console/requests.js";
import { CONSOLE_CHANNEL, type ConsoleSink, ConsoleSlack } from "../src/console/slack-api.js";
import { createLogger } from "../src/logger.js";
import { Secret } from "../src/secret.js";
import { startSimulator } from "../src/simulator/index.js";
import { AlertStore } from "../src/store/alerts.js";
import { EventStore } from "../src/store/events.js";
import { openStore } from "../src/store/open.js";
import { PollStateStore } from "../src/store/poll-state.js";
import { millionEventStore } from "./store-1m.js";

/**
 * What a store that has been running looks like: its history already polled (backfill done, the
 * cursor's time at the newest event) and evaluated by the rules, so the bot starts where it was.
 */
function steadyState(path: string, orgId: string, now: number): void {
  const db = openStore(path);
  const events = new EventStore(db);
  new PollStateStore(db).save(
    {
      orgId,
      cursor: null,
      lastProcessedAt: events.newestProcessedAt(orgId),
      backfillFrom: now - 180 * 86_400_000,
      backfillUntil: now - 180 * 86_400_000,
      backfillDone: true,
    },
    now,
  );
  new AlertStore(db).setLastEvaluated(orgId, events.maxSeq(orgId), now);
  db.close();
}

export interface BenchApp {
  readonly port: number;
  readonly orgId: string;
  readonly requests: ConsoleRequests;
  /** Messages posted or updated, and ephemeral replies received. */
  readonly counts: { posted: number; updated: number; replies: number };
  /** Resolves at the next ephemeral reply. */
  nextReply(): Promise<void>;
  /** Events the simulator has served so far. */
  served(): number;
  stop(): Promise<void>;
}

/**
 * The bot as an operator runs it, on a copy of the 1M-event store (so the cached store stays as
 * built), polling a simulator of the same organization every 5 s at 100 events a second, with a
 * console stand-in for Slack on 127.0.0.1 and signed /mcp-activity requests.
 */
export async function startBenchApp(): Promise<BenchApp> {
  const now = Date.now();
  const { db, orgId } = millionEventStore(now);
  const source = db.name;
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  const dir = mkdtempSync(join(tmpdir(), "mcp-activity-rig-"));
  const databasePath = join(dir, "store.db");
  copyFileSync(source, databasePath);
  if (existsSync(`${source}-wal`)) copyFileSync(`${source}-wal`, `${databasePath}-wal`);
  steadyState(databasePath, orgId, now);
  const sim = await startSimulator({
    apiKey: "rig-key",
    seed: 9,
    orgId,
    intervalMs: 10,
    start: now - 60_000,
  });
  const counts = { posted: 0, updated: 0, replies: 0 };
  let waiting: Array<() => void> = [];
  const sink: ConsoleSink = {
    message: (_m, change) => {
      counts[change === "posted" ? "posted" : "updated"]++;
    },
    ephemeral: () => {
      counts.replies++;
      const resolve = waiting;
      waiting = [];
      for (const r of resolve) r();
    },
    file: () => undefined,
  };
  const busiest = sim.org.roster.people.find((p) => p.mcpSince !== null);
  const slack = new ConsoleSlack(sink, {
    id: "URIG00001",
    name: "rig",
    email: busiest?.email ?? "rig@example.com",
    timeZone: "UTC",
  });
  await slack.start();
  const signingSecret = randomBytes(16).toString("hex");
  const organization = { orgId, apiKey: new Secret("rig-key"), apiKeyExpires: undefined };
  const app = await startApp({
    config: {
      databasePath,
      retentionDays: 400,
      logLevel: "warn",
      logFormat: "json",
      rulesFile: undefined,
      digest: { cron: "0 9 * * *", timezone: "UTC" },
      atlassian: { ...organization, apiBaseUrl: sim.url, organizations: [organization] },
      pollIntervalSeconds: 5,
      backfillDays: 1,
      slack: {
        botToken: new Secret("xoxb-rig"),
        appToken: undefined,
        signingSecret: new Secret(signingSecret),
        apiUrl: slack.apiUrl,
        alertChannel: CONSOLE_CHANNEL,
        responders: [],
      },
      port: 0,
      host: "127.0.0.1",
      metricsToken: undefined,
    },
    logger: createLogger({ level: "warn", format: "json", fd: 2 }),
    clock: systemClock,
  });
  const requests = new ConsoleRequests({
    eventsUrl: `http://127.0.0.1:${app.port}/slack/events`,
    signingSecret,
    slack,
  });
  return {
    port: app.port,
    orgId,
    requests,
    counts,
    nextReply: () => new Promise((resolve) => waiting.push(resolve)),
    served: () => sim.countValidEventsUpTo(Date.now()),
    stop: async () => {
      await app.stop();
      await slack.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
