import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { ActivityStore } from "../../src/store/activity.js";
import { eventKey } from "../../src/store/event-key.js";
import { EventStore } from "../../src/store/events.js";
import { holdInstanceLock } from "../../src/store/instance-lock.js";
import { loadMigrations, MIGRATIONS_DIR, migrate } from "../../src/store/migrate.js";
import { openStore, upgradeStore } from "../../src/store/open.js";
import { mcpEvent } from "../detect/fixtures.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

function tables(db: Database.Database): string[] {
  return db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
    )
    .all()
    .map((row) => row.name);
}

/** A copy of the real migrations folder that a test may change. */
function migrationsCopy(): string {
  const dir = join(tempDir(), "migrations");
  mkdirSync(dir);
  for (const m of loadMigrations()) copyFileSync(join(MIGRATIONS_DIR, m.file), join(dir, m.file));
  return dir;
}

describe("migrations", () => {
  it("creates the file and its folder, applies every migration once, and sets the pragmas", () => {
    const path = join(tempDir(), "nested", "deeper", "store.db");
    const db = openStore(path);
    const all = loadMigrations();
    expect(
      db.prepare("SELECT version, name FROM schema_migrations ORDER BY version").all(),
    ).toEqual(all.map((m) => ({ version: m.version, name: m.name })));
    expect(tables(db)).toEqual(
      expect.arrayContaining(["event_rows", "poll_state", "quarantined_events", "event_actions"]),
    );
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(db.pragma("synchronous", { simple: true })).toBe(1);
    expect(db.pragma("busy_timeout", { simple: true })).toBe(5000);
    db.close();
  });

  it("puts org_id on every table it creates, but the Slack workspace's own", () => {
    const db = openStore(join(tempDir(), "s.db"));
    // Pauses and pacing belong to the one Slack workspace every organization posts to; interned
    // text is shared, and the compact events name their organization by its interned id (`org`).
    // The export's stop is the one receiver's, for every organization; the order alert links are
    // made in is one for all of them.
    const workspace = [
      "strings_generation",
      "classified_with",
      "schema_migrations",
      "export_stop",
      "slack_pauses",
      "slack_pace",
      "strings",
      "sqlite_sequence",
      "alert_link_clock",
    ];
    const interned = ["event_rows", "event_counts", "raw_blocks", "person_scopes", "person_hours"];
    for (const table of tables(db).filter((t) => !workspace.includes(t))) {
      const columns = db
        .prepare<[], { name: string }>(`PRAGMA table_info(${table})`)
        .all()
        .map((c) => c.name);
      expect(columns, table).toContain(interned.includes(table) ? "org" : "org_id");
    }
    db.close();
  });

  it("does nothing the second time", () => {
    const path = join(tempDir(), "s.db");
    openStore(path).close();
    const db = new Database(path);
    expect(migrate(db)).toEqual([]);
    expect(db.prepare("SELECT count(*) AS n FROM schema_migrations").get()).toEqual({
      n: loadMigrations().length,
    });
    db.close();
  });

  it("applies only the new file after an upgrade", () => {
    const dir = migrationsCopy();
    const db = new Database(join(tempDir(), "s.db"));
    migrate(db, loadMigrations(dir));
    const next = String(loadMigrations(dir).length + 1).padStart(4, "0");
    writeFileSync(join(dir, `${next}_extra.sql`), "CREATE TABLE extra (org_id TEXT NOT NULL);\n");
    expect(migrate(db, loadMigrations(dir)).map((m) => m.file)).toEqual([`${next}_extra.sql`]);
    expect(tables(db)).toContain("extra");
    db.close();
  });

  it("refuses a database whose applied migration was edited", () => {
    const dir = migrationsCopy();
    const db = new Database(join(tempDir(), "s.db"));
    migrate(db, loadMigrations(dir));
    writeFileSync(join(dir, "0001_init.sql"), "-- edited\nCREATE TABLE events (id TEXT);\n");
    expect(() => migrate(db, loadMigrations(dir))).toThrow(
      /0001_init\.sql was changed after it was applied/,
    );
    db.close();
  });

  it("refuses a database migrated by a newer release, naming the version it has", () => {
    const dir = migrationsCopy();
    const path = join(tempDir(), "s.db");
    const db = new Database(path);
    const known = loadMigrations(dir).length;
    // A release three migrations ahead.
    for (let i = 1; i <= 3; i++) {
      const next = String(known + i).padStart(4, "0");
      writeFileSync(join(dir, `${next}_future_${i}.sql`), `CREATE TABLE future_${i} (x TEXT);\n`);
    }
    migrate(db, loadMigrations(dir));
    db.close();
    expect(() => openStore(path)).toThrow(
      `the database has schema version ${known + 3} (future_3) but this mcp-activity knows only up to ${known}:`,
    );
  });

  it("rolls a failing migration back whole", () => {
    const dir = migrationsCopy();
    const db = new Database(join(tempDir(), "s.db"));
    migrate(db, loadMigrations(dir));
    const next = String(loadMigrations(dir).length + 1).padStart(4, "0");
    writeFileSync(
      join(dir, `${next}_broken.sql`),
      "CREATE TABLE half (org_id TEXT);\nSELECT nonsense FROM nowhere;\n",
    );
    expect(() => migrate(db, loadMigrations(dir))).toThrow(/no such table: nowhere/);
    expect(tables(db)).not.toContain("half");
    db.close();
  });

  it("rejects a misnamed or out-of-sequence file", () => {
    const dir = migrationsCopy();
    writeFileSync(join(dir, "9999_gap.sql"), "SELECT 1;");
    expect(() => loadMigrations(dir)).toThrow(/9999_gap\.sql is out of sequence/);
    const other = migrationsCopy();
    writeFileSync(join(other, "add-things.sql"), "SELECT 1;");
    expect(() => loadMigrations(other)).toThrow(/must be named NNNN_name\.sql/);
  });

  it("leaves out hidden files an editor or a Mac's archive puts beside the migrations", () => {
    const dir = migrationsCopy();
    const count = loadMigrations(dir).length;
    writeFileSync(join(dir, "._0025_mute_ended_early.sql"), "\u0000\u0005");
    writeFileSync(join(dir, ".#0026_mcp_client_index.sql"), "");
    expect(loadMigrations(dir)).toHaveLength(count);
  });

  it("names both files of one number, as a release copied over an older one leaves them", () => {
    const dir = migrationsCopy();
    writeFileSync(join(dir, "0025_never_quieted.sql"), "SELECT 1;");
    expect(() => loadMigrations(dir)).toThrow(
      /migrations 0025_\w+\.sql and 0025_\w+\.sql in .* have one number: a file of an earlier release was left beside this one's; install each release into an emptied folder/,
    );
  });
});

