import {
  chmodSync,
  closeSync,
  existsSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statfsSync,
  statSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import Database from "better-sqlite3";
import { AppError } from "../errors.js";
import { holdBackupLock } from "./backup-lock.js";
import type { Db } from "./db.js";

/** Pages copied per step (16 MiB at SQLite's default 4 KiB pages). */
const PAGES_PER_STEP = 4096;
/**
 * A write by another connection between steps restarts the copy; after this many restarts the
 * rest is copied in one step (a read transaction: in WAL mode writers still go on).
 */
const RESTARTS_BEFORE_ONE_STEP = 2;
const ALL_PAGES = 0x7fffffff;

export interface BackupOptions {
  /** Replace the destination if it exists. */
  readonly force?: boolean;
  /** `quick_check` instead of `integrity_check`. */
  readonly quick?: boolean;
  /** Called between steps of a copy that takes more than one. */
  readonly onProgress?: (copiedPages: number, totalPages: number) => void;
  /** Free bytes in a folder (tests pretend a full disk). */
  readonly freeBytes?: (folder: string) => number;
}

export interface BackupResult {
  readonly path: string;
  readonly bytes: number;
  readonly pages: number;
  readonly restarts: number;
  readonly check: "integrity_check" | "quick_check";
  readonly schemaVersion: number;
  readonly events: number;
  readonly alerts: number;
}

/** Refuses FILE in a folder that is not there, by the folder's name rather than a file's. */
function checkFolder(folder: string): void {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(folder, { throwIfNoEntry: false });
  } catch {
    stats = undefined; // ENOTDIR: a file on the way
  }
  if (!stats)
    throw new AppError(
      "BACKUP_NO_FOLDER",
      `the folder ${folder} does not exist: create it (mkdir -p ${folder}) or back up to a file in another folder`,
    );
  if (!stats.isDirectory())
    throw new AppError(
      "BACKUP_NO_FOLDER",
      `${folder} is a file, not a folder: back up to a file in a folder`,
    );
}

/** Refuses a destination that is a folder or the database itself: said before anything else. */
function checkTarget(sourcePath: string, destination: string): void {
  if (!existsSync(destination)) return;
  if (statSync(destination).isDirectory())
    throw new AppError(
      "BACKUP_IS_FOLDER",
      `${destination} is a folder: give the name of a file in it, e.g. ${join(destination, "mcp-activity-backup.db")}`,
    );
  if (realpathSync(destination) === realpathSync(sourcePath))
    throw new AppError(
      "BACKUP_SAME_FILE",
      `${destination} is the database itself: choose another file`,
    );
}

