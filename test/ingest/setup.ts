import { join } from "node:path";
import { AtlassianClient } from "../../src/atlassian/client.js";
import { Poller } from "../../src/ingest/poller.js";
import type { PollerOptions } from "../../src/ingest/poller-options.js";
import { Secret } from "../../src/secret.js";
import {
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from "../../src/simulator/index.js";
import { openStore } from "../../src/store/open.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";

export { DAY, MINUTE } from "../../src/time-units.js";

import type { Db } from "../../src/store/db.js";
import { repositories } from "../../src/store/repositories.js";
import { MINUTE } from "../../src/time-units.js";
import { closeAfterTest } from "../helpers/cleanup.js";

export const API_KEY = "poller-test-key";
/** The simulator's clock and the poller's: events become visible as it moves. */
export const NOW = Date.UTC(2026, 10, 2, 12, 0, 0);

export interface Rig {
  sim: Simulator;
  db: Db;
  clock: VirtualClock;
  poller: Poller;
  logs: ReturnType<typeof capturedLogger>;
  count(where?: string): number;
}

/** A simulator with `hours` of history at one event a minute, and a poller on a fresh file. */
export async function rig(
  options: {
    hours?: number;
    sim?: Partial<SimulatorOptions>;
    poller?: Partial<PollerOptions>;
  } = {},
): Promise<Rig> {
  const clock = new VirtualClock(NOW);
  const hours = options.hours ?? 10;
  const sim = await startSimulator({
    seed: 11,
    orgId: "org-poller",
    apiKey: API_KEY,
    start: NOW - hours * 60 * MINUTE + MINUTE / 2,
    intervalMs: MINUTE,
    clock,
    ...options.sim,
  });
  const db = openStore(join(tempDir(), "poller.db"));
  closeAfterTest(async () => {
    await sim.close();
    db.close();
  });
  const logs = capturedLogger();
  const client = new AtlassianClient({
    baseUrl: sim.url,
    orgId: sim.orgId,
    apiKey: new Secret(API_KEY),
    clock,
    logger: logs.logger,
    maxWaitMs: MINUTE,
    timeoutMs: 2_000,
    random: () => 0.5,
  });
  const poller = new Poller({
    stores: repositories(db),
    client,
    clock,
    logger: logs.logger,
    intervalMs: MINUTE,
    backfillDays: 7,
    pageLimit: 50,
    ...options.poller,
  });
  const count = (where = "1 = 1") =>
    (db.prepare(`SELECT count(*) AS n FROM events WHERE ${where}`).get() as { n: number }).n;
  return { sim, db, clock, poller, logs, count };
}

export function storedIds(db: Db): string[] {
  return db
    .prepare<[], { id: string }>("SELECT id FROM events ORDER BY id")
    .all()
    .map((row) => row.id);
}

export function validIds(sim: Simulator, now: number): string[] {
  return [...sim.validEventsUpTo(now)].map((event) => event.id).sort();
}

/** An MCP call an hour ago of Mallory's, as the stream gives it: `attributes` beside its actor, `over` beside its id. */
export function mallorysCall(r: Rig, id: string, attributes: object, over: object = {}) {
  return {
    id: `eeeeeeee-0000-4000-8000-${id.padStart(12, "0")}`,
    type: "events",
    attributes: {
      time: new Date(r.clock.now() - 60 * MINUTE).toISOString(),
      action: "rovo_mcp_tool_called",
      actor: { id: "acct-mallory", name: "Mallory", email: "mallory@acme.test" },
      container: [],
      ...attributes,
    },
    ...over,
  };
}
