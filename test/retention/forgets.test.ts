/**
 * After the retention prunes a person's last events, nothing in the database still names them
 * (docs/operations.md#retention: "A person none of whose MCP events is left is then forgotten
 * too"; SECURITY.md: "Events are pruned after RETENTION_DAYS").
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Pruner, type PrunerOptions } from "../../src/retention/pruner.js";
import { ActivityStore } from "../../src/store/activity.js";
import { AlertStore } from "../../src/store/alerts.js";
import { startCheckpointer } from "../../src/store/checkpointer.js";
import type { Db } from "../../src/store/db.js";
import { EventStore } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { decodeBlock } from "../../src/store/raw-codec.js";
import { repositories } from "../../src/store/repositories.js";
import { anAlert, mcpEvent } from "../detect/fixtures.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { DAY, NOW, retentionDb } from "../retention/seed.js";

/** The retention pass of these stores, as the bot runs it, on NOW. */
function prunerOf(stores: PrunerOptions["stores"], retentionDays = 400): Pruner {
  return new Pruner({
    stores,
    clock: new VirtualClock(NOW),
    logger: capturedLogger("info").logger,
    retentionDays,
  });
}

/** Every table (not view) and column whose text holds `needle`. */
function tablesNaming(db: Db, needle: string): string[] {
  const tables = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .all();
  const found: string[] = [];
  for (const { name } of tables) {
    const columns = db.prepare<[], { name: string }>(`PRAGMA table_info("${name}")`).all();
    for (const column of columns) {
      const n = db
        .prepare(
          `SELECT count(*) FROM "${name}" WHERE instr(CAST("${column.name}" AS TEXT), ?) > 0`,
        )
        .pluck()
        .get(needle) as number;
      if (n > 0) found.push(`${name}.${column.name}`);
    }
  }
  return found;
}

