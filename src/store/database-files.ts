import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { type FileIdentity, identityAt, sameFile } from "./file-identity.js";
import type { InstanceLock } from "./instance-lock.js";
import { realPath, sideFiles } from "./real-path.js";

/** The bot's database and lock files, as they were when it opened them. */
export interface DatabaseFiles {
  /** The database file the bot opened (undefined in memory). */
  readonly opened: FileIdentity;
  /**
   * What is wrong when a file at DATABASE_PATH is no longer the one the bot has open (deleted,
   * or another renamed over it), else null. Two stats: cheap enough for every /healthz.
   */
  problem(): string | null;
  /**
   * Which file is no longer the one opened (its `-wal` and `-shm` count as the database), the
   * database's first; null: both are.
   */
  changed(): "database" | "lock" | null;
  /**
   * Once the database file has gone: removes its write-ahead log and shared-memory files where
   * they still are those it opened, so that they are never replayed into the file now at the
   * path (SQLite would read the old database's pages from them). The names removed.
   */
  dropJournal(): string[];
}

/**
 * Records the identity of the database file just opened at `path` (and of its journal files),
 * and of the lock. SQLite never notices a file unlinked under it in WAL mode: it goes on writing
 * into the open, nameless file, lost at the next start.
 */
export function databaseFiles(path: string, lock: InstanceLock): DatabaseFiles {
  if (path === ":memory:")
    return { opened: undefined, problem: () => null, changed: () => null, dropJournal: () => [] };
  // SQLite keeps them beside the file a link points to (a DATABASE_PATH linked to another disk).
  const real = realPath(path);
  const journal = sideFiles(path);
  const opened = identityAt(path);
  const journalOpened = journal.map(identityAt);
  const gone = () => !sameFile(identityAt(path), opened);
  // SQLite never removes them while a connection (the bot's) has the file open.
  const sideGone = () =>
    journal.find((name, i) => journalOpened[i] && !sameFile(identityAt(name), journalOpened[i]));
  return {
    opened,
    problem: () => {
      if (gone())
        return `the database file at ${resolve(path)} was deleted or replaced while the bot ran: what it stored since is not in it, and it stops polling and posting; restart it (restore a backup first if the file was deleted by mistake)`;
      const side = sideGone();
      if (side)
        return `${side} was deleted or replaced while the bot ran: a command run beside it would keep a log of its own and could damage the database, so it stops polling and posting; restart it`;
      return lock.problem();
    },
    changed: () => (gone() || sideGone() ? "database" : lock.problem() !== null ? "lock" : null),
    dropJournal: () => {
      // Only when the file it had open is gone from where SQLite keeps its journal: a link
      // pointed elsewhere leaves that database whole, its log still its own.
      if (!gone() || sameFile(identityAt(real), opened)) return [];
      const own = journal.filter((name, i) => sameFile(identityAt(name), journalOpened[i]));
      for (const name of own) rmSync(name, { force: true });
      return own;
    },
  };
}
