import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { startApp } from "../src/app.js";
import { systemClock } from "../src/clock.js";
import { ConsoleRequests } from "../src/console/requests.js";
import { CONSOLE_CHANNEL, type ConsoleSink, ConsoleSlack } from "../src/console/slack-api.js";
import { createLogger } from "../src/logger.js";
import { Secret } from "../src/secret.js";
import { startSimulator } from "../src/simulator/index.js";

const SAMPLE_MS = 5_000;

/** Least-squares slope of y over x. */
function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

/**
 * The bot for a few minutes at 100 audit events a second, with steady Slack traffic: alerts
 * posted through the outbox and a signed /mcp-activity query every second, Slack served on
 * 127.0.0.1. Reports heap and RSS growth after warm-up and the event-loop delay.
 * SOAK_MINUTES sets the length (default 3); the first third is warm-up.
 */
export async function benchSoak(): Promise<void> {
  const minutes = Number(process.env.SOAK_MINUTES ?? 3);
  const runMs = minutes * 60_000;
  const warmUpMs = runMs / 3;
  const dir = mkdtempSync(join(tmpdir(), "mcp-activity-soak-"));
  const now = Date.now();
  const sim = await startSimulator({
    apiKey: "soak-key",
    seed: 9,
    intervalMs: 10,
    start: now - 60_000,
  });
  const counts = { posted: 0, updated: 0, replies: 0 };
  const sink: ConsoleSink = {
    message: (_m, change) => {
      counts[change === "posted" ? "posted" : "updated"]++;
    },
    ephemeral: () => {
      counts.replies++;
    },
    file: () => undefined,
  };
  const busiest = sim.org.roster.people.find((p) => p.mcpSince !== null);
  const slack = new ConsoleSlack(sink, {
    id: "USOAK0001",
    name: "soak",
    email: busiest?.email ?? "soak@example.com",
    timeZone: "UTC",
  });
  await slack.start();
  const signingSecret = randomBytes(16).toString("hex");
  const organization = {
    orgId: sim.orgId,
    apiKey: new Secret("soak-key"),
    apiKeyExpires: undefined,
  };
  const app = await startApp({
    config: {
      databasePath: join(dir, "soak.db"),
      retentionDays: 400,
      logLevel: "warn",
      logFormat: "json",
      rulesFile: undefined,
      digest: { cron: "0 9 * * *", timezone: "UTC" },
      atlassian: { ...organization, apiBaseUrl: sim.url, organizations: [organization] },
      pollIntervalSeconds: 5,
      backfillDays: 1,
      slack: {
        botToken: new Secret("xoxb-soak"),
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
  const queries = ["user:me since:1d", "since:1h", "tool:getJiraIssue since:1d", "status"];
  let asked = 0;
  const asking = setInterval(() => {
    requests.command(queries[asked++ % queries.length] ?? "help").catch(() => undefined);
  }, 1000);

  const delay = monitorEventLoopDelay({ resolution: 10 });
  const started = performance.now();
  const heap: Array<[number, number]> = [];
  const rss: Array<[number, number]> = [];
  let warm = false;
  const eventsAtWarm = { at: 0, count: 0 };
  while (performance.now() - started < runMs) {
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    const t = (performance.now() - started) / 60_000;
    if (!warm && performance.now() - started >= warmUpMs) {
      warm = true;
      delay.enable();
      eventsAtWarm.at = performance.now();
      eventsAtWarm.count = sim.countValidEventsUpTo(Date.now());
    }
    if (warm) {
      const memory = process.memoryUsage();
      heap.push([t, mb(memory.heapUsed)]);
      rss.push([t, mb(memory.rss)]);
    }
  }
  delay.disable();
  clearInterval(asking);
  await new Promise((resolve) => setTimeout(resolve, 2000)); // the last answers
  const rate =
    (sim.countValidEventsUpTo(Date.now()) - eventsAtWarm.count) /
    ((performance.now() - eventsAtWarm.at) / 1000);
  await app.stop();
  await slack.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });

  const ms = (ns: number) => ns / 1e6;
  const first = heap[0]?.[1] ?? 0;
  const last = heap.at(-1)?.[1] ?? 0;
  const heapSlope = slope(heap);
  const p99 = ms(delay.percentile(99));
  console.log(
    `soak: ${minutes} min at ${rate.toFixed(0)} events/s (after ${(warmUpMs / 60_000).toFixed(1)} min warm-up), ${counts.posted} messages posted, ${counts.updated} updated, ${counts.replies} of ${asked} queries answered`,
  );
  console.log(
    `heap after warm-up: ${first.toFixed(1)} → ${last.toFixed(1)} MB, trend ${heapSlope >= 0 ? "+" : ""}${heapSlope.toFixed(2)} MB/min; RSS ${rss[0]?.[1].toFixed(0)} → ${rss.at(-1)?.[1].toFixed(0)} MB, trend ${slope(rss).toFixed(2)} MB/min`,
  );
  console.log(
    `event-loop delay: p50 ${ms(delay.percentile(50)).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${ms(delay.max).toFixed(1)} ms (target p99 < 50 ms: ${p99 < 50 ? "met" : "NOT met"})`,
  );
}
