import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { startCheckpointer } from "../../src/store/checkpointer.js";
import type { Db } from "../../src/store/db.js";
import { EventStore } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { STRING_REFS, UnusedStrings } from "../../src/store/unused-strings.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";

const T = Date.UTC(2026, 10, 24, 12);

/** An MCP call by `who` (account id, name and e-mail derived from it). */
function callBy(who: string, id: string): NormalizedEvent {
  const event = normalizedEvent({
    id,
    time: T,
    processedAt: T,
    userId: `acc-${who}`,
    actorId: `acc-${who}`,
    userName: `${who} Person`,
    userEmail: `${who}@example.com`,
  });
  return event;
}

const store = (db: Db, events: NormalizedEvent[]) =>
  db.transaction(() => new EventStore(db).insertMany(events, T))();
/** What the retention does to a person's rows: their event, scopes and hourly counts go. */
function prune(db: Db, id: string, who: string): void {
  db.prepare("DELETE FROM event_rows WHERE id = ?").run(id);
  const ref = "(SELECT ref FROM strings WHERE value = ?)";
  db.prepare(`DELETE FROM person_scopes WHERE user_id = ${ref}`).run(`acc-${who}`);
  db.prepare(`DELETE FROM person_hours WHERE user_id = ${ref}`).run(`acc-${who}`);
}
/** A sweep begun on `db` with every event read, one at a time, left to finish. */
function swept(db: Db): { unused: UnusedStrings; sweep: ReturnType<UnusedStrings["begin"]> } {
  const unused = new UnusedStrings(db);
  const sweep = unused.begin();
  while (unused.read(sweep, 1));
  return { unused, sweep };
}
const values = (db: Db) => db.prepare<[], string>("SELECT value FROM strings").pluck().all();
const names = (db: Db) =>
  db.prepare<[], string>("SELECT user_name FROM events ORDER BY seq").pluck().all();

