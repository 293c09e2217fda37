import { MINUTE } from "../time-units.js";

/** A lock (SQLITE_BUSY) is most often another process's moment: a sqlite3 shell, a backup. */
const LOCKED_FIRST_MS = 1_000;
/** A full disk, a disk error, a read-only file: freed by the operator, not in a moment. */
const OTHER_FIRST_MS = 5_000;
/** As long as any background pass the database failed waits: /healthz is 503 until one works. */
const LONGEST_MS = 5 * MINUTE;

/**
 * The wait before polling again after the `failures`-th poll in a row the database failed with
 * `code`: soon, so that polling (and /healthz) is back soon after the lock or the disk is freed,
 * doubling while it lasts, never longer than the poll interval nor 5 minutes.
 */
export function databaseRetryMs(code: string, failures: number, intervalMs: number): number {
  const first = code.startsWith("SQLITE_BUSY") ? LOCKED_FIRST_MS : OTHER_FIRST_MS;
  return Math.min(intervalMs, LONGEST_MS, first * 2 ** Math.max(0, failures - 1));
}
