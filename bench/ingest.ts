import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { AtlassianClient } from "../src/atlassian/client.js";
import { systemClock } from "../src/clock.js";
import { Poller } from "../src/ingest/poller.js";
import { BATCH_EVENTS, BOT_BATCH_EVENTS } from "../src/ingest/poller-options.js";
import { createLogger } from "../src/logger.js";
import { Secret } from "../src/secret.js";
import { startCheckpointer } from "../src/store/checkpointer.js";
import type { Db } from "../src/store/db.js";
import { openStore } from "../src/store/open.js";
import { repositories } from "../src/store/repositories.js";
import { percentile } from "./percentile.js";
import { type SimulatorProcess, startSimulatorProcess } from "./simulator.js";

// 7 days at one event every 3 s: 201,600 events, as `mcp-activity simulate --days 7 --every 3`.
const DAYS = 7;

/**
 * The simulator runs in its own process so this one's memory is the ingest's alone, its whole
 * history serialised before the clock starts: a remote Atlassian's pages cost this machine
 * nothing, while a simulator generating them would take one of its two cores from the ingest.
 */
function startSimulator(): Promise<SimulatorProcess> {
  return startSimulatorProcess({
    apiKey: "bench",
    seed: 1,
    intervalMs: 3_000,
    profile: "realistic",
    start: Date.now() - DAYS * 86_400_000,
    prepare: true,
  });
}

/** How the running bot ingests, and how `mcp-activity poll` does; the rules are left out of both. */
const WAYS = {
  bot: {
    batchSize: BOT_BATCH_EVENTS,
    checkpointThread: true,
    says: `as the running bot ingests (INGEST_AS=bot): a commit after each page (every ${BOT_BATCH_EVENTS} events or more), the write-ahead log emptied on a thread of its own; the rules left out (see \`rules\`)`,
  },
  poll: {
    batchSize: BATCH_EVENTS,
    checkpointThread: false,
    says: `as \`mcp-activity poll\` ingests (INGEST_AS=poll): a commit every ${BATCH_EVENTS} events or more, the write-ahead log emptied by the commits themselves; the rules left out`,
  },
} as const;

type Way = (typeof WAYS)[keyof typeof WAYS];

/** The way named by INGEST_AS, the running bot's when none is. */
function wayOf(named: string | undefined): Way {
  if (named === undefined || named === "") return WAYS.bot;
  if (Object.hasOwn(WAYS, named)) return WAYS[named as keyof typeof WAYS];
  throw new Error(`INGEST_AS must be one of ${Object.keys(WAYS).join(", ")}, not "${named}"`);
}

const logger = createLogger({ level: "warn", format: "json", fd: 2 });

function clientOf(sim: SimulatorProcess): AtlassianClient {
  const { url: baseUrl, orgId } = sim;
  return new AtlassianClient({
    baseUrl,
    orgId,
    apiKey: new Secret("bench"),
    clock: systemClock,
    logger,
  });
}

/**
 * The same window's pages fetched and parsed as the poller does, nothing stored, from a simulator
 * of its own started as the ingest's was: how fast pages are served, fetched and parsed on these
 * cores, the most the end-to-end rate could be here.
 */
async function fetchOnlyRate(): Promise<number> {
  const sim = await startSimulator();
  try {
    const client = clientOf(sim);
    let events = 0;
    let cursor: string | undefined;
    const started = performance.now();
    for (;;) {
      const page = await client.streamPage(
        cursor ? { cursor } : { from: Date.now() - DAYS * 86_400_000 },
      );
      events += page.items.length;
      if (!page.next || page.items.length === 0) break;
      cursor = page.next;
    }
    return events / ((performance.now() - started) / 1000);
  } finally {
    await sim.stop();
  }
}

/**
 * One poll of the simulator's whole window into `db`, the way given: what it stored, its time,
 * CPU and peak RSS, how long each write transaction took, and the event loop's delay meanwhile
 * (how long a request would have waited for it).
 */
async function ingest(way: Way, db: Db, sim: SimulatorProcess) {
  const checkpointer = way.checkpointThread ? startCheckpointer(db, { logger }) : undefined;
  try {
    await checkpointer?.ready;
    const stores = repositories(db);
    const transactions: number[] = [];
    const poller = new Poller({
      stores: {
        ...stores,
        writeTransaction: (work) => {
          const started = performance.now();
          try {
            return stores.writeTransaction(work);
          } finally {
            transactions.push(performance.now() - started);
          }
        },
      },
      client: clientOf(sim),
      clock: systemClock,
      logger,
      intervalMs: 60_000,
      backfillDays: DAYS,
      batchSize: way.batchSize,
    });
    const rssBefore = process.memoryUsage().rss;
    const cpuBefore = process.cpuUsage();
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const started = performance.now();
    const result = await poller.pollOnce();
    const seconds = (performance.now() - started) / 1000;
    delay.disable();
    const cpu = process.cpuUsage(cpuBefore);
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    transactions.sort((a, b) => a - b);
    return { result, seconds, cpu, peakRssMb, rssBefore, transactions, delay };
  } finally {
    await checkpointer?.stop();
  }
}