/** Refuses a destination that exists without `force`: checked once no other backup can make it. */
function checkExisting(destination: string, force: boolean): void {
  if (existsSync(destination) && !force)
    throw new AppError(
      "BACKUP_EXISTS",
      `${destination} already exists: choose another file, or add --force to replace it`,
    );
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** The size of the copy: every page of the database, those still in its WAL included. */
function copyBytes(db: Db): number {
  const pages = db.pragma("page_count", { simple: true }) as number;
  const size = db.pragma("page_size", { simple: true }) as number;
  return pages * size;
}

function freeBytesIn(folder: string): number {
  try {
    const fs = statfsSync(folder);
    return Number(fs.bavail) * Number(fs.bsize);
  } catch {
    return Number.POSITIVE_INFINITY; // what keeps the copy out is said by the file's creation
  }
}

/** Refuses a copy the destination's disk has no room for, before anything is written. */
function checkRoom(folder: string, bytes: number, freeBytes = freeBytesIn): void {
  const free = freeBytes(folder);
  if (bytes > free)
    throw new AppError(
      "BACKUP_NO_ROOM",
      `the copy needs about ${mib(bytes)} and ${folder} has ${mib(free)} free: free space there or back up to another disk`,
    );
}

/** A copy that could not be written, in words: no room (a disk, a file size limit) or the disk. */
function copyFailed(path: string, bytes: number, cause: unknown): AppError {
  const code = String((cause as { code?: unknown }).code ?? "");
  const message = (cause as Error).message;
  const written = /^(SQLITE_FULL|SQLITE_IOERR|ENOSPC|EFBIG)/.test(code);
  return new AppError(
    "BACKUP_FAILED",
    written
      ? `the backup to ${path} could not be written (${code}: ${message}): the copy needs about ${mib(bytes)}; free space in ${dirname(path)} (or raise the process's file size limit, ulimit -f) or back up to another disk`
      : `the backup to ${path} failed: ${message}`,
    { cause },
  );
}

const SIDE_FILES = ["-wal", "-shm", "-journal"];

/** Removes a copy and the side files SQLite may have left beside it. */
function removeCopy(path: string): void {
  for (const suffix of ["", ...SIDE_FILES]) rmSync(`${path}${suffix}`, { force: true });
}

/**
 * Puts the checked copy in FILE's place. The rename replaces a previous FILE at once, so it stays
 * whole until then; only its side files go first: SQLite would read its WAL or hot journal into
 * the new file under that name, and a stale `-shm` indexes that WAL.
 */
function replace(partial: string, path: string): void {
  for (const suffix of SIDE_FILES) rmSync(`${path}${suffix}`, { force: true });
  renameSync(partial, path);
}

/** Makes `path` a new, empty file readable by its owner only. */
function createEmpty(path: string): void {
  try {
    closeSync(openSync(path, "wx", 0o600));
    chmodSync(path, 0o600); // whatever the umask
  } catch (cause) {
    throw new AppError(
      "BACKUP_CREATE",
      `cannot create ${path}: ${(cause as Error).message} (check that its folder exists and is writable)`,
      { cause },
    );
  }
}

/** A step after the copy; what fails in it is said as an AppError naming FILE. */
function afterCopy<T>(path: string, step: string, run: () => T): T {
  try {
    return run();
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw new AppError(
      "BACKUP_FAILED",
      `the copy for ${path} could not be ${step}, so it was not kept: ${(cause as Error).message}`,
      { cause },
    );
  }
}

/** Opens the copy, checks it page by page and reads what it holds. */
function verify(path: string, shownAs: string, quick: boolean) {
  const copy = new Database(path, { fileMustExist: true });
  try {
    const check = quick ? "quick_check" : "integrity_check";
    const findings = copy.pragma(check, { simple: false }) as Record<string, string>[];
    const lines = findings.map((row) => Object.values(row)[0] ?? "");
    if (lines.length !== 1 || lines[0] !== "ok")
      throw new AppError(
        "BACKUP_CHECK_FAILED",
        `the copy for ${shownAs} failed ${check}: ${lines.slice(0, 3).join("; ")}, so it was not kept (the database itself may be damaged: check it with the bot stopped)`,
      );
    const count = (table: string) =>
      (copy.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const version = copy.prepare("SELECT max(version) AS v FROM schema_migrations").get() as {
      v: number | null;
    };
    return {
      check,
      schemaVersion: version.v ?? 0,
      events: count("events"),
      alerts: count("alerts"),
    } as const;
  } finally {
    copy.close();
  }
}

/**
 * Copies the open database to a new file with SQLite's online backup: a consistent snapshot while
 * other connections go on writing (in WAL mode they are never blocked). The copy is owner-only
 * and verified before this returns.
 */
export async function backupDatabase(
  db: Db,
  destination: string,
  options: BackupOptions = {},
): Promise<BackupResult> {
  const path = resolve(destination);
  checkFolder(dirname(path));
  checkTarget(db.name, path);
  const release = holdBackupLock(path);
  try {
    checkExisting(path, options.force === true);
    return await copyTo(db, path, options);
  } finally {
    release();
  }
}

/** The copy itself, made while this run alone may write FILE and `FILE.partial`. */
async function copyTo(db: Db, path: string, options: BackupOptions): Promise<BackupResult> {
  const bytes = copyBytes(db);
  checkRoom(dirname(path), bytes, options.freeBytes);
  // The copy is made under another name and takes FILE's only once checked: a backup stopped
  // halfway (a signal, a full disk) never leaves a broken file under the name of a backup.
  const partial = `${path}.partial`;
  removeCopy(partial); // left by a backup stopped before: none runs now
  createEmpty(partial);
  let restarts = 0;
  let lastRemaining = Number.POSITIVE_INFINITY;
  try {
    const { totalPages: pages } = await db
      .backup(partial, {
        progress: ({ totalPages, remainingPages }) => {
          if (remainingPages > lastRemaining) restarts++;
          lastRemaining = remainingPages;
          options.onProgress?.(totalPages - remainingPages, totalPages);
          return restarts >= RESTARTS_BEFORE_ONE_STEP ? ALL_PAGES : PAGES_PER_STEP;
        },
      })
      .catch((cause: unknown) => {
        throw copyFailed(path, bytes, cause);
      });
    // SQLite reports before each step, not after the last (nor the rest, copied in one step once
    // writes restarted it twice): a copy of several steps is said whole once done.
    if (pages > PAGES_PER_STEP) options.onProgress?.(pages, pages);
    afterCopy(path, "made owner-only", () => chmodSync(partial, 0o600));
    const checked = afterCopy(path, "opened to be checked", () =>
      verify(partial, path, options.quick === true),
    );
    afterCopy(path, `given its name (renamed from ${partial})`, () => replace(partial, path));
    return { path, bytes: statSync(path).size, pages, restarts, ...checked };
  } catch (error) {
    removeCopy(partial);
    throw error;
  }
}
