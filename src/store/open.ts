import { closeSync, existsSync, openSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { AppError } from "../errors.js";
import type { Db } from "./db.js";
import { notWritable, notWritableProblem, openProblem } from "./errors.js";
import { registerFold } from "./fold.js";
import { makeFolder } from "./folder.js";
import { holdInstanceLock, type InstanceLock } from "./instance-lock.js";
import { loadMigrations, migrate, migrateUnlessStopped, upToDate } from "./migrate.js";
import { sideFiles } from "./real-path.js";

/**
 * Opens (creating it and its folder when missing, readable by its owner only) the SQLite file
 * with the settings every connection needs, then brings its schema up to date. `existing`: a
 * command that only reads what the bot stored refuses a missing file rather than create an
 * empty one at a mistyped path, and may read a file it cannot write (unless it `writes` too).
 */
export function openStore(
  path: string,
  options: {
    migrate?: boolean;
    progress?: (line: string) => void;
    existing?: boolean;
    writes?: boolean;
  } = {},
): Db {
  if (options.existing && path !== ":memory:" && !existsSync(path))
    throw new AppError(
      "DATABASE_MISSING",
      `no database at ${resolve(path)}: check DATABASE_PATH (the bot creates it at its first start)`,
    );
  let db: Db | undefined;
  try {
    if (path !== ":memory:" && !existsSync(path)) {
      makeFolder(dirname(path));
      closeSync(openSync(path, "a", 0o600));
    }
    // Refused before SQLite opens the file: opened read-only, it would make side files of that
    // mode, which would stop the bot's next start once the database is writable again. A command
    // that only reads may read a file it cannot write whose side files are there (the bot's).
    const denied = path === ":memory:" ? [] : notWritable(path);
    const reader = options.existing === true && options.writes !== true;
    if (denied.length > 0 && !(reader && !makesSideFiles(path)))
      throw new AppError("DATABASE_OPEN", notWritableProblem(path, denied, reader));
    db = new Database(path);
    // The first statement reads the file: one that is not a SQLite database fails here.
    db.pragma("journal_mode = WAL");
  } catch (cause) {
    db?.close();
    if (cause instanceof AppError) throw cause;
    const notSqlite = (cause as { code?: string }).code === "SQLITE_NOTADB";
    throw new AppError(
      "DATABASE_OPEN",
      notSqlite
        ? `${resolve(path)} is not a SQLite database: check DATABASE_PATH`
        : openProblem(path, cause),
      { cause },
    );
  }
  registerFold(db);
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  db.pragma("synchronous = NORMAL");
  // What the retention deletes is overwritten, not left readable in free pages of the file (nor
  // in the -wal: the pass empties it as it ends, see emptyLog).
  db.pragma("secure_delete = ON");
  db.pragma("cache_size = -24576"); // 24 MiB: the indexes' hot pages stay in memory during backfills (32 gave no faster ingest, more RSS)
  db.pragma("wal_autocheckpoint = 8192"); // checkpoint every ~32 MiB of WAL, not every 4 MiB
  db.pragma("journal_size_limit = 67108864"); // and keep the WAL file under 64 MiB afterwards
  if (options.migrate !== false) {
    try {
      migrate(db, loadMigrations(), { progress: options.progress ?? toStderr });
    } catch (error) {
      db.close();
      throw error;
    }
  }
  return db;
}

const toStderr = (line: string) => process.stderr.write(`${line}\n`);

/** Whether SQLite would make a side file to open the database in WAL mode (none is there). */
function makesSideFiles(path: string): boolean {
  return !sideFiles(path).every(existsSync);
}

/**
 * Opens the database for a command run beside the bot (query, tools, digest, rules, export,
 * reclassify). Up to date, it is opened as it is. Otherwise it is upgraded only under the bot's
 * lock, never while a `start` upgrades it or runs on it (the command says to wait instead), and
 * only once `beforeUpgrade` let it: a rules file this release refuses stops the upgrade there, as
 * it stops `start` and `migrate`, while the release before can still run on the database.
 */
export function openCommandStore(
  path: string,
  options: {
    existing?: boolean;
    writes?: boolean;
    progress?: (line: string) => void;
    beforeUpgrade: () => void;
  },
): Db {
  const { beforeUpgrade, ...opening } = options;
  const opened = openStore(path, { ...opening, migrate: false });
  if (upToDate(opened)) return opened;
  opened.close();
  beforeUpgrade();
  const lock = holdUpgradeLock(path);
  try {
    assertAlone(path);
    const db = openStore(path, { ...opening, migrate: false });
    try {
      migrate(db, loadMigrations(), { progress: opening.progress ?? toStderr });
    } catch (error) {
      db.close();
      throw error;
    }
    return db;
  } finally {
    lock.release();
  }
}

/**
 * Opens the database for a process that holds the bot's lock (`poll --once`), upgrading it when
 * needed as `start` does: never while another process has the file open.
 */
export function openLocked(path: string): Db {
  const opened = openStore(path, { migrate: false });
  if (upToDate(opened)) return opened;
  opened.close();
  assertAlone(path);
  return openStore(path);
}

/**
 * Refuses to upgrade a database another process has open: a bot of an earlier release takes no
 * lock file, and under a newer schema it would stop storing events. SQLite gives its exclusive
 * lock only to a connection alone on the file.
 */
export function assertAlone(path: string): void {
  if (path === ":memory:") return;
  const probe = new Database(path);
  try {
    // A file with no schema yet (being created now) is no bot's: a reader may look at it.
    const tables = probe.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number };
    if (tables.n === 0) return;
    probe.pragma("busy_timeout = 0");
    probe.pragma("locking_mode = EXCLUSIVE");
    probe.exec("BEGIN EXCLUSIVE");
    probe.exec("COMMIT");
  } catch (cause) {
    if ((cause as { code?: string }).code !== "SQLITE_BUSY") throw cause;
    throw new AppError(
      "DATABASE_IN_USE",
      `the database at ${resolve(path)} needs an upgrade, and another process has it open (a bot of an earlier release, which takes no lock file, or a command still running): stop it, then run this again`,
      { cause },
    );
  } finally {
    probe.close();
  }
}

