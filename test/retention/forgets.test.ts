/**
 * After the retention prunes a person's last events, nothing in the database still names them
 * (docs/operations.md#retention: "A person none of whose MCP events is left is then forgotten
 * too"; SECURITY.md: "Events are pruned after RETENTION_DAYS").
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Pruner } from "../../src/retention/pruner.js";
import { AlertStore } from "../../src/store/alerts.js";
import type { Db } from "../../src/store/db.js";
import { EventStore } from "../../src/store/events.js";
import { repositories } from "../../src/store/repositories.js";
import { mcpEvent } from "../detect/fixtures.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { DAY, NOW, retentionDb } from "../retention/seed.js";

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

    const pruner = new Pruner({
      stores: repositories(s.db),
      clock: new VirtualClock(NOW),
      logger: capturedLogger("info").logger,
      retentionDays: 400,
    });
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
      },
      week,
    );
    expect(id).toBeDefined();
    s.db
      .prepare("UPDATE attestations SET answer = 'yes', answered_at = ? WHERE id = ?")
      .run(week, id);

    const pruner = new Pruner({
      stores,
      clock: new VirtualClock(NOW),
      logger: capturedLogger("info").logger,
      retentionDays: 400,
    });
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
    const pruner = new Pruner({
      stores: repositories(s.db),
      clock: new VirtualClock(NOW),
      logger: capturedLogger("info").logger,
      retentionDays: 400,
    });
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
