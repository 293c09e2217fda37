import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { ConsoleRequests } from "../src/console/requests.js";
import { CONSOLE_CHANNEL, type ConsoleSink, ConsoleSlack } from "../src/console/slack-api.js";
import { AlertStore } from "../src/store/alerts.js";
import { EventStore } from "../src/store/events.js";
import { openStore } from "../src/store/open.js";
import { PollStateStore } from "../src/store/poll-state.js";
import { httpClient } from "./http-client.js";
import type { ProbeSample } from "./probe.js";
import { startSimulatorProcess } from "./simulator.js";
import { millionEventStoreCopy } from "./store-1m.js";

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
  readonly orgId: string;
  readonly requests: ConsoleRequests;
  /** GET on the bot's port (a path such as /metrics); resolves with the status once read. */
  get(path: string): Promise<number>;
  /** Messages posted or updated, and ephemeral replies received. */
  readonly counts: { posted: number; updated: number; replies: number };
  /** Resolves at the next ephemeral reply. */
  nextReply(): Promise<void>;
  /** Events the simulator has served so far. */
  served(): Promise<number>;
  /** Starts a window of the bot process's figures (event-loop delay sampled every `resolution` ms). */
  startWindow(resolution: number): void;
  /** The bot process's figures since the window started. */
  sample(): Promise<ProbeSample>;
  stop(): Promise<void>;
}

const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const PROBE = fileURLToPath(new URL("./probe.ts", import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once the bot answers /healthz, or rejects if it exits first. */
async function ready(bot: ChildProcess, port: number): Promise<void> {
  let exited: number | null | undefined;
  bot.once("exit", (code) => {
    exited = code;
  });
  for (;;) {
    if (exited !== undefined)
      throw new Error(`the bot exited with ${String(exited)} before it answered`);
    try {
      await (await fetch(`http://127.0.0.1:${port}/healthz`)).text();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * The bot as an operator runs it: `mcp-activity start` in a process of its own, on a copy of the
 * 1M-event store (so the cached store stays as built), polling a simulator of the same
 * organization (another process) every 5 s at 100 events a second. A console stand-in for Slack
 * and the signed /mcp-activity requests live in this process, on 127.0.0.1: Atlassian and Slack
 * are outside the bot's process. A probe loaded into the bot reports its event loop and memory.
 */
export async function startBenchApp(): Promise<BenchApp> {
  const now = Date.now();
  const { path: databasePath, orgId, remove } = millionEventStoreCopy(now);
  steadyState(databasePath, orgId, now);
  // The store's organization (seed 9), one event every 10 ms.
  const sim = await startSimulatorProcess({
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
  const slack = new ConsoleSlack(sink, {
    id: "URIG00001",
    name: "rig",
    email: sim.email ?? "rig@example.com",
    timeZone: "UTC",
  });
  await slack.start();
  const signingSecret = randomBytes(16).toString("hex");
  const port = await freePort();
  const bot = spawn(process.execPath, ["--import", "tsx", "--import", PROBE, CLI, "start"], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    env: {
      PATH: process.env.PATH,
      DATABASE_PATH: databasePath,
      RETENTION_DAYS: "400",
      LOG_LEVEL: "warn",
      DIGEST_CRON: "0 9 * * *",
      DIGEST_TIMEZONE: "UTC",
      ATLASSIAN_API_BASE_URL: sim.url,
      ATLASSIAN_ORG_ID: orgId,
      ATLASSIAN_API_KEY: "rig-key",
      POLL_INTERVAL_SECONDS: "5",
      BACKFILL_DAYS: "1",
      SLACK_BOT_TOKEN: "xoxb-rig",
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: slack.apiUrl,
      SLACK_ALERT_CHANNEL: CONSOLE_CHANNEL,
      PORT: String(port),
      HOST: "127.0.0.1",
    },
  });
  const exited = new Promise<void>((resolve) => bot.once("exit", () => resolve()));
  const http = httpClient();
  const stopAll = async () => {
    http.close();
    bot.kill("SIGTERM");
    await exited;
    await slack.close();
    await sim.stop();
    remove();
  };
  try {
    await ready(bot, port);
  } catch (error) {
    await stopAll();
    throw error;
  }
  const requests = new ConsoleRequests({
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    signingSecret,
    slack,
    post: http.post,
  });
  return {
    orgId,
    requests,
    get: (path) => http.get(`http://127.0.0.1:${port}${path}`),
    counts,
    nextReply: () => new Promise((resolve) => waiting.push(resolve)),
    served: sim.served,
    startWindow: (resolution) => bot.send({ probe: "start", resolution }),
    sample: () =>
      new Promise((resolve) => {
        bot.once("message", (message: { sample: ProbeSample }) => resolve(message.sample));
        bot.send({ probe: "sample" });
      }),
    stop: stopAll,
  };
}
