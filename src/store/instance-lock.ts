import { mkdirSync, realpathSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import Database from "better-sqlite3";
import { AppError } from "../errors.js";

/** Held while a process polls and posts from a database; the system lets it go when it exits. */
export interface InstanceLock {
  release(): void;
}

/**
 * Takes the lock that lets one process at a time poll into and post from the database at `path`
 * (`start`, `poll --once`): two would both poll, raise and post the same alerts. It is an
 * exclusive SQLite lock on `<path>.lock`, a file lock the system releases when the process ends,
 * even killed, so a crash never leaves it behind; it holds across containers sharing the volume.
 */
export function holdInstanceLock(path: string): InstanceLock {
  if (path === ":memory:") return { release: () => undefined };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Named after the folder's real path: two spellings of one file (a link) share one lock.
  const real = join(realpathSync(dirname(path)), basename(path));
  const lock = new Database(`${real}.lock`, { timeout: 0 });
  try {
    lock.exec("BEGIN EXCLUSIVE");
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
    throw new AppError(
      "ALREADY_RUNNING",
      `another mcp-activity (start or poll --once) is using the database at ${resolve(path)}: stop it first, or give this one another DATABASE_PATH (two would poll and post the same alerts twice)`,
    );
  }
  return { release: () => lock.close() };
}
