import { type Stats, statSync } from "node:fs";

/** Which file a path names (device and inode), or undefined when nothing is there. */
export type FileIdentity = Pick<Stats, "dev" | "ino"> | undefined;

export function identityAt(path: string): FileIdentity {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats && { dev: stats.dev, ino: stats.ino };
}

/** Whether two identities name one file that exists: a file deleted, or renamed over, is another. */
export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
}