describe("text no row refers to any more", () => {
  it("is looked for in every table that refers to interned text", () => {
    const db = openStore(join(tempDir(), "s.db"));
    const withOrg = db
      .prepare<[], string>(
        "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = 'org' ORDER BY m.name",
      )
      .pluck()
      .all();
    expect(withOrg).toEqual(Object.keys(STRING_REFS).sort());
    for (const [table, columns] of Object.entries(STRING_REFS)) {
      const integers = db
        .prepare<[], string>(
          `SELECT name FROM pragma_table_info('${table}') WHERE type = 'INTEGER'`,
        )
        .pluck()
        .all();
      expect(integers, table).toEqual(expect.arrayContaining([...columns]));
    }
  });

  it("is deleted after its events are; what rows still use stays", () => {
    const db = openStore(join(tempDir(), "s.db"));
    store(db, [callBy("zoe", "z-1"), callBy("ann", "a-1")]);
    prune(db, "z-1", "zoe");
    const { unused, sweep } = swept(db);
    expect(unused.finish(sweep)).toBe(3); // Zoe's account id, name and e-mail
    expect(values(db).filter((v) => v.includes("zoe"))).toEqual([]);
    expect(values(db)).toContain("ann@example.com");
    expect(names(db)).toEqual(["ann Person"]);
  });

  it("stays when an event stored while the sweep read refers to it again", () => {
    const db = openStore(join(tempDir(), "s.db"));
    store(db, [callBy("zoe", "z-1"), callBy("ann", "a-1")]);
    prune(db, "z-1", "zoe");
    const { unused, sweep } = swept(db);
    store(db, [callBy("zoe", "z-2")]); // the poller, between two turns of the sweep
    expect(unused.finish(sweep)).toBe(0);
    expect(names(db)).toEqual(["ann Person", "zoe Person"]);
  });

  it("is left for the next pass when another process wrote meanwhile", () => {
    const path = join(tempDir(), "s.db");
    const db = openStore(path);
    store(db, [callBy("zoe", "z-1"), callBy("ann", "a-1")]);
    prune(db, "z-1", "zoe");
    const { unused, sweep } = swept(db);
    const other = openStore(path); // `reclassify` could give an old row one of these refs
    other.prepare("UPDATE event_rows SET tool = tool").run();
    other.close();
    expect(unused.finish(sweep)).toBeNull();
    expect(values(db)).toContain("zoe@example.com");
    // The next pass deletes them.
    const again = unused.begin();
    while (unused.read(again, 100));
    expect(unused.finish(again)).toBe(3);
  });

  it("is still deleted while the checkpointer's thread checkpoints the same file", async () => {
    const db = openStore(join(tempDir(), "s.db"));
    const checkpoints: number[] = [];
    const checkpointer = startCheckpointer(db, {
      logger: capturedLogger().logger,
      everyMs: 5,
      onPass: (p) => checkpoints.push(p.checkpointed),
    });
    try {
      store(db, [callBy("zoe", "z-1"), callBy("ann", "a-1")]);
      prune(db, "z-1", "zoe");
      const unused = new UnusedStrings(db);
      const sweep = unused.begin();
      const passes = checkpoints.length;
      while (unused.read(sweep, 1));
      // Checkpoints between the sweep's reads: they change nothing the sweep read.
      while (checkpoints.length < passes + 2) await new Promise((r) => setTimeout(r, 5));
      expect(unused.finish(sweep)).toBe(3);
    } finally {
      await checkpointer.stop();
    }
  });

  it("is forgotten by every connection's cache: a ref given again to new text never names the old", () => {
    const path = join(tempDir(), "s.db");
    const bot = openStore(path);
    store(bot, [callBy("zoe", "z-1"), callBy("ann", "a-1")]); // the bot's cache holds Zoe's refs
    const other = openStore(path);
    prune(other, "z-1", "zoe");
    const { unused, sweep } = swept(other);
    expect(unused.finish(sweep)).toBe(3);
    store(other, [callBy("yan", "y-1")]); // new text: it may take the refs Zoe's had
    other.close();
    store(bot, [callBy("zoe", "z-2")]);
    expect(names(bot)).toEqual(["ann Person", "yan Person", "zoe Person"]);
    expect(bot.prepare("SELECT user_email FROM events WHERE id = 'z-2'").pluck().get()).toBe(
      "zoe@example.com",
    );
  });

  it("never ends up in the baselines reclassify sums while the retention deletes it", () => {
    const path = join(tempDir(), "s.db");
    const bot = openStore(path);
    store(bot, [callBy("zoe", "z-1"), callBy("ann", "a-1")]);
    const cli = openStore(path); // reclassify's connection
    const events = new EventStore(cli);
    const iterate = events.iterate.bind(events);
    let summing = true;
    // While reclassify sums the baselines (outside any transaction), the bot's daily pass runs.
    events.iterate = function* (orgId: string, chunk?: number, from?: number) {
      yield* iterate(orgId, chunk, from);
      if (!summing) return;
      summing = false;
      prune(bot, "z-1", "zoe");
      const { unused, sweep } = swept(bot);
      expect(unused.finish(sweep)).toBe(3);
    };
    events.rebuildBaselines("org-1", T);
    const dangling = bot
      .prepare(
        `SELECT count(*) FROM person_scopes
         WHERE user_id NOT IN (SELECT ref FROM strings) OR org NOT IN (SELECT ref FROM strings)`,
      )
      .pluck()
      .get();
    expect(dangling).toBe(0);
    expect(
      bot
        .prepare(
          "SELECT count(*) FROM person_scopes WHERE user_id = (SELECT ref FROM strings WHERE value = 'acc-ann')",
        )
        .pluck()
        .get(),
    ).toBeGreaterThan(0);
  });

  it("is not brought back, with its person, by reclassify rewriting an event pruned since it was read", () => {
    const db = openStore(join(tempDir(), "s.db"));
    store(db, [callBy("zoe", "z-1"), callBy("ann", "a-1")]);
    const events = new EventStore(db);
    const read = [...events.iterate("org-1")].flat().find((e) => e.id === "z-1");
    if (!read) throw new Error("z-1 not stored");
    prune(db, "z-1", "zoe");
    db.prepare("DELETE FROM people WHERE user_id = 'acc-zoe'").run();
    db.transaction(() => events.updateClassification([read]))();
    expect(db.prepare("SELECT count(*) FROM people WHERE user_id = 'acc-zoe'").pluck().get()).toBe(
      0,
    );
  });
});
