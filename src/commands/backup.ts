import { resolve } from "node:path";
import { parseStoreConfig } from "../config.js";
import { UsageError } from "../errors.js";
import { backupDatabase } from "../store/backup.js";
import { openStore } from "../store/open.js";
import { spelledOut } from "../terminal-text.js";
import type { Command } from "./command.js";

const MIB = 1024 * 1024;

/** Writes a progress line each time the copy passes another tenth. */
function progressLines(stderr: NodeJS.WritableStream) {
  let shown = 0;
  return (copied: number, total: number) => {
    const tenth = Math.floor((copied / total) * 10);
    if (tenth <= shown) return;
    shown = tenth;
    stderr.write(`backup: ${tenth * 10}% (${copied} of ${total} pages)\n`);
  };
}

export const backupCommand: Command = {
  name: "backup",
  summary: "copy the database to a file, safely while the bot runs",
  help: `Usage: mcp-activity backup FILE [--force] [--quick]

Copies DATABASE_PATH to FILE with SQLite's online backup: a consistent snapshot taken while the
bot goes on polling and writing. FILE is created readable by its owner only (0600), then opened
and checked with PRAGMA integrity_check, and what it holds is printed. Progress goes to stderr.
A second backup to the same FILE while one runs is refused (FILE.lock is held meanwhile).
To restore, see docs/operations.md ("Backup and restore").

Options:
  --force   replace FILE if it already exists (without it, an existing FILE is refused)
  --quick   check with PRAGMA quick_check instead: faster on large files, skips index contents`,
  options: { force: { type: "boolean" }, quick: { type: "boolean" } },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals }, { env, stdout, stderr }) {
    // "-" is stdout to most tools: here it would be a file of that name in the working folder.
    if (positionals[0] === "-")
      throw new UsageError(
        "a backup goes to a file, not to stdout: give its name, e.g. ./backups/mcp-activity.db",
      );
    const config = parseStoreConfig(env);
    const db = openStore(config.databasePath, { migrate: false, existing: true });
    try {
      const result = await backupDatabase(db, positionals[0] ?? "", {
        force: values.force === true,
        quick: values.quick === true,
        onProgress: progressLines(stderr),
      });
      stdout.write(
        `backed up ${spelledOut(resolve(config.databasePath))} to ${spelledOut(result.path)} (owner-only, 0600): ` +
          `${(result.bytes / MIB).toFixed(1)} MiB, ${result.events} events, ${result.alerts} alerts, ` +
          `schema version ${result.schemaVersion}; ${result.check}: ok\n`,
      );
      return 0;
    } finally {
      db.close();
    }
  },
};
