import { closeSync, existsSync, openSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { AppError } from "../errors.js";
import { openProblem } from "./errors.js";
import { identityAt, sameFile } from "./file-identity.js";
import { makeFolder } from "./folder.js";
import { realPath } from "./real-path.js";

/** Held while a process polls and posts from a database; the system lets it go when it exits. */
export interface InstanceLock {
  release(): void;
  /**
   * What is wrong when the lock file at its name is no longer the one locked (deleted with its
   * folder, or replaced): it then keeps no second process out. Else null.
   */
  problem(): string | null;
}

/** The file `<path>.<suffix>` beside the database, by its real path. */
export function companionOf(path: string, suffix: string): string {
  return `${realPath(path)}.${suffix}`;
}

/**
 * An exclusive SQLite lock on the file `<path>.<suffix>` beside the database (made, owner-only as
 * the database, when missing), waiting at most `waitMs`; undefined when another process holds it.
 */
export function lockOn(
  path: string,
  suffix: string,
  waitMs = 0,
): { lock: Database.Database; file: string } | undefined {
  let lock: Database.Database | undefined;
  try {
    makeFolder(dirname(path));
    const file = companionOf(path, suffix);
    closeSync(openSync(file, "a", 0o600));
    lock = new Database(file, { timeout: waitMs });
    lock.exec("BEGIN EXCLUSIVE");
    return { lock, file };
  } catch (error) {
    lock?.close();
    if ((error as { code?: string }).code === "SQLITE_BUSY") return undefined;
    throw new AppError("DATABASE_OPEN", openProblem(path, error), { cause: error });
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
  // The lock is named by the file's path: a hard link is a second path, with a lock of its own.
  const names = existsSync(path) ? statSync(path).nlink : 1;
  if (names > 1)
    throw new AppError(
      "DATABASE_LINKED",
      `the database at ${resolve(path)} has ${names} names (hard links): a bot started by another name would not be kept out, and two writing it at once damage it: remove the other names (find them with find / -samefile ${resolve(path)})`,
    );
  const locked = lockOn(path, "lock");
  if (!locked)
    throw new AppError(
      "ALREADY_RUNNING",
      `another mcp-activity is using the database at ${resolve(path)}: a start or poll --once (stop it first, or give this one another DATABASE_PATH: two would poll and post the same alerts twice), or a migrate or other command upgrading it (wait for it to end)`,
    );
  const { lock, file } = locked;
  const identity = identityAt(file);
  return {
    release: () => lock.close(),
    problem: () =>
      sameFile(identityAt(file), identity)
        ? null
        : `the lock file ${file} was deleted or replaced while the bot ran: a second start on DATABASE_PATH would not be stopped and both would post the same alerts, so it stops polling and posting; restart it`,
  };
}
