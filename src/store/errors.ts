import { accessSync, constants, existsSync, statfsSync, statSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { realPath, sideFiles } from "./real-path.js";

/** A SQLite failure the operator can fix, with what to do; the app resumes once it is fixed. */
export interface StoreProblem {
  /** SQLite's code, e.g. SQLITE_FULL. */
  readonly code: string;
  readonly message: string;
}

const ADVICE: ReadonlyArray<[prefix: string, what: string, todo: string]> = [
  ["SQLITE_FULL", "the database's disk is full", "free space on the disk that holds DATABASE_PATH"],
  [
    "SQLITE_BUSY",
    "the database is locked by another process",
    "stop what holds a write lock on DATABASE_PATH (a second mcp-activity on the same file, an open sqlite3 shell or backup)",
  ],
  [
    "SQLITE_READONLY",
    "the database cannot be written",
    "check that DATABASE_PATH and its folder are writable by this process",
  ],
  [
    "SQLITE_CORRUPT",
    "the database file is damaged",
    "stop the bot, then restore the last backup (docs/operations.md#backup-and-restore) or recover what the file holds with sqlite.org's `sqlite3 DATABASE_PATH .recover` (Debian's sqlite3 has no .recover)",
  ],
  [
    "SQLITE_NOTADB",
    "DATABASE_PATH is not a SQLite database, or its first page is damaged",
    "check DATABASE_PATH; if it is the bot's file, restore the last backup (docs/operations.md#backup-and-restore)",
  ],
  [
    "SQLITE_IOERR",
    "the database's disk could not be read or written",
    "check the disk that holds DATABASE_PATH, and the process's file size limit (ulimit -f)",
  ],
];

/** Whether the error is the database's (SQLite's), whatever it is: the disk, memory, a lock… */
export function fromStore(error: unknown): boolean {
  return error instanceof Database.SqliteError;
}

/** What a SQLite error means and what to do about it; undefined for any other error. */
export function storeProblem(error: unknown): StoreProblem | undefined {
  return error instanceof Database.SqliteError ? codeProblem(error.code) : undefined;
}

/** What SQLite's error code (SQLITE_FULL…) means and what to do; undefined for any other code. */
export function codeProblem(code: string): StoreProblem | undefined {
  const found = ADVICE.find(([prefix]) => code.startsWith(prefix));
  if (!found) return undefined;
  const [, what, todo] = found;
  return { code, message: `${what} (${code}): ${todo}` };
}

/** A failure as /healthz, `status` and the log tell it. */
export interface Failure {
  readonly message: string;
  /** `database` for a problem of the database the operator can fix: /healthz shows it there. */
  readonly kind?: "database";
}

/**
 * What a failed pass says: a database problem in its words with what to do (SQLite's own words,
 * "database or disk is full", say neither the code nor the fix), anything else by its message.
 */
export function failureOf(error: unknown): Failure {
  const problem = storeProblem(error);
  if (problem) return { message: problem.message, kind: "database" };
  return { message: error instanceof Error ? error.message : String(error) };
}

/** Below this much free space, a failure to open the database is put down to the full disk. */
const NEARLY_FULL_BYTES = 1 << 20;

/**
 * Why the database at `path` could not be opened, in one line with what to do. On a full disk
 * SQLite fails to make its side files with "disk I/O error" rather than SQLITE_FULL, so the free
 * space is looked at before the folder's permissions are blamed.
 */
export function openProblem(path: string, cause: unknown): string {
  const known = storeProblem(cause);
  const denied = known?.code.startsWith("SQLITE_READONLY") ? notWritable(path) : [];
  if (denied.length > 0) return notWritableProblem(path, denied);
  const ioError = known?.code.startsWith("SQLITE_IOERR") === true;
  if (known && !ioError) return `cannot open the database at ${path}: ${known.message}`;
  const refused = deniedFile(cause);
  if (refused !== undefined) return deniedProblem(path, refused);
  // A system call's own error (ENOENT, EROFS…) is told as it is, on a disk with no room too.
  const code = (cause as { code?: unknown }).code;
  const systemError = typeof code === "string" && /^E[A-Z]+$/.test(code);
  if (code === "ENOSPC" || (!systemError && freeBytes(path) < NEARLY_FULL_BYTES))
    return `cannot open the database at ${path}: the disk that holds it is full (${(cause as Error).message}): free space on the disk that holds DATABASE_PATH`;
  if (known) return `cannot open the database at ${path}: ${known.message}`;
  return `cannot open the database at ${path}: ${(cause as Error).message} (check DATABASE_PATH and the folder's permissions)`;
}

/**
 * The database's files that are there and this process cannot write, and its folder when SQLite
 * must make a side file (`-wal`, `-shm`) in it.
 */
export function notWritable(path: string): string[] {
  const sides = sideFiles(path);
  const folder = sides.every(existsSync) ? [] : [dirname(realPath(path))];
  return [path, ...sides, ...folder].filter((file) => existsSync(file) && !writable(file));
}

/**
 * Why the database cannot be written, naming the files: a side file keeps the database's mode.
 * `reads`: the command only reads, and would leave side files of that mode for the bot.
 */
export function notWritableProblem(path: string, files: readonly string[], reads = false): string {
  if (existsSync(path) && !may(path, constants.R_OK))
    return `cannot open the database at ${path}: it cannot be read by ${thisUser()}: run this as the user the bot runs as (${ownerOf(path)})`;
  const one = files.length === 1;
  const denied = `${files.join(", ")} ${one ? "is" : "are"} not writable by this process`;
  if (reads)
    return `cannot open the database at ${path}: ${denied}, and reading it would leave -wal and -shm files of its mode beside it, which would stop the bot's next start: run this as the user the bot runs as, or on a copy of the file`;
  return `cannot open the database at ${path}: ${denied}: make ${one ? "it" : "them"} writable by it (SQLite makes the -wal and -shm files with the mode the database has)`;
}

/**
 * The file a system call was refused (EACCES: the bot's lock file, made beside the database), or
 * its folder when the file is not there; undefined for any other failure.
 */
function deniedFile(cause: unknown): string | undefined {
  const { code, path } = cause as NodeJS.ErrnoException;
  if ((code !== "EACCES" && code !== "EPERM") || path === undefined) return undefined;
  return existsSync(path) ? path : dirname(path);
}

/** Why the database cannot be opened when `file` (or folder) refused this user. */
function deniedProblem(path: string, file: string): string {
  return `cannot open the database at ${path}: ${file} is not writable by ${thisUser()}: run this as the user the bot runs as (${ownerOf(file)}), or make it writable by this user`;
}

/** "this user (uid 998)", as the system knows the process. */
function thisUser(): string {
  const uid = process.getuid?.();
  return uid === undefined ? "this user" : `this user (uid ${uid})`;
}

/** Who owns `file`, to say as whom to run. */
function ownerOf(file: string): string {
  try {
    return `its owner, uid ${statSync(file).uid}`;
  } catch {
    return "its owner";
  }
}

function writable(file: string): boolean {
  return may(file, constants.W_OK);
}

function may(file: string, mode: number): boolean {
  try {
    accessSync(file, mode);
    return true;
  } catch {
    return false;
  }
}

function freeBytes(path: string): number {
  try {
    const fs = statfsSync(dirname(path));
    return fs.bavail * fs.bsize;
  } catch {
    return Number.POSITIVE_INFINITY; // the folder is not there: not a full disk
  }
}
