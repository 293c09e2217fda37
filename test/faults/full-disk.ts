import type { Db } from "../../src/store/db.js";
import { openStore } from "../../src/store/open.js";

/**
 * An `open` for startFaultyApp that keeps the app's own connections, to set that connection's
 * limits (max_page_count: a full disk; busy_timeout). Empty `opened` after each test.
 */
export function keptConnections(): { open: (path: string) => Db; opened: Db[] } {
  const opened: Db[] = [];
  const open = (path: string): Db => {
    const db = openStore(path);
    opened.push(db);
    return db;
  };
  return { open, opened };
}

/** Makes the disk full for the app's connection: no page beyond those the file has. */
export function fillDisk(db: Db): void {
  db.pragma(`max_page_count = ${db.pragma("page_count", { simple: true })}`);
}

/** Gives the app's connection room again. */
export function freeDisk(db: Db): void {
  db.pragma("max_page_count = 1073741823");
}

/** Events whose 4 KB message needs fresh pages in the file. */
export function bulkyEvents(count: number, now: number): unknown[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `bulky-${i}`,
    attributes: {
      time: new Date(now).toISOString(),
      action: "user_logged_in",
      message: { content: `${i} ${"x".repeat(4_000)}`, format: "SIMPLE" },
    },
  }));
}
