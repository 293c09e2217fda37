import { monitorEventLoopDelay } from "node:perf_hooks";
import { type Clock, systemClock } from "../src/clock.js";
import { composeDigest } from "../src/digest/compose.js";
import { createLogger } from "../src/logger.js";
import { parseQuery } from "../src/query/parse.js";
import { runActivity, toFilter } from "../src/query/run.js";
import { Pruner } from "../src/retention/pruner.js";
import {
  handledLately,
  organizationGlance,
  organizationHome,
} from "../src/slack/home/organization-home.js";
import { startCheckpointer } from "../src/store/checkpointer.js";
import type { Db } from "../src/store/db.js";
import { openStore } from "../src/store/open.js";
import { type Repositories, repositories } from "../src/store/repositories.js";
import { DAY, HOUR, MINUTE } from "../src/time-units.js";
import { watchLargestSize } from "./largest-size.js";
import { percentile } from "./percentile.js";
import { millionEventStoreCopy } from "./store-1m.js";
import { addYearOfAlerts } from "./year-store.js";

const RUNS = 7;
/** The weekly digest takes seconds: fewer runs. */
const WEEKLY_RUNS = 3;
const RETENTION_DAYS = 90;
const QUESTIONS = [
  "status:open since:24h",
  "status:open since:30d",
  "status:acknowledged since:7d",
  "rule:mcp-destructive since:7d",
  "rule:mcp-write since:24h",
];

/**
 * p50 and max of `runs` runs after a first (unmeasured), and the longest the event loop waited
 * meanwhile (what a read that lets it in between its steps holds it), in ms.
 */
async function timed(read: () => unknown, runs = RUNS): Promise<[number, number, number]> {
  await read();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  // The monitor records a delay from its second tick on.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await read();
    times.push(performance.now() - started);
    // Others in between two runs, as between two questions.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  delay.disable();
  times.sort((a, b) => a - b);
  return [percentile(times, 50), times.at(-1) ?? 0, delay.max / 1e6];
}

/** What people use daily on the year store, as the bot reads it: each read's p50 and max. */
async function benchReads(db: Db, stores: Repositories, orgId: string, now: number) {
  const logger = createLogger({ level: "warn", format: "json", fd: 2 });
  const deps = {
    stores,
    logger,
    orgId,
    timeZone: "UTC",
    health: () => ({ lagSeconds: 60, quarantined: 0, keyRejected: false, lastError: null }),
  };
  const ask = (text: string) => async () => {
    const parsed = parseQuery(text, { now, timeZone: "UTC" });
    if (!parsed.ok) throw new Error(`${text}: ${parsed.error.message}`);
    const names = parsed.query.users.flatMap((u) => (u.kind === "text" ? [u.value] : []));
    const filter = toFilter(parsed.query, stores.activity, names, orgId);
    return runActivity(stores.activity, filter, parsed.query.limit);
  };
  const email = db
    .prepare<[string], string>(
      "SELECT user_email FROM events WHERE org_id = ? AND is_mcp = 1 AND user_email IS NOT NULL LIMIT 1",
    )
    .pluck()
    .get(orgId);
  const facts = {
    orgId,
    status: () => ({ healthy: true, lastPoll: now, lagSeconds: 60, problems: [] }),
    apiKeyExpires: now + 10 * DAY,
    apiKeyRejected: () => false,
  };
  const [shown] = stores.home.openAlerts(orgId, 1).alerts;
  const reads: Array<[string, () => unknown, number?]> = [
    [
      "daily digest (figures, message, chart)",
      () => composeDigest(deps, "daily", now - DAY, now, { late: false }),
    ],
    [
      "digest figures alone",
      () =>
        stores.digestFigures.read(orgId, now - DAY, now, () => "", {
          bucketMs: HOUR,
          previousSince: now - 2 * DAY,
        }),
    ],
    [
      "weekly digest",
      () => composeDigest(deps, "weekly", now - 7 * DAY, now, { late: false }),
      WEEKLY_RUNS,
    ],
    ...QUESTIONS.map((q): [string, () => unknown] => [q, ask(q)]),
    ["user:<email> since:30d", ask(`user:${email ?? "nobody@example.com"} since:30d`)],
    [
      "confirmedAt (each alert shown)",
      () => stores.alerts.confirmedAt(orgId, shown?.ruleId ?? "", shown?.userId ?? ""),
    ],
    [
      "responder App Home",
      () => [
        organizationHome(stores, organizationGlance(stores.home, facts, undefined), now, 10),
        handledLately(stores.home, [orgId], now),
      ],
    ],
  ];
  console.log(
    `${"read".padEnd(52)}${"p50 ms".padStart(10)}${"max ms".padStart(10)}${"loop wait".padStart(11)}`,
  );
  for (const [label, read, runs] of reads) {
    const [p50, max, wait] = await timed(read, runs);
    const cell = (n: number, width = 10) => n.toFixed(n < 1 ? 3 : 1).padStart(width);
    console.log(`${label.padEnd(52)}${cell(p50)}${cell(max)}${cell(wait, 11)}`);
  }
}

