import { join } from "node:path";
import Database from "better-sqlite3";
import { backupDatabase } from "../../src/store/backup.js";
import { tempDir } from "./tmp.js";

/**
 * A backup of the database taken now (as the nightly job does); `restore` puts it back onto the
 * database's file later (the disk lost), with SQLite's backup, as an operator's restore does.
 */
export async function backupNow(db: Database.Database): Promise<{ restore(): Promise<void> }> {
  const backup = join(tempDir(), "nightly.db");
  await backupDatabase(db, backup);
  return {
    restore: async () => {
      const copy = new Database(backup, { readonly: true });
      await copy.backup(db.name);
      copy.close();
    },
  };
}
