import { existsSync } from "node:fs";
import { resolve } from "node:path";
import Database from "better-sqlite3";
import { AppError } from "../errors.js";
import { companionOf, lockOn } from "./instance-lock.js";

/** The lock `reclassify` holds while it runs, beside the database: `<path>.reclassify.lock`. */
const SUFFIX = "reclassify.lock";

/**
 * Taken by `reclassify` for its whole run: two at once would classify the same events twice,
 * perhaps with two rules files. Released by the system when the process ends, even killed.
 */
export function holdReclassifyLock(path: string): { release(): void } {
  if (path === ":memory:") return { release: () => undefined };
  // A moment's wait: another process's look (reclassifyRunning) holds the file as briefly.
  const locked = lockOn(path, SUFFIX, 200);
  if (!locked)
    throw new AppError(
      "RECLASSIFY_RUNNING",
      `another reclassify is running on the database at ${resolve(path)}: wait for it to end (it prints its progress), or stop it with Ctrl-C and run this again`,
    );
  return { release: () => locked.lock.close() };
}

/**
 * Whether a `reclassify` runs on the database at `path` now (`tools` and the bot's start ask,
 * of one that began and did not end). A lock file this process cannot read (left by a run as
 * another user) tells nothing: not running, as a run stopped is said.
 */
export function reclassifyRunning(path: string): boolean {
  if (path === ":memory:") return false;
  let probe: Database.Database | undefined;
  try {
    const file = companionOf(path, SUFFIX);
    if (!existsSync(file)) return false;
    // A read, which the running one's exclusive lock refuses at once, takes nothing from it.
    probe = new Database(file, { readonly: true, timeout: 0 });
    probe.prepare("SELECT count(*) FROM sqlite_master").get();
    return false;
  } catch (error) {
    return (error as { code?: string }).code === "SQLITE_BUSY";
  } finally {
    probe?.close();
  }
}
