import { realpathSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Where a database at `path` really is, links followed: SQLite keeps its side files, and the bot
 * its lock, beside that file. A file not made yet is named in its folder's real path; a folder
 * not there either leaves `path` as it is.
 */
export function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}

/** The database's `-wal` and `-shm`, beside the file a link points to. */
export function sideFiles(path: string): [string, string] {
  const real = realPath(path);
  return [`${real}-wal`, `${real}-shm`];
}