describe("retention forgets a person whose events are all pruned", () => {
  it("leaves no name, e-mail or account id of theirs in any table", async () => {
    const s = retentionDb();
    const events = new EventStore(s.db);
    const time = NOW - 401 * DAY;
    s.db.transaction(() => {
      events.insertMany(
        [
          mcpEvent({
            orgId: "org-1",
            id: "zoe-1",
            time,
            processedAt: time,
            actorId: "acc-zoe-gone",
            actorName: "Zoe Forgotten",
            actorEmail: "zoe.forgotten@example.com",
            userId: "acc-zoe-gone",
            userName: "Zoe Forgotten",
            userEmail: "zoe.forgotten@example.com",
          }),
        ],
        time,
      );
      new AlertStore(s.db).setLastEvaluated("org-1", events.maxSeq("org-1"), NOW);
    })();
    s.addEvents(3, 1); // Alice, yesterday: the organization stays in use
    expect(tablesNaming(s.db, "zoe.forgotten@example.com").length).toBeGreaterThan(0);

    const pruner = prunerOf(repositories(s.db));
    const result = await pruner.pruneOnce();
    expect(result.events).toBe(1);
    expect(
      s.db.prepare("SELECT count(*) FROM people WHERE user_id = 'acc-zoe-gone'").pluck().get(),
    ).toBe(0);

    // Nothing about Zoe is left to read.
    expect(tablesNaming(s.db, "zoe.forgotten@example.com")).toEqual([]);
    expect(tablesNaming(s.db, "Zoe Forgotten")).toEqual([]);
    expect(tablesNaming(s.db, "acc-zoe-gone")).toEqual([]);
  });

  it("leaves nothing of theirs in the compressed raw JSON of an alerted event's page", async () => {
    const s = retentionDb();
    const events = new EventStore(s.db);
    const time = NOW - 401 * DAY;
    const zoe = {
      actorId: "acc-zoe-gone",
      actorName: "Zoe Forgotten",
      actorEmail: "zoe.forgotten@example.com",
      userId: "acc-zoe-gone",
      userName: "Zoe Forgotten",
      userEmail: "zoe.forgotten@example.com",
    };
    // One poll page: Zoe's call and Alice's, stored together.
    s.db.transaction(() => {
      events.insertMany(
        [
          mcpEvent({ orgId: "org-1", id: "zoe-1", time, processedAt: time, ...zoe }),
          mcpEvent({ orgId: "org-1", id: "alice-1", time, processedAt: time }),
        ],
        time,
      );
      new AlertStore(s.db).setLastEvaluated("org-1", events.maxSeq("org-1"), NOW);
    })();
    const alice = s.db
      .prepare("SELECT seq FROM events WHERE id = 'alice-1'")
      .pluck()
      .get() as number;
    s.alertOn([alice]); // Alice's call raised an alert: kept whatever its age
    s.addEvents(3, 1);

    const pruner = prunerOf(repositories(s.db));
    expect((await pruner.pruneOnce()).events).toBe(1); // Zoe's call went
    expect(s.db.prepare("SELECT count(*) FROM events WHERE id = 'zoe-1'").pluck().get()).toBe(0);

    const raws = s.db
      .prepare<[], Buffer>("SELECT data FROM raw_blocks")
      .pluck()
      .all()
      .flatMap((data) => decodeBlock(data));
    expect(raws.filter((raw) => raw.includes("zoe.forgotten@example.com"))).toEqual([]);
    expect(events.bySeq(alice)?.raw).toContain('"alice-1"'); // the event kept reads as before
  });

  it.each([
    ["401 days ago", NOW - 401 * DAY],
    ["before 1970 (a broken log's)", Date.UTC(1969, 11, 31, 12)],
  ])(
    "trims, at its first pass, a block that lost events before (an earlier release): events of %s",
    async (_when, time) => {
      const s = retentionDb();
      const events = new EventStore(s.db);
      s.db.transaction(() => {
        events.insertMany(
          [
            mcpEvent({
              orgId: "org-1",
              id: "zoe-1",
              time,
              processedAt: time,
              actorEmail: "zoe@example.com",
              userEmail: "zoe@example.com",
            }),
            mcpEvent({ orgId: "org-1", id: "alice-1", time, processedAt: time }),
          ],
          time,
        );
        new AlertStore(s.db).setLastEvaluated("org-1", events.maxSeq("org-1"), NOW);
      })();
      const alice = s.db
        .prepare("SELECT seq FROM events WHERE id = 'alice-1'")
        .pluck()
        .get() as number;
      s.alertOn([alice]);
      // Pruned as an earlier release did: the row alone.
      s.db.prepare("DELETE FROM event_rows WHERE id = 'zoe-1'").run();
      const pruner = prunerOf(repositories(s.db));
      await pruner.pruneOnce();
      const raws = s.db
        .prepare<[], Buffer>("SELECT data FROM raw_blocks")
        .pluck()
        .all()
        .flatMap((data) => decodeBlock(data));
      expect(raws.filter((raw) => raw.includes("zoe@example.com"))).toEqual([]);
      expect(events.bySeq(alice)?.raw).toContain('"alice-1"');
    },
  );
});

