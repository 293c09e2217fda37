import Database from "better-sqlite3";

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
];

/** What a SQLite error means and what to do about it; undefined for any other error. */
export function storeProblem(error: unknown): StoreProblem | undefined {
  if (!(error instanceof Database.SqliteError)) return undefined;
  const found = ADVICE.find(([prefix]) => error.code.startsWith(prefix));
  if (!found) return undefined;
  const [, what, todo] = found;
  return {
    code: error.code,
    message: `${what} (${error.code}): ${todo}`,
  };
}
