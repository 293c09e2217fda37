import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { DatabaseFiles } from "./database-files.js";

/**
 * Checks every `everyMs` that the database and lock files are still those the bot opened. Once
 * one is not, it says so and calls `halt` with what is wrong (the bot stops polling and posting,
 * and stays up, unhealthy, until restarted): going on would store into a file no one reads again
 * and post from it, and exiting would let a supervisor start it at once on an emptied folder,
 * backfilling and posting every alert of BACKFILL_DAYS again, or on a restored file before anyone
 * looked.
 */
export function watchDatabaseFiles(
  files: DatabaseFiles,
  o: { clock: Clock; logger: Logger; halt: (problem: string) => Promise<void>; everyMs?: number },
): { stop(): Promise<void> } {
  const log = o.logger.child({ component: "database" });
  const stopping = new AbortController();
  const check = async (): Promise<boolean> => {
    const problem = problemOf(files);
    if (problem === null) return false;
    let removed: string[] = [];
    try {
      removed = files.dropJournal();
    } catch (error) {
      log.warn(
        { err: error },
        "the -wal and -shm files of the database file the bot had open could not be removed: remove them before the next start, or SQLite reads them into the file now at DATABASE_PATH",
      );
    }
    log.error({ removed }, problem);
    await o.halt(problem);
    log.info("polling and posting stopped: restart the bot");
    return true;
  };
  const done = (async () => {
    while (!stopping.signal.aborted && !(await check()))
      await o.clock.sleep(o.everyMs ?? 5_000, stopping.signal);
  })();
  return {
    stop: async () => {
      stopping.abort();
      await done;
    },
  };
}

/**
 * Which file changed under the bot, or null; a path this process can no longer stat (its
 * folder's mode changed) is null here, told by /healthz.
 */
export function changedFile(files: DatabaseFiles): "database" | "lock" | null {
  try {
    return files.changed();
  } catch {
    return null;
  }
}

/** A path this process can no longer stat (its folder's mode changed) is told by /healthz. */
function problemOf(files: DatabaseFiles): string | null {
  try {
    return files.problem();
  } catch {
    return null;
  }
}