describe("retention and an account's former e-mail and name", () => {
  /** A store where `call` stores acc-robin's calls under a name (and its e-mail), days ago. */
  function robin() {
    const s = retentionDb();
    const events = new EventStore(s.db);
    const call = (daysAgo: number, name: string, count = 1) => {
      const time = NOW - daysAgo * DAY;
      const email = `${name.toLowerCase().replace(" ", ".")}@example.com`;
      const who = { actorId: "acc-robin", userId: "acc-robin", actorName: name, userName: name };
      s.db.transaction(() => {
        events.insertMany(
          Array.from({ length: count }, (_, i) =>
            mcpEvent({
              ...who,
              orgId: "org-1",
              id: `${name}-${i}`,
              time,
              processedAt: time,
              actorEmail: email,
              userEmail: email,
            }),
          ),
          time,
        );
        new AlertStore(s.db).setLastEvaluated("org-1", events.maxSeq("org-1"), NOW);
      })();
      return events.maxSeq("org-1");
    };
    const names = () =>
      s.db
        .prepare("SELECT user_name FROM people WHERE user_id = 'acc-robin' ORDER BY user_name")
        .pluck()
        .all();
    return { s, call, names };
  }

  it("forgets those it had only in calls that were all pruned: `user:` no longer finds it by them", async () => {
    const { s, call, names } = robin();
    call(500, "Robin Oldname");
    call(1, "Robin Newname");
    expect(names()).toEqual(["Robin Newname", "Robin Oldname"]);

    expect((await prunerOf(repositories(s.db)).pruneOnce()).events).toBe(1);
    expect(names()).toEqual(["Robin Newname"]);
    const activity = new ActivityStore(s.db);
    expect(activity.personIds("org-1", ["robin.oldname@example.com"])).toEqual([]);
    expect(activity.personIds("org-1", ["Robin Oldname"])).toEqual([]);
    expect(activity.personIds("org-1", ["robin.newname@example.com"])).toEqual(["acc-robin"]);
    expect(tablesNaming(s.db, "robin.oldname@example.com")).toEqual([]);
  });

  it("keeps those of calls kept, also past the first read of its calls (200)", async () => {
    const { s, call, names } = robin();
    call(500, "Robin Oldname");
    call(300, "Robin Middle", 200);
    call(200, "Robin Later");
    call(1, "Robin Newname");

    expect((await prunerOf(repositories(s.db)).pruneOnce()).events).toBe(1);
    expect(names()).toEqual(["Robin Later", "Robin Middle", "Robin Newname"]);
  });

  it("keeps those an alert shows", async () => {
    const { s, call, names } = robin();
    call(500, "Robin Oldname");
    const recent = call(1, "Robin Newname");
    // An alert about the recent call that names the account as it was (read late, say).
    new AlertStore(s.db).insert(
      anAlert({
        userId: "acc-robin",
        userName: "Robin Oldname",
        userEmail: "robin.oldname@example.com",
        firstEventSeq: recent,
        lastEventSeq: recent,
      }),
    );

    expect((await prunerOf(repositories(s.db)).pruneOnce()).events).toBe(1);
    expect(names()).toEqual(["Robin Newname", "Robin Oldname"]);
    expect(new ActivityStore(s.db).personIds("org-1", ["Robin Oldname"])).toEqual(["acc-robin"]);
  });
});

describe("retention and the weekly check's records", () => {
  it("prunes a weekly check answered 'looks right' 401 days ago with the events it counted", async () => {
    const s = retentionDb();
    const stores = repositories(s.db);
    const seqs = s.addEvents(2, 401); // Alice's calls that week
    const week = NOW - 401 * DAY;
    const id = stores.attestations.add(
      {
        orgId: "org-1",
        weekStart: week - 7 * DAY,
        weekEnd: week,
        accountId: "acc-alice",
        slackUser: "U0ALICE",
        name: "Alice Example",
        email: "alice@example.com",
        calls: seqs.length,
        writes: 0,
        deletes: 0,
        places: ["acme.atlassian.net/OPS"],
        storedThrough: null,
      },
      week,
    );
    expect(id).toBeDefined();
    s.db
      .prepare("UPDATE attestations SET answer = 'yes', answered_at = ? WHERE id = ?")
      .run(week, id);

    const pruner = prunerOf(stores);
    // Bob answered "not me": his check stays with the alert it raised, kept whatever its age.
    const bob = stores.attestations.add(
      {
        orgId: "org-1",
        weekStart: week - 7 * DAY,
        weekEnd: week,
        accountId: "acc-bob",
        slackUser: "U0BOB",
        name: "Bob Example",
        email: "bob@example.com",
        calls: 1,
        writes: 1,
        deletes: 0,
        places: [],
        storedThrough: null,
      },
      week,
    );
    if (bob === undefined) throw new Error("Bob's check was not added");
    stores.attestations.raised(bob, 42);
    expect((await pruner.pruneOnce()).events).toBe(2);
    expect(s.count("events")).toBe(0);
    // The events are gone, and with them the record of what Alice's AI tools did that week.
    expect(tablesNaming(s.db, "alice@example.com")).toEqual([]);
    expect(stores.attestations.get(bob)?.email).toBe("bob@example.com");
  });
});