describe("migration 0007: the events' dedupe key and the people table", () => {
  it("keeps every stored event with its seq, keys it, lists its people, and still skips an id stored before", () => {
    const dir = migrationsCopy();
    const path = join(tempDir(), "s.db");
    const before = new Database(path);
    migrate(before, loadMigrations(dir).slice(0, 6));
    const add = before.prepare(
      `INSERT INTO events (seq, org_id, id, time, action, is_mcp, user_id, user_email, user_name, ingested_at, raw)
       VALUES (?, ?, ?, ?, 'rovo_mcp_tool_called', ?, ?, ?, ?, 1, ?)`,
    );
    add.run(5, "org-1", "ev-a", 1000, 1, "acc-1", "alice@example.com", "Alice", '{"id":"ev-a"}');
    add.run(9, "org-1", "ev-b", 2000, 0, "acc-2", "bob@example.com", "Bob", '{"id":"ev-b"}');
    add.run(12, "org-2", "ev-a", 3000, 1, "acc-3", null, "Carol", '{"id":"ev-a"}');
    before.close();

    const db = new Database(path);
    migrate(db, loadMigrations(dir).slice(0, 7));
    const rows = db
      .prepare("SELECT seq, org_id AS orgId, id, id_key AS key, raw FROM events ORDER BY seq")
      .all();
    expect(rows).toEqual([
      { seq: 5, orgId: "org-1", id: "ev-a", key: eventKey("org-1", "ev-a"), raw: '{"id":"ev-a"}' },
      { seq: 9, orgId: "org-1", id: "ev-b", key: eventKey("org-1", "ev-b"), raw: '{"id":"ev-b"}' },
      { seq: 12, orgId: "org-2", id: "ev-a", key: eventKey("org-2", "ev-a"), raw: '{"id":"ev-a"}' },
    ]);
    const indexes = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name",
      )
      .all()
      .map((row) => row.name);
    expect(indexes).toEqual([
      "events_action",
      "events_id_key",
      "events_mcp_tool",
      "events_mcp_user_id",
      "events_time",
    ]);
    // Only MCP events' people; a missing e-mail is stored as ''.
    expect(db.prepare("SELECT * FROM people ORDER BY org_id, user_id").all()).toEqual([
      { org_id: "org-1", user_id: "acc-1", user_email: "alice@example.com", user_name: "Alice" },
      { org_id: "org-2", user_id: "acc-3", user_email: "", user_name: "Carol" },
    ]);
    db.close();

    // And through the releases after it.
    const now = openStore(path);
    expect(new ActivityStore(now).personIds("org-1", ["ALICE@EXAMPLE.COM", "bob"])).toEqual([
      "acc-1",
    ]);
    const events = new EventStore(now);
    const again = { ...mcpEvent({ orgId: "org-1", id: "ev-b" }), raw: "{}" };
    const fresh = { ...mcpEvent({ orgId: "org-1", id: "ev-c" }), raw: "{}" };
    expect(now.transaction(() => events.insertMany([again, fresh], 2))()).toBe(1);
    expect(now.prepare("SELECT max(seq) AS seq FROM events").get()).toEqual({ seq: 13 });
    now.close();
  });
});