/** Times each call of a store's method into `times`, leaving what it does as it is. */
function timeEach<A extends unknown[], R>(call: (...args: A) => R, times: number[]) {
  return (...args: A): R => {
    const started = performance.now();
    try {
      return call(...args);
    } finally {
      times.push(performance.now() - started);
    }
  };
}

/**
 * The retention pass as the bot runs it (the checkpointer's thread on, emptying the log through
 * it), at RETENTION_DAYS on the year store, then again a day later: what each deleted, its time,
 * its batches' times and the longest the event loop waited.
 */
async function benchRetention(db: Db, stores: Repositories, orgId: string, now: number) {
  // The 1M store was never evaluated by the rules: the pass prunes only evaluated events.
  stores.alerts.setLastEvaluated(orgId, stores.events.maxSeq(orgId), now);
  const alertBatches: number[] = [];
  const eventBatches: number[] = [];
  const { unpostedAlerts, retention } = stores;
  unpostedAlerts.pruneBatch = timeEach(
    unpostedAlerts.pruneBatch.bind(unpostedAlerts),
    alertBatches,
  );
  retention.pruneBatch = timeEach(retention.pruneBatch.bind(retention), eventBatches);
  const logger = createLogger({ level: "warn", format: "json", fd: 2 });
  const checkpointer = startCheckpointer(db, { logger });
  await checkpointer.ready;
  const log = watchLargestSize(`${db.name}-wal`);
  let today = now;
  const clock: Clock = { now: () => today, sleep: systemClock.sleep };
  const pruner = new Pruner({
    stores,
    clock,
    logger,
    retentionDays: RETENTION_DAYS,
    emptyLog: () => checkpointer.emptyLog(),
    keepUp: () => checkpointer.keepUp(),
  });
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const batches = (times: number[]) => {
    times.sort((a, b) => a - b);
    const [p50, p99] = [percentile(times, 50), percentile(times, 99)];
    return `${times.length} batches p50 ${ms(p50)}, p99 ${ms(p99)}, max ${ms(times.at(-1) ?? 0)}`;
  };
  const count = (sql: string) => db.prepare<[], number | null>(sql).pluck().get() ?? 0;
  try {
    for (const pass of ["first pass", "a day later"]) {
      alertBatches.length = 0;
      eventBatches.length = 0;
      const delay = monitorEventLoopDelay({ resolution: 1 });
      delay.enable();
      // The monitor records a delay from its second tick on: the first batch would go unseen.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const started = performance.now();
      const result = await pruner.pruneOnce();
      const seconds = (performance.now() - started) / 1000;
      // A timer's turn, so that the histogram sees the pass's last stretch too (emptying the log).
      await new Promise((resolve) => setTimeout(resolve, 10));
      delay.disable();
      console.log(
        `${pass}: ${result.alerts.toLocaleString("en-US")} alerts nobody saw and ${result.events.toLocaleString("en-US")} events deleted in ${seconds.toFixed(1)} s; event loop waited p99 ${ms(delay.percentile(99) / 1e6)}, longest ${ms(delay.max / 1e6)}`,
      );
      const largest = (await log.since()) / 1_048_576;
      console.log(`  the write-ahead log (-wal) at most ${largest.toFixed(1)} MiB`);
      console.log(`  alerts: ${batches(alertBatches)}`);
      console.log(`  events: ${batches(eventBatches)}`);
      const counted = count("SELECT sum(n) FROM alert_counts");
      const alerts = count("SELECT count(*) FROM alerts");
      if (counted !== alerts)
        throw new Error(`the alert counters say ${counted} alerts, the table holds ${alerts}`);
      console.log(`  alerts left ${alerts.toLocaleString("en-US")}, the alert counters equal`);
      today += DAY;
    }
  } finally {
    await log.stop();
    await checkpointer.stop();
  }
}

/**
 * The 1M-event store with a year of alerts added at the default rules' rates (see
 * year-store.ts), built once per run on a copy: the reads people use daily on it, then the
 * retention pass deleting the alerts nobody saw.
 */
export async function benchYear(): Promise<void> {
  const copy = millionEventStoreCopy(Date.now());
  try {
    const db = openStore(copy.path);
    try {
      const started = performance.now();
      const year = addYearOfAlerts(db, copy.orgId, (line) => console.log(line));
      console.log(
        `the year store: ${year.alerts.toLocaleString("en-US")} alerts (${year.open.toLocaleString("en-US")} open, ${year.posted.toLocaleString("en-US")} posted), built in ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
      db.pragma("wal_checkpoint(TRUNCATE)");
      const stores = repositories(db);
      const now = year.end + MINUTE;
      await benchReads(db, stores, copy.orgId, now);
      await benchRetention(db, stores, copy.orgId, now);
    } finally {
      db.close();
    }
  } finally {
    copy.remove();
  }
}