describe("retention and the bytes of the database file", () => {
  it("leaves no pruned page title or IP address readable in the file", async () => {
    const s = retentionDb();
    const events = new EventStore(s.db);
    const time = NOW - 401 * DAY;
    const title = "Salary review of Zoe Forgotten 2025";
    const ip = "198.51.100.77";
    s.db.transaction(() => {
      events.insertMany(
        Array.from({ length: 50 }, (_, i) =>
          mcpEvent({
            orgId: "org-1",
            id: `old-${i}`,
            time,
            processedAt: time,
            resource: title,
            ip,
          }),
        ),
        time,
      );
      new AlertStore(s.db).setLastEvaluated("org-1", events.maxSeq("org-1"), NOW);
    })();
    s.addEvents(3, 1);
    const pruner = prunerOf(repositories(s.db));
    expect((await pruner.pruneOnce()).events).toBe(50);
    expect(tablesNaming(s.db, title)).toEqual([]); // no row says it
    const file = s.db.name;
    s.db.pragma("wal_checkpoint(TRUNCATE)");
    s.db.close();
    const bytes = readFileSync(file).toString("latin1");
    expect(bytes.includes(title)).toBe(false);
    expect(bytes.includes(ip)).toBe(false);
  });
});

describe("retention and the database's write-ahead log (-wal)", () => {
  /** 600 calls of 401 days ago, one of them from `ip`, evaluated; and three of yesterday. */
  function oldCalls(ip: string) {
    const s = retentionDb();
    const events = new EventStore(s.db);
    const old = NOW - 401 * DAY;
    s.db.transaction(() => {
      events.insertMany(
        Array.from({ length: 600 }, (_, i) =>
          mcpEvent({
            orgId: "org-1",
            id: `old-${i}`,
            time: old + i * 1000,
            processedAt: old + i * 1000,
            ip: i === 210 ? ip : "203.0.113.10",
          }),
        ),
        old,
      );
      new AlertStore(s.db).setLastEvaluated("org-1", events.maxSeq("org-1"), NOW);
    })();
    // A year of the bot's life later: the log holds nothing of that day any more.
    s.db.pragma("wal_checkpoint(TRUNCATE)");
    s.addEvents(3, 1);
    const wal = () => readFileSync(`${s.db.name}-wal`);
    expect(wal().includes(ip)).toBe(false);
    return { s, wal };
  }

  it("holds none of what the pass deleted once it ends, though each batch was its own transaction", async () => {
    const ip = "198.51.100.77";
    const { s, wal } = oldCalls(ip);
    expect((await prunerOf(repositories(s.db)).pruneOnce()).events).toBe(600);
    s.db.pragma("wal_checkpoint(PASSIVE)"); // the checkpointer's pass
    expect(readFileSync(s.db.name).includes(ip), "in the database file").toBe(false);
    expect(wal().includes(ip), "in the -wal file").toBe(false);
  });

  it("is emptied through the checkpointer when the bot runs one", async () => {
    const ip = "198.51.100.79";
    const { s, wal } = oldCalls(ip);
    const checkpointer = startCheckpointer(s.db, { logger: capturedLogger().logger });
    try {
      const stores = {
        ...repositories(s.db),
        emptyLog: (): boolean => {
          throw new Error("emptied on the bot's connection");
        },
      };
      const pass = new Pruner({
        stores,
        clock: new VirtualClock(NOW),
        logger: capturedLogger("info").logger,
        retentionDays: 400,
        emptyLog: () => checkpointer.emptyLog(),
      });
      const result = await pass.pruneOnce();
      expect(result).toMatchObject({ events: 600, logEmptied: true });
      expect(wal().length).toBe(0);
      expect(readFileSync(s.db.name).includes(ip), "in the database file").toBe(false);
    } finally {
      await checkpointer.stop();
    }
  });

  it("is emptied once another process reading the database lets it, later in the pass or at the next", async () => {
    const ip = "198.51.100.78";
    const { s, wal } = oldCalls(ip);
    // Another process (a `query`) reads the database as it was before the pass.
    const other = openStore(s.db.name);
    other.prepare("BEGIN").run();
    other.prepare("SELECT count(*) FROM event_rows").get();
    let reading = true;
    const done = () => {
      if (reading) other.prepare("COMMIT").run();
      reading = false;
    };
    /** Its read ends while the pass waits to try again. */
    class ReadEnds extends VirtualClock {
      override async sleep(ms: number, signal?: AbortSignal): Promise<void> {
        done();
        return super.sleep(ms, signal);
      }
    }
    const stores = repositories(s.db);
    const clock = new ReadEnds(NOW);
    const pass = new Pruner({
      stores,
      clock,
      logger: capturedLogger("info").logger,
      retentionDays: 400,
    });
    expect((await pass.pruneOnce()).events).toBe(600);
    expect(clock.sleeps.length).toBeGreaterThan(0); // it could not at first
    expect(wal().includes(ip), "in the -wal file").toBe(false);

    // A reader all along: the pass gives up, says so, and the next pass empties it.
    const again = oldCalls(ip);
    const reader = openStore(again.s.db.name);
    reader.prepare("BEGIN").run();
    reader.prepare("SELECT count(*) FROM event_rows").get();
    const logs = capturedLogger("info");
    const pruner = new Pruner({
      stores: repositories(again.s.db),
      clock: new VirtualClock(NOW),
      logger: logs.logger,
      retentionDays: 400,
    });
    expect((await pruner.pruneOnce()).events).toBe(600);
    expect(again.wal().includes(ip)).toBe(true);
    expect(logs.text()).toContain("the write-ahead log");
    reader.prepare("COMMIT").run();
    reader.close();
    other.close();
    expect((await pruner.pruneOnce()).events).toBe(0);
    expect(again.wal().includes(ip), "in the -wal file").toBe(false);
  });
});

