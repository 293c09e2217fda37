import { closeSync, openSync, readSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import Database from "better-sqlite3";
import { AppError } from "../errors.js";
import { identityAt, sameFile } from "./file-identity.js";
import { realPath } from "./real-path.js";

/** Tries before giving up when the lock file keeps being removed by runs letting it go. */
const ATTEMPTS = 5;

/** The pid a run holding the lock wrote in its header (user_version, bytes 60–63), or undefined. */
function holderPid(file: string): number | undefined {
  const header = Buffer.alloc(4);
  try {
    const fd = openSync(file, "r");
    try {
      if (readSync(fd, header, 0, 4, 60) < 4) return undefined;
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  return header.readUInt32BE(0) || undefined;
}

const isBusy = (error: unknown) =>
  /^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown }).code ?? ""));

/** Locks `file` for good, writing this pid in it; false when another connection holds it. */
function lockFile(lock: Database.Database): boolean {
  try {
    // Exclusive locking mode keeps the lock after the commit, until the connection closes. Nothing
    // may read the file before BEGIN EXCLUSIVE: in that mode a read keeps a shared lock, and two
    // runs each holding one would refuse each other.
    lock.pragma("locking_mode = EXCLUSIVE");
    lock.exec("BEGIN EXCLUSIVE");
    lock.pragma(`user_version = ${process.pid}`);
    lock.exec("COMMIT");
    return true;
  } catch (error) {
    if (isBusy(error)) return false;
    throw error;
  }
}

/**
 * Holds `FILE.lock` while a backup to FILE runs, so that a second backup to FILE (a cron job and
 * a manual run) is refused rather than sharing, removing and renaming the first one's copy. It is
 * an exclusive SQLite lock, which the system lets go when the process ends, even killed, and which
 * holds across containers sharing the folder; the holder's pid is in the file, for the message.
 * Returns the release, which removes the file (SQLite removes its `FILE.lock-journal` on closing).
 */
export function holdBackupLock(path: string): () => void {
  // By the folder's real path: two names of one folder are one FILE.
  const file = `${join(realPath(dirname(path)), basename(path))}.lock`;
  for (let attempt = 1; ; attempt++) {
    try {
      closeSync(openSync(file, "a", 0o600));
    } catch (cause) {
      throw new AppError(
        "BACKUP_LOCK",
        `cannot create ${file}: ${(cause as Error).message} (check that its folder is writable)`,
        { cause },
      );
    }
    const before = identityAt(file);
    const lock = new Database(file, { timeout: 0 });
    let locked = false;
    try {
      locked = lockFile(lock);
    } catch (cause) {
      lock.close();
      throw new AppError("BACKUP_LOCK", `cannot lock ${file}: ${(cause as Error).message}`, {
        cause,
      });
    }
    if (!locked) {
      lock.close();
      const pid = holderPid(file);
      throw new AppError(
        "BACKUP_RUNNING",
        `another backup to ${path} is running (pid ${pid ?? "unknown"}): wait for it to end, or back up to another file`,
      );
    }
    const held = identityAt(file);
    // A run letting go removes the file: one opened just before is no lock any more.
    if (sameFile(before, held))
      return () => {
        if (sameFile(identityAt(file), held)) rmSync(file, { force: true });
        lock.close();
      };
    lock.close();
    if (attempt === ATTEMPTS)
      throw new AppError(
        "BACKUP_LOCK",
        `cannot lock ${file}: it was removed ${ATTEMPTS} times while being locked; try again`,
      );
  }
}
