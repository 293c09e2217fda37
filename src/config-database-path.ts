import { statSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

/** Whether `path` is a folder; a path that cannot be looked at is told later, where it is opened. */
function isFolder(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    return false;
  }
}

/**
 * DATABASE_PATH: the SQLite file, not the folder it lives in (a Docker volume's mount point, the
 * service's state folder), whether that folder is there or, written with a final slash, not yet:
 * refused here, before any command makes a file in or beside it.
 */
export const databasePath = () =>
  z.string().refine((path) => !path.endsWith("/") && !isFolder(path), {
    error: (issue) =>
      `${String(issue.input)} is a folder: name the file in it, such as ${join(String(issue.input), "mcp-activity.db")}`,
  });
