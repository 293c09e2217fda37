import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AtlassianClient } from "../src/atlassian/client.js";
import { systemClock } from "../src/clock.js";
import { Poller } from "../src/ingest/poller.js";
import { createLogger } from "../src/logger.js";
import { Secret } from "../src/secret.js";
import { openStore } from "../src/store/open.js";
import { repositories } from "../src/store/repositories.js";

const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
// 7 days at one event every 3 s: 201,600 events.
const EVERY_SECONDS = 3;
const DAYS = 7;

/**
 * The simulator runs in its own process so this one's memory is the ingest's alone. It still
 * shares this machine's cores, which a remote Atlassian does not.
 */
async function startSimulatorProcess(): Promise<{ url: string; orgId: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      CLI,
      "simulate",
      "--port",
      "0",
      "--days",
      String(DAYS),
      "--every",
      String(EVERY_SECONDS),
      "--api-key",
      "bench",
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  for await (const chunk of child.stdout) {
    out += String(chunk);
    const url = /ATLASSIAN_API_BASE_URL=(\S+)/.exec(out)?.[1];
    const orgId = /ATLASSIAN_ORG_ID=(\S+)/.exec(out)?.[1];
    if (url && orgId && out.includes("Ctrl-C"))
      return { url, orgId, stop: () => child.kill("SIGTERM") };
  }
  throw new Error(`the simulator did not start: ${out}`);
}

type Simulator = Awaited<ReturnType<typeof startSimulatorProcess>>;
const logger = createLogger({ level: "warn", format: "json", fd: 2 });

function clientOf(sim: Simulator): AtlassianClient {
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
 * of its own started as the ingest's was: how fast the simulator serves on these cores, the most
 * the end-to-end rate could be here.
 */
async function fetchOnlyRate(): Promise<number> {
  const sim = await startSimulatorProcess();
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
    sim.stop();
  }
}

export async function benchIngest(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mcp-activity-bench-"));
  const sim = await startSimulatorProcess();
  try {
    const db = openStore(join(dir, "ingest.db"));
    const poller = new Poller({
      stores: repositories(db),
      client: clientOf(sim),
      clock: systemClock,
      logger,
      intervalMs: 60_000,
      backfillDays: DAYS,
    });
    const rssBefore = process.memoryUsage().rss;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const result = await poller.pollOnce();
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const e2eRate = result.stored / seconds;
    sim.stop(); // before the next simulator starts, so the two do not share the cores
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

    console.log(
      `events ingested end to end:  ${result.stored} in ${seconds.toFixed(2)} s (${result.pages} pages)`,
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
      `peak RSS of the ingesting process: ${peakRssMb.toFixed(0)} MB (${(rssBefore / 1048576).toFixed(0)} MB before; target < 256 MB)`,
    );
    console.log(
      `CPU of the ingesting process end to end: ${(cpu.user / 1e6).toFixed(1)} s user + ${(cpu.system / 1e6).toFixed(1)} s system (all its threads)`,
    );
    console.log(
      "the simulator is a separate process on these cores; it prepares the page after the one it served while that one is stored, as a remote server would",
    );
  } finally {
    sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