describe("retention's look for unused text beside another process", () => {
  it("gives way when another process wrote meanwhile, and the next pass looks again though it prunes nothing", async () => {
    const s = retentionDb();
    const events = new EventStore(s.db);
    const time = NOW - 401 * DAY;
    s.db.transaction(() => {
      events.insertMany(
        [
          mcpEvent({
            orgId: "org-1",
            id: "zoe-1",
            time,
            processedAt: time,
            userId: "acc-zoe-gone",
          }),
        ],
        time,
      );
      new AlertStore(s.db).setLastEvaluated("org-1", events.maxSeq("org-1"), NOW);
    })();
    s.addEvents(3, 1);
    const stores = repositories(s.db);
    const real = stores.unusedStrings;
    let interleave = true;
    // Another process (a `reclassify`) commits between the sweep's reads and its delete, once.
    const unusedStrings = Object.assign(Object.create(real) as typeof real, {
      finish: (sweep: Parameters<typeof real.finish>[0]) => {
        if (interleave) {
          interleave = false;
          const other = openStore(s.db.name);
          other.prepare("UPDATE event_rows SET tool = tool").run();
          other.close();
        }
        return real.finish(sweep);
      },
    });
    const pruner = prunerOf({ ...stores, unusedStrings });
    const first = await pruner.pruneOnce();
    expect([first.events, first.forgotten]).toEqual([1, null]);
    expect(tablesNaming(s.db, "acc-zoe-gone")).not.toEqual([]);
    const second = await pruner.pruneOnce();
    expect(second.events).toBe(0);
    expect(second.forgotten).toBeGreaterThan(0);
    expect(tablesNaming(s.db, "acc-zoe-gone")).toEqual([]);
  });
});

describe("weekly checks not answered yet, with a retention of days", () => {
  it("keep their buttons working 30 days after their week", async () => {
    const s = retentionDb();
    const stores = repositories(s.db);
    const check = (account: string, daysAgo: number) =>
      stores.attestations.add(
        {
          orgId: "org-1",
          weekStart: NOW - (daysAgo + 7) * DAY,
          weekEnd: NOW - daysAgo * DAY,
          accountId: account,
          slackUser: `U-${account}`,
          name: account,
          email: `${account}@example.com`,
          calls: 1,
          writes: 0,
          deletes: 0,
          places: [],
          storedThrough: null,
        },
        NOW - daysAgo * DAY,
      );
    const waiting = check("waiting", 5);
    const answered = check("answered", 5);
    const old = check("old", 31);
    if (answered === undefined) throw new Error("not added");
    stores.attestations.answer(answered, "yes", NOW - 4 * DAY);
    s.addEvents(1, 1);
    await prunerOf(stores, 3).pruneOnce();
    expect(
      [waiting, answered, old].map(
        (id) => id !== undefined && stores.attestations.get(id) !== undefined,
      ),
    ).toEqual([true, false, false]);
  });
});
