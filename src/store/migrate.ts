import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "better-sqlite3";
import { ReleaseMismatchError } from "../errors.js";
import { afterPoll } from "../wait.js";
import {
  checkDisk,
  checkDiskBeforeRebuild,
  type MoveOptions,
  moveEventsV9,
} from "./compact-events.js";
import { eventKey } from "./event-key.js";
import { resolveSuperseded, supersededRows } from "./superseded-migrations.js";

/** `migrations/` at the package root: two levels up from both src/store and dist/store. */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations/", import.meta.url));

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly file: string;
  readonly sql: string;
  readonly checksum: string;
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    // Hidden files are not a release's: an editor's lock (.#0025_x.sql), a Mac's ._0025_x.sql.
    .filter((file) => file.endsWith(".sql") && !file.startsWith("."))
    .map((file) => {
      const match = FILE_NAME.exec(file);
      if (!match?.[1] || !match[2]) {
        throw new ReleaseMismatchError(
          "MIGRATION_NAME",
          `migration file ${file} must be named NNNN_name.sql`,
        );
      }
      const sql = readFileSync(join(dir, file), "utf8").replace(/\r\n/g, "\n");
      const checksum = createHash("sha256").update(sql).digest("hex");
      return { version: Number(match[1]), name: match[2], file, sql, checksum };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    const twin = migrations.find((m) => m.version === migration.version && m !== migration);
    if (twin) {
      // What copying a release over an older one leaves: a file the new release no longer has.
      throw new ReleaseMismatchError(
        "MIGRATION_SEQUENCE",
        `migrations ${twin.file} and ${migration.file} in ${dir} have one number: a file of an earlier release was left beside this one's; install each release into an emptied folder (see docs/operations.md#upgrading)`,
      );
    }
    if (migration.version !== index + 1) {
      throw new ReleaseMismatchError(
        "MIGRATION_SEQUENCE",
        `migration ${migration.file} is out of sequence: expected version ${String(index + 1).padStart(4, "0")}`,
      );
    }
  });
  return migrations;
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

/**
 * Applies pending migrations in order, each in its own immediate transaction, and refuses to run
 * when an applied file was edited or when the database was migrated by a newer release. Then
 * finishes what a migration left to code, in batches that survive a kill: 0010 moves the events
 * into the compact table (see compact-events.ts), printing its progress through `options`.
 */
export function migrate(
  db: Database,
  migrations: readonly Migration[] = loadMigrations(),
  options: MoveOptions = {},
): Migration[] {
  const applied = applySql(db, migrations, options);
  for (const _ of movesLeft(db, migrations, options));
  return applied;
}

/**
 * Whether every migration is applied and nothing is left to move: opening changes nothing. A
 * database a newer release migrated, or whose applied migration was edited, is refused as
 * `migrate` refuses it.
 */
export function upToDate(
  db: Database,
  migrations: readonly Migration[] = loadMigrations(),
): boolean {
  const table = (name: string) => hasTable(db, name);
  if (!table("schema_migrations")) return migrations.length === 0;
  const rows = db
    .prepare<[], AppliedRow>(
      "SELECT version, name, checksum FROM schema_migrations ORDER BY version",
    )
    .all();
  // A migration a later commit replaced is rewritten by `migrate`: not up to date until then.
  if (supersededRows(rows).length > 0) return false;
  checkApplied(rows, migrations);
  const applied = new Set(rows.map((row) => row.version));
  return migrations.every((m) => applied.has(m.version)) && !table("events_v9");
}

const hasTable = (db: Database, name: string) =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !==
  undefined;

/** Whether migration 0010 left stored events to move: on a new database it leaves none. */
const eventsToMove = (db: Database) =>
  hasTable(db, "events_v9") && db.prepare("SELECT 1 FROM events_v9 LIMIT 1").get() !== undefined;

/**
 * `migrate`, letting the event loop run between two batches of what is left to code: once
 * `signal` aborts, it stops there (committed, a kill could have stopped it there too) and resolves
 * false; the next migration goes on from where it stopped. True when the schema is up to date.
 * A signal that came during a batch is seen before the next one starts (see afterPoll).
 */
