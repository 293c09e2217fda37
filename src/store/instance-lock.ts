import { closeSync, openSync, realpathSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import Database from "better-sqlite3";
import { AppError } from "../errors.js";
import { openProblem } from "./errors.js";
import { identityAt, sameFile } from "./file-identity.js";
import { makeFolder } from "./folder.js";

/** Held while a process polls and posts from a database; the system lets it go when it exits. */
export interface InstanceLock {
  release(): void;
  /**
   * What is wrong when the lock file at its name is no longer the one locked (deleted with its
   * folder, or replaced): it then keeps no second process out. Else null.
   */
  problem(): string | null;
}

/** The database's real path, so that two names of one file (a link to it) share one lock. */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return join(realpathSync(dirname(path)), basename(path)); // not made yet
  }
}

/**
 * Takes the lock that lets one process at a time poll into and post from the database at `path`
 * (`start`, `poll --once`): two would both poll, raise and post the same alerts. It is an
 * exclusive SQLite lock on `<path>.lock`, a file lock the system releases when the process ends,
 * even killed, so a crash never leaves it behind; it holds across containers sharing the volume.
 */
export function holdInstanceLock(path: string): InstanceLock {
  if (path === ":memory:") return { release: () => undefined, problem: () => null };
  let lock: Database.Database | undefined;
  let file = "";
  try {
    makeFolder(dirname(path));
    file = `${realPath(path)}.lock`;
    closeSync(openSync(file, "a", 0o600)); // owner-only, as the database
    lock = new Database(file, { timeout: 0 });
    lock.exec("BEGIN EXCLUSIVE");
  } catch (error) {
    lock?.close();
    if ((error as { code?: string }).code !== "SQLITE_BUSY")
      throw new AppError("DATABASE_OPEN", openProblem(path, error), { cause: error });
    throw new AppError(
      "ALREADY_RUNNING",
      `another mcp-activity (start or poll --once) is using the database at ${resolve(path)}: stop it first, or give this one another DATABASE_PATH (two would poll and post the same alerts twice)`,
    );
  }
  const held = lock;
  const locked = identityAt(file);
  return {
    release: () => held.close(),
    problem: () =>
      sameFile(identityAt(file), locked)
        ? null
        : `the lock file ${file} was deleted or replaced while the bot ran: a second start on DATABASE_PATH would not be stopped and both would post the same alerts, so it stops polling and posting; restart it`,
  };
}
