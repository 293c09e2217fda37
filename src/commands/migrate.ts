import { parseStoreConfig } from "../config.js";
import { loadMigrations, migrate } from "../store/migrate.js";
import { openStore } from "../store/open.js";
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
      const applied = migrate(db, loadMigrations(), {
        progress: (line) => stdout.write(`${line}\n`),
      });
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