export async function benchIngest(): Promise<void> {
  const way = wayOf(process.env.INGEST_AS);
  const dir = mkdtempSync(join(tmpdir(), "mcp-activity-bench-"));
  const sim = await startSimulator();
  try {
    const db = openStore(join(dir, "ingest.db"));
    const { result, seconds, cpu, peakRssMb, rssBefore, transactions, delay } = await ingest(
      way,
      db,
      sim,
    );
    const e2eRate = result.stored / seconds;
    await sim.stop(); // before the next simulator starts, so the two do not share the cores
    const servedRate = await fetchOnlyRate();

    // The raw rate on the same rows: one prepared INSERT of every column of the events and of
    // their compressed raw JSON blocks, in one transaction, into a fresh file with the same
    // schema (no dedupe look-up, no people, no compression).
    const rows = db.prepare("SELECT * FROM event_rows ORDER BY seq").raw().all() as unknown[][];
    const blocks = db.prepare("SELECT * FROM raw_blocks ORDER BY id").raw().all() as unknown[][];
    db.close();
    const raw = openStore(join(dir, "raw.db"));
    const into = (table: string, width: number) =>
      raw.prepare(`INSERT INTO ${table} VALUES (${Array(width).fill("?").join(", ")})`);
    const insert = into("event_rows", rows[0]?.length ?? 0);
    const insertBlock = into("raw_blocks", blocks[0]?.length ?? 0);
    const rawStarted = performance.now();
    raw.transaction(() => {
      for (const block of blocks) insertBlock.run(block);
      for (const row of rows) insert.run(row);
    })();
    const rawSeconds = (performance.now() - rawStarted) / 1000;
    raw.close();
    const rawRate = rows.length / rawSeconds;

    console.log(way.says);
    console.log(
      `events ingested end to end:  ${result.stored} in ${seconds.toFixed(2)} s (${result.pages} pages)`,
    );
    const ms = (ns: number) => (ns / 1e6).toFixed(1);
    console.log(
      `the event loop meanwhile:    delay p50 ${ms(delay.percentile(50))} ms, p99 ${ms(delay.percentile(99))} ms, longest ${ms(delay.max)} ms (how long a request would have waited); ${transactions.length} write transactions, p50 ${percentile(transactions, 50).toFixed(1)} ms, longest ${(transactions.at(-1) ?? 0).toFixed(1)} ms`,
    );
    console.log(`end-to-end rate:             ${Math.round(e2eRate)} events/s   (target >= 20000)`);
    console.log(
      `simulator alone:             ${Math.round(servedRate)} events/s   (the same pages fetched and parsed, nothing stored: the most end to end can be here; end to end is ${(e2eRate / servedRate).toFixed(2)} of it)`,
    );
    console.log(
      `raw better-sqlite3 insert:   ${Math.round(rawRate)} events/s   (same ${rows.length} rows, one transaction)`,
    );
    console.log(
      `ratio end-to-end / raw:      ${(e2eRate / rawRate).toFixed(2)}   (target >= 0.30)`,
    );
    console.log(
      `ceiling of that ratio here:  ${(servedRate / rawRate).toFixed(2)}   (fetched and parsed alone / raw: what the ratio would be if storing cost nothing)`,
    );
    // However the work were spread over threads, it cannot end sooner than its CPU time shared
    // evenly by every core, with the simulator's own CPU left out: the best this machine allows.
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const cores = availableParallelism();
    const bestRatio = result.stored / (cpuSeconds / cores) / rawRate;
    console.log(
      `best ratio on ${cores} cores:       ${bestRatio.toFixed(2)}   (this ingest's CPU, ${cpuSeconds.toFixed(1)} s, spread evenly over every core, the simulator's left out)`,
    );
    console.log(
      `peak RSS of the ingesting process: ${peakRssMb.toFixed(0)} MB (${(rssBefore / 1048576).toFixed(0)} MB before; target < 256 MB)`,
    );
    console.log(
      `CPU of the ingesting process end to end: ${(cpu.user / 1e6).toFixed(1)} s user + ${(cpu.system / 1e6).toFixed(1)} s system (all its threads)`,
    );
    console.log(
      "the simulator is a separate process on these cores, its history serialised before the clock starts: serving a page costs little more than writing it",
    );
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