/** The bot's lock, taken to upgrade; held by another process, a clear error saying to wait. */
export function holdUpgradeLock(path: string): InstanceLock {
  try {
    return holdInstanceLock(path);
  } catch (error) {
    if (!(error instanceof AppError && error.code === "ALREADY_RUNNING")) throw error;
    throw new AppError(
      "DATABASE_UPGRADING",
      `the database at ${resolve(path)} needs an upgrade, and another mcp-activity is using it: a start, which upgrades it as it starts (wait until its log says the schema is up to date, then run this again; or stop it, and this command upgrades it), or a migrate or other command upgrading it (wait for it to end, then run this again)`,
    );
  }
}

/**
 * Brings the database at `path` up to date as openStore does, letting the event loop run between
 * two batches of a long migration: once `signal` aborts, it stops after the batch and resolves
 * false (the next start goes on from there). True when the schema is up to date.
 */
export async function upgradeStore(path: string, signal: AbortSignal): Promise<boolean> {
  const opened = openStore(path, { migrate: false });
  const current = upToDate(opened);
  opened.close();
  if (current) return true;
  assertAlone(path);
  const db = openStore(path, { migrate: false });
  try {
    return await migrateUnlessStopped(db, signal, loadMigrations(), { progress: toStderr });
  } finally {
    db.close();
  }
}

const ping = new WeakMap<Db, { get(): unknown }>();

/** Whether the database answers a query (for health, on every request: prepared once). */
export function databaseAnswers(db: Db): boolean {
  try {
    let statement = ping.get(db);
    if (!statement) {
      statement = db.prepare("SELECT 1 AS ok");
      ping.set(db, statement);
    }
    return statement.get() !== undefined;
  } catch {
    return false;
  }
}
