import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Makes the folder `dir` and those above it that are missing (mode 0700), one at a time, so that a
 * failure is the real one: Node's recursive mkdir says ENOENT on a read-only file system, and
 * never returns under /proc.
 */
export function makeFolder(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeFolder(parent);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as { code?: string }).code !== "EEXIST") throw error; // made meanwhile
  }
}
