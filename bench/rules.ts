import { systemClock } from "../src/clock.js";
import { DetectionEngine } from "../src/detect/engine.js";
import { DEFAULT_RULES_FILE } from "../src/detect/rules-file.js";
import type { NormalizedEvent } from "../src/domain/event.js";
import { buildCatalog } from "../src/ingest/classify.js";
import { normalize } from "../src/ingest/normalize.js";
import { createLogger } from "../src/logger.js";
import { SLICE_EVENTS } from "../src/pipeline.js";
import { SyntheticOrg } from "../src/simulator/index.js";
import { startCheckpointer } from "../src/store/checkpointer.js";
import { EventActionStore } from "../src/store/event-actions.js";
import { openStore } from "../src/store/open.js";
import { repositories } from "../src/store/repositories.js";
import { nextTurn, SLICE_MS, timeBox } from "../src/wait.js";
import { percentile } from "./percentile.js";
import { EVENTS, millionEventStoreCopy } from "./store-1m.js";

/** New live events: the last ~3.5 minutes at 100 a second, of the store's own 500 people. */
const LIVE = 20_000;
const EVERY_MS = 10;

/**
 * The rules on the 1M-event store as the running bot runs them: a slice of at most SLICE_EVENTS
 * events or SLICE_MS per turn of the event loop, checkpoints on their own thread, over 20,000 live
 * events stored after the history they look up. Prints how many events a second they judge (how
 * fast the bot catches up after a pause) and how long a slice holds the event loop.
 */
export async function benchRules(): Promise<void> {
  const now = Date.now();
  const { path, orgId, remove } = millionEventStoreCopy(now);
  try {
    const db = openStore(path);
    const stores = repositories(db);
    stores.alerts.setLastEvaluated(orgId, stores.events.maxSeq(orgId), now);
    const org = new SyntheticOrg({
      seed: 42,
      orgId,
      people: 500,
      intervalMs: EVERY_MS,
      start: now - (EVENTS + LIVE) * EVERY_MS,
    });
    const catalog = buildCatalog(new EventActionStore(db).all(orgId));
    const live: NormalizedEvent[] = [];
    // Past the store's million: new ids, the last LIVE * EVERY_MS before now.
    for (let i = EVENTS; i < EVENTS + LIVE; i++) {
      const result = normalize(org.eventAt(i), { orgId, catalog, backfillUntil: null });
      if (result.ok) live.push(result.event);
    }
    stores.writeTransaction(() => stores.events.insertMany(live, now));

    const logger = createLogger({ level: "warn", format: "json", fd: 2 });
    // As in the bot: checkpoints on their own thread, a slice per turn of the event loop.
    const checkpointer = startCheckpointer(db, { logger });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const engine = new DetectionEngine({
      stores,
      clock: systemClock,
      logger,
      orgId,
      config: DEFAULT_RULES_FILE,
    });
    const slices: number[] = [];
    let judged = 0;
    let raised = 0;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    for (let more = true; more; ) {
      const t = performance.now();
      const slice = engine.runSlice(SLICE_EVENTS, timeBox());
      slices.push(performance.now() - t);
      judged += slice.result?.evaluated ?? 0;
      raised += slice.result?.raised ?? 0;
      more = slice.more;
      await nextTurn();
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    await checkpointer.stop();
    db.close();
    const busy = slices.reduce((sum, ms) => sum + ms, 0);
    slices.sort((a, b) => a - b);
    console.log(
      `rules on the 1M store: ${judged} live events judged in ${seconds.toFixed(2)} s: ${Math.round(judged / seconds)} events/s; in the slices themselves ${(busy / judged).toFixed(3)} ms an event, CPU ${((cpu.user + cpu.system) / 1000 / judged).toFixed(3)} ms an event; ${raised} alerts raised`,
    );
    console.log(
      `${slices.length} slices (at most ${SLICE_EVENTS} events or ${SLICE_MS} ms): p50 ${percentile(slices, 50).toFixed(2)} ms, p99 ${percentile(slices, 99).toFixed(2)} ms, max ${(slices.at(-1) ?? 0).toFixed(2)} ms`,
    );
  } finally {
    remove();
  }
}
