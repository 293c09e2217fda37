import { parseStoreConfig } from "../config.js";
import { loadRulesFile } from "../load-rules.js";
import { loadMigrations, type Migration, migrate, upToDate } from "../store/migrate.js";
import { assertAlone, holdUpgradeLock, openStore } from "../store/open.js";
import { spelledOut } from "../terminal-text.js";
import type { Command } from "./command.js";

export const migrateCommand: Command = {
  name: "migrate",
  summary: "create the database or bring its schema up to date",
  help: `Usage: mcp-activity migrate

Applies pending migrations to DATABASE_PATH (default ./data/mcp-activity.db), creating the file
and its folder when missing. \`start\` does the same; run it alone to upgrade before a restart.
RULES_FILE, when set, is checked first as \`start\` checks it: a file this release refuses stops
it (exit 2) before anything is applied.`,
  options: {},
  async run(_args, { env, stdout }) {
    const config = parseStoreConfig(env);
    // A rules file this release refuses stops the upgrade as it stops `start`: before it, since
    // the release before may not run on the upgraded database.
    loadRulesFile(config.rulesFile);
    const path = config.databasePath;
    const shown = spelledOut(path);
    const opened = openStore(path, { migrate: false });
    const current = upToDate(opened);
    opened.close();
    if (current) {
      stdout.write(`${shown}: schema is up to date\n`);
      return 0;
    }
    // Never beside a running bot: it upgrades the database itself when it starts.
    let applied: Migration[];
    const lock = holdUpgradeLock(path);
    try {
      assertAlone(path);
      const db = openStore(path, { migrate: false });
      try {
        applied = migrate(db, loadMigrations(), {
          progress: (line) => stdout.write(`${line}\n`),
        });
      } finally {
        db.close();
      }
    } finally {
      lock.release();
    }
    const names = applied.map((m) => m.file).join(", ");
    stdout.write(
      applied.length === 0
        ? `${shown}: finished moving the events to the compact schema (migration 0010); schema is up to date\n`
        : `${shown}: applied ${applied.length} migration(s): ${names}\n`,
    );
    return 0;
  },
};
