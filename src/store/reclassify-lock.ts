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
  const locked = lockOn(path, SUFFIX);
  if (!locked)
    throw new AppError(
      "RECLASSIFY_RUNNING",
      `another reclassify is running on the database at ${resolve(path)}: wait for it to end (it prints its progress), or stop it with Ctrl-C and run this again`,
    );
  return { release: () => locked.lock.close() };
}

/** Whether a `reclassify` runs on the database at `path` now (`tools` and the bot's start ask). */
export function reclassifyRunning(path: string): boolean {
  if (path === ":memory:") return false;
  let file: string;
  try {
    file = companionOf(path, SUFFIX);
  } catch {
    return false; // no folder: nothing runs on it
  }
  if (!existsSync(file)) return false;
  // A read, which the running one's exclusive lock refuses at once, takes nothing from it.
  const probe = new Database(file, { readonly: true, timeout: 0 });
  try {
    probe.prepare("SELECT count(*) FROM sqlite_master").get();
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_BUSY") return true;
    throw error;
  } finally {
    probe.close();
  }
}