describe("an upgrade beside a running bot", () => {
  it("creates a new database even while a reader looks at the empty file", async () => {
    const path = join(tempDir(), "new.db");
    const reader = new Database(path);
    reader.pragma("journal_mode = WAL");
    expect(reader.prepare("SELECT count(*) AS n FROM sqlite_master").get()).toEqual({ n: 0 });
    const created = await runCli(["migrate"], { DATABASE_PATH: path });
    reader.close();
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain("applied");
  });

  it("is refused while a bot of an earlier release has the file open: it takes no lock file", async () => {
    const path = join(tempDir(), "old.db");
    const oldBot = new Database(path);
    oldBot.pragma("journal_mode = WAL");
    migrate(oldBot, loadMigrations().slice(0, -1)); // the release before this one, still running
    const applied = () =>
      (oldBot.prepare("SELECT count(*) AS n FROM schema_migrations").get() as { n: number }).n;
    const before = applied();
    const atlassian = {
      ATLASSIAN_ORG_ID: "org-1",
      ATLASSIAN_API_KEY: "key",
      ATLASSIAN_API_BASE_URL: "http://127.0.0.1:9",
    };
    for (const args of [["migrate"], ["tools"], ["query", "since:1d"], ["poll", "--once"]]) {
      const refused = await runCli(args, { DATABASE_PATH: path, ...atlassian });
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stderr).toContain("needs an upgrade, and another process has it open");
      expect(applied()).toBe(before);
    }
    await expect(upgradeStore(path, new AbortController().signal)).rejects.toThrow(
      "another process has it open",
    );
    // `rules check` reads the file as it is and says why it lists no suppressions.
    const checked = await runCli(["rules", "check"], { DATABASE_PATH: path });
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toContain("the database needs an upgrade");
    expect(applied()).toBe(before);
    oldBot.close();
    const ran = await runCli(["migrate"], { DATABASE_PATH: path });
    expect(ran.code, ran.stderr).toBe(0);
    const now = new Database(path, { readonly: true });
    expect(now.prepare("SELECT count(*) AS n FROM schema_migrations").get()).toEqual({
      n: before + 1,
    });
    now.close();
  });

  it("commands upgrade only under the bot's lock: held, they say to wait and change nothing", async () => {
    const path = join(tempDir(), "old.db");
    const old = new Database(path);
    migrate(old, loadMigrations().slice(0, -1)); // the release before this one
    old.close();
    const applied = () => {
      const db = new Database(path, { readonly: true });
      const n = db.prepare("SELECT count(*) AS n FROM schema_migrations").get() as { n: number };
      db.close();
      return n.n;
    };
    const before = applied();
    const bot = holdInstanceLock(path);
    for (const args of [["tools"], ["query", "since:1d"], ["migrate"]]) {
      const refused = await runCli(args, { DATABASE_PATH: path });
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stderr).toContain("needs an upgrade, and another mcp-activity is using it");
      expect(refused.stderr).toContain("or a migrate or other command upgrading it");
      expect(applied()).toBe(before);
    }
    bot.release();
    const ran = await runCli(["query", "since:1d"], { DATABASE_PATH: path });
    expect(ran.code, ran.stderr).toBe(0);
    expect(applied()).toBe(before + 1);
    // A release newer than this one migrated it: refused, as start and migrate refuse it.
    const newer = new Database(path);
    newer.prepare("INSERT INTO schema_migrations VALUES (999, 'later', 'x', '2027-01-01')").run();
    newer.close();
    const refused = await runCli(["query", "since:1d"], { DATABASE_PATH: path });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("this mcp-activity knows only up to");
    const undo = new Database(path);
    undo.prepare("DELETE FROM schema_migrations WHERE version = 999").run();
    undo.close();
    // Up to date, a command runs beside the bot as before.
    const again = holdInstanceLock(path);
    expect((await runCli(["tools"], { DATABASE_PATH: path })).code).toBe(0);
    again.release();
  });
});