export async function migrateUnlessStopped(
  db: Database,
  signal: AbortSignal,
  migrations: readonly Migration[] = loadMigrations(),
  options: MoveOptions = {},
): Promise<boolean> {
  const applied = applySql(db, migrations, options);
  // An upgrade at `start` says what it applied, as `migrate` does, and what comes next.
  const files = applied.map((m) => m.file).join(", ");
  if (applied.length > 0)
    options.progress?.(
      eventsToMove(db)
        ? `applied the schema of ${applied.length} migration(s): ${files}; migration 0010 now moves the stored events`
        : `applied ${applied.length} migration(s): ${files}`,
    );
  if (signal.aborted) return false;
  for (const _ of movesLeft(db, migrations, options)) {
    await afterPoll();
    if (signal.aborted) return false;
  }
  return true;
}

/** What the migrations leave to code, a step at a time (only when 0010 is among them). */
function movesLeft(db: Database, migrations: readonly Migration[], options: MoveOptions) {
  return migrations.some((m) => m.version === 10) ? moveEventsV9(db, options) : [];
}

/** The pending migrations' SQL, in one immediate transaction; those it applied. */
function applySql(db: Database, migrations: readonly Migration[], options: MoveOptions) {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  // Functions the migrations' SQL may call: 0007 keys the events stored before it.
  db.function("event_key", { deterministic: true }, (orgId, id) =>
    eventKey(String(orgId), String(id)),
  );
  const applied: Migration[] = [];
  const readApplied = db.prepare<[], AppliedRow>(
    "SELECT version, name, checksum FROM schema_migrations ORDER BY version",
  );
  const record = db.prepare(
    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
  );
  const pending = new Set(migrations.map((m) => m.version));
  for (const row of readApplied.all())
    if (supersededRows([row]).length === 0) pending.delete(row.version);
  // 0007 copies every event, 0010 rewrites them: first make sure the disk can take it.
  if (pending.has(7)) checkDiskBeforeRebuild(db, options);
  else if (pending.has(10)) checkDisk(db, "events", options);
  const applyPending = db.transaction(() => {
    resolveSuperseded(db, readApplied.all(), migrations);
    const rows = readApplied.all();
    checkApplied(rows, migrations);
    const done = new Set(rows.map((row) => row.version));
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, migration.checksum, new Date().toISOString());
      applied.push(migration);
    }
  });
  applyPending.immediate();
  return applied;
}

function checkApplied(rows: readonly AppliedRow[], migrations: readonly Migration[]): void {
  const known = migrations.at(-1)?.version ?? 0;
  const newest = rows.reduce<AppliedRow | undefined>(
    (max, row) => (max === undefined || row.version > max.version ? row : max),
    undefined,
  );
  if (newest && newest.version > known)
    throw new ReleaseMismatchError(
      "DATABASE_NEWER",
      `the database has schema version ${newest.version} (${newest.name}) but this mcp-activity knows only up to ${known}: ` +
        "run the newer release that migrated it, or restore a backup taken before the upgrade",
    );
  for (const row of rows) {
    const migration = migrations[row.version - 1];
    if (migration && migration.name !== row.name) {
      throw new ReleaseMismatchError(
        "MIGRATION_CHANGED",
        `the database's migration ${String(row.version).padStart(4, "0")} is ${row.name}, this release's is ${migration.file}: ` +
          "it was migrated by a release whose migrations differ from this one's; run that release, or restore a backup taken before it",
      );
    }
    if (migration && migration.checksum !== row.checksum) {
      throw new ReleaseMismatchError(
        "MIGRATION_CHANGED",
        `migration ${migration.file} was changed after it was applied to this database: ` +
          "another build of mcp-activity migrated it, or the file was edited; run that build, or restore a backup taken before it " +
          "(whoever develops mcp-activity: an applied migration is frozen, add a new one instead)",
      );
    }
  }
}
