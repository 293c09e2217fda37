import { parseStoreConfig } from "../config.js";
import { loadMigrations, type Migration, migrate, upToDate } from "../store/migrate.js";
import { holdUpgradeLock, openStore } from "../store/open.js";
import type { Command } from "./command.js";

export const migrateCommand: Command = {
  name: "migrate",
  summary: "create the database or bring its schema up to date",
  help: `Usage: mcp-activity migrate

Applies pending migrations to DATABASE_PATH (default ./data/mcp-activity.db), creating the file
and its folder when missing. \`start\` does the same; run it alone to upgrade before a restart.`,
  options: {},
  async run(_args, { env, stdout }) {
    const config = parseStoreConfig(env);
    const db = openStore(config.databasePath, { migrate: false });
    try {
      // Never beside a running bot: it upgrades the database itself when it starts.
      const lock = upToDate(db) ? undefined : holdUpgradeLock(config.databasePath);
      let applied: Migration[];
      try {
        applied = migrate(db, loadMigrations(), {
          progress: (line) => stdout.write(`${line}\n`),
        });
      } finally {
        lock?.release();
      }
      const names = applied.map((m) => m.file).join(", ");
      stdout.write(
        applied.length === 0
          ? `${config.databasePath}: schema is up to date\n`
          : `${config.databasePath}: applied ${applied.length} migration(s): ${names}\n`,
      );
    } finally {
      db.close();
    }
    return 0;
  },
};
