import { join } from "node:path";
import { DigestScheduler, scheduledTimes } from "../../src/digest/schedule.js";
import { DigestRecordStore } from "../../src/store/digests.js";
import { openStore } from "../../src/store/open.js";
import { PollStateStore } from "../../src/store/poll-state.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY } from "../../src/time-units.js";
import { wallTime } from "../../src/time-zone.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";

/** The cron's times from `from` to `until`, one `scheduledTimes` after the other, as wall times. */
export function times(cron: string, zone: string, from: number, until: number): string[] {
  const found: string[] = [];
  for (let at = from; at < until; at = scheduledTimes(cron, zone, at).next)
    if (at > from) found.push(wallTime(at, zone));
  return found;
}

/**
 * The daily digest's scheduler of org-1 on a real database, its clock at `now`, the history read
 * by a first start at `firstStart`; `records()` lists the daily digests made.
 */
export async function dailyScheduler(cron: string, zone: string, now: number, firstStart: number) {
  const db = openStore(join(tempDir(), "digest.db"));
  new PollStateStore(db).save(
    {
      orgId: "org-1",
      cursor: null,
      lastProcessedAt: null,
      backfillFrom: firstStart - 7 * DAY,
      backfillUntil: firstStart,
      backfillDone: true,
    },
    firstStart,
  );
  const clock = new VirtualClock(now);
  const log = capturedLogger();
  const scheduler = new DigestScheduler({
    stores: repositories(db),
    clock,
    logger: log.logger,
    orgId: "org-1",
    cron,
    timeZone: zone,
    health: () => ({ lagSeconds: 0, quarantined: 0, keyRejected: false, lastError: null }),
  });
  await scheduler.catchUp();
  const records = () => new DigestRecordStore(db).list("org-1").filter((r) => r.kind === "daily");
  return { scheduler, clock, log, records };
}
