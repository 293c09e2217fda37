/** The figures `/mcp-activity settings` shows for the week: a real SQLite file. */
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ObservedUse } from "../../src/domain/activity.js";
import {
  type AuthKind,
  type NormalizedEvent,
  TOOL_CLASSES,
  type ToolClass,
} from "../../src/domain/event.js";
import type { Db } from "../../src/store/db.js";
import { EventActionStore } from "../../src/store/event-actions.js";
import { EventStore } from "../../src/store/events.js";
import { GuidanceFigureStore } from "../../src/store/guidance-figures.js";
import { openStore } from "../../src/store/open.js";
import { RetentionStore } from "../../src/store/retention.js";
import { DAY } from "../../src/time-units.js";
import { normalizedEvent, T0 } from "../detect/fixtures.js";
import { tempDir } from "../helpers/tmp.js";

describe("the people who started using MCP in the week", () => {
  it("are those whose first call through an app they connected is in it, seen live", async () => {
    const db = openStore(join(tempDir(), "guidance.db"));
    const base = normalizedEvent();
    let n = 0;
    const call = (userId: string, time: number, over: Partial<NormalizedEvent> = {}) => ({
      ...base,
      id: `e-${++n}`,
      userId,
      actorId: userId,
      time,
      ...over,
    });
    const since = T0 - 7 * DAY;
    new EventStore(db).insertMany(
      [
        call("acc-new", T0 - DAY),
        call("acc-new", T0 - 2 * DAY),
        call("acc-old", T0 - 30 * DAY),
        call("acc-old", T0 - DAY),
        call("acc-history", T0 - 3 * DAY, { backfilled: true }),
        call("acc-token", T0 - DAY, { authKind: "api-token" }),
        // A token's call before the week does not make their first app call older.
        call("acc-app-now", T0 - 20 * DAY, { authKind: "api-token" }),
        call("acc-app-now", T0 - DAY),
        // The week starts with its first instant.
        call("acc-at-start", since),
      ],
      T0,
    );
    expect((await new GuidanceFigureStore(db).guidanceStats("org-1", since, T0)).newPeople).toBe(3);
    db.close();
  });
});

describe("the people who started using MCP in the week, by how they signed in", () => {
  const store = (authKind: AuthKind) => {
    const db = openStore(join(tempDir(), "guidance.db"));
    const base = normalizedEvent({ time: T0 - DAY, authKind });
    new EventStore(db).insertMany([base], T0);
    return db;
  };

  it("count an app's calls in an organization that never made an API-token call", async () => {
    const db = store("oauth");
    expect(db.prepare("SELECT ref FROM strings WHERE value = 'api-token'").get()).toBeUndefined();
    expect(
      (await new GuidanceFigureStore(db).guidanceStats("org-1", T0 - 7 * DAY, T0)).newPeople,
    ).toBe(1);
    db.close();
  });

  it("count a call naming no authentication as an app's, and an API token's as none", async () => {
    for (const [authKind, people] of [
      ["unknown", 1],
      ["api-token", 0],
    ] as const) {
      const db = store(authKind);
      expect(
        (await new GuidanceFigureStore(db).guidanceStats("org-1", T0 - 7 * DAY, T0)).newPeople,
      ).toBe(people);
      db.close();
    }
  });
});

describe("the week's figures", () => {
  it("are read a statement a turn of the event loop: other work runs in between", async () => {
    const db = openStore(join(tempDir(), "guidance.db"));
    const base = normalizedEvent({ time: T0 - DAY });
    new EventStore(db).insertMany([base], T0);
    let turns = 0;
    let reading = true;
    const turn = () => {
      if (!reading) return;
      turns++;
      setImmediate(turn);
    };
    setImmediate(turn);
    // The turn each statement runs on.
    const ranOn: number[] = [];
    const watched = running(db, () => ranOn.push(turns));
    const stats = await new GuidanceFigureStore(watched).guidanceStats("org-1", T0 - 7 * DAY, T0);
    reading = false;
    expect(stats.calls).toBe(1);
    // The calls, the new people, the actions, the events of the listed actions picked: four
    // statements (none of those events to read again here), each on a turn of its own.
    expect(ranOn).toHaveLength(4);
    expect(new Set(ranOn).size).toBe(4);
    db.close();
  });

  it("say no more sites written to than write calls when a poll commits while they are read", async () => {
    const db = openStore(join(tempDir(), "guidance.db"));
    const events = new EventStore(db);
    const write = (id: string, siteHost: string) => {
      const e = normalizedEvent({
        id,
        time: T0 - DAY,
        toolClass: "write",
        siteHost,
      });
      return e;
    };
    events.insertMany([write("w-1", "a.atlassian.net")], T0 - DAY);
    // A poll's commit on the turn after the first statement.
    setImmediate(() => events.insertMany([write("w-2", "b.atlassian.net")], T0 - DAY));
    const stats = await new GuidanceFigureStore(db).guidanceStats("org-1", T0 - 7 * DAY, T0);
    expect([stats.writeCalls, stats.writeSites]).toEqual([1, 1]);
    db.close();
  });
});

describe("the MCP app's authorizations in the week", () => {
  it("are the events that authorize it, by the action's name in the catalogue or its key", async () => {
    const db = openStore(join(tempDir(), "guidance.db"));
    new EventActionStore(db).replace(
      "org-1",
      [{ action: "k-17", displayName: "User authorized an app", groupName: "Connected apps" }],
      () => false,
      T0,
    );
    const act = (id: string, action: string, message: string, time = T0 - DAY) => {
      const event = normalizedEvent({
        id,
        time,
        action,
        message,
        isMcp: false,
        tool: null,
        toolClass: null,
      });
      return event;
    };
    new EventStore(db).insertMany(
      [
        act("a", "k-17", "Bob authorized Atlassian MCP"),
        act("b", "oauth_app_authorized", "Bob authorized Atlassian MCP", T0 - 2 * DAY),
        act("c", "oauth_app_authorized", "Bob authorized Zapier"),
        act("d", "oauth_app_deauthorized", "Bob deauthorized Atlassian MCP"),
        act("e", "oauth_app_authorized", "Bob authorized Atlassian MCP", T0 - 8 * DAY),
        // Another organization's.
        { ...act("f", "oauth_app_authorized", "Bob authorized Atlassian MCP"), orgId: "org-2" },
      ],
      T0,
    );
    const stats = await new GuidanceFigureStore(db).guidanceStats("org-1", T0 - 7 * DAY, T0);
    expect(stats.appAuthorizations).toBe(2);
    db.close();
  });

  for (const [after, left] of [
    ["they are picked", 11],
    ["the first few are read again", 16 + 11],
  ] as const) {
    it(`are those retention leaves when it prunes after ${after} (RETENTION_DAYS under 7)`, async () => {
      const db = openStore(join(tempDir(), "guidance.db"));
      new EventStore(db).insertMany(authorizations(41, T0 - 5 * DAY), T0 - 5 * DAY);
      // The rules have judged everything stored, as retention needs.
      db.prepare("INSERT INTO detection_state (org_id, last_seq, updated_at) VALUES (?, ?, ?)").run(
        "org-1",
        1000,
        T0,
      );
      const retention = new RetentionStore(db);
      let pruned = -1;
      // Events 0–29 pruned, and the blocks that lost some rewritten, on the next turn.
      const prune = () =>
        setImmediate(() => {
          pruned = retention.pruneEvents("org-1", T0 - 5 * DAY + 30, 1000);
          retention.trimTouched(1000);
        });
      const when = after === "they are picked" ? /WITH alerted/ : /FROM events WHERE seq IN/;
      let done = false;
      const watched = running(db, (sql) => {
        if (done || !when.test(sql)) return;
        done = true;
        prune();
      });
      const stats = await new GuidanceFigureStore(watched).guidanceStats("org-1", T0 - 7 * DAY, T0);
      expect(pruned).toBe(30);
      expect(stats.appAuthorizations).toBe(left);
      db.close();
    });
  }

  it("are each counted once, however many are read again a few a turn", async () => {
    const db = openStore(join(tempDir(), "guidance.db"));
    new EventStore(db).insertMany(authorizations(41, T0 - DAY), T0);
    const stats = await new GuidanceFigureStore(db).guidanceStats("org-1", T0 - 7 * DAY, T0);
    expect(stats.appAuthorizations).toBe(41);
    db.close();
  });
});

/** `count` authorizations of the MCP app, a millisecond apart from `from`, each built whole: its raw JSON says what it authorized. */
function authorizations(count: number, from: number) {
  return Array.from({ length: count }, (_, i) => {
    const event = normalizedEvent({
      id: `auth-${i}`,
      time: from + i,
      processedAt: from + i,
      action: "oauth_app_authorized",
      message: "Bob authorized Atlassian MCP",
      isMcp: false,
      tool: null,
      toolClass: null,
    });
    return event;
  });
}

/** The connection, telling `ran` the SQL of each statement as it runs (`get` or `all`). */
function running(db: Db, ran: (sql: string) => void): Db {
  return Object.assign(Object.create(db) as Db, {
    prepare: (sql: string) =>
      new Proxy(db.prepare(sql), {
        get(statement, property) {
          const value = Reflect.get(statement, property, statement);
          if (typeof value !== "function") return value;
          if (property !== "get" && property !== "all") return value.bind(statement);
          return (...args: unknown[]) => {
            ran(sql);
            return value.apply(statement, args);
          };
        },
      }),
  });
}

/**
 * The figures as they were first read, through the `events` view, which names every column of
 * every row: the definition the statements on event_rows must keep.
 */
function throughTheView(db: Db, org: string, since: number, until: number) {
  const window = "org_id = @org AND is_mcp = 1 AND time >= @since AND time < @until";
  const p = { org, since, until };
  const one = (sql: string) => db.prepare(sql).get(p) as Record<string, number | null>;
  const calls = one(
    `SELECT count(*) AS n, sum(auth_kind = 'api-token') AS token, sum(tool_class = 'write') AS writes,
       sum(tool_class IN ('destructive', 'admin')) AS destructive FROM events WHERE ${window}`,
  );
  return {
    calls: calls.n ?? 0,
    apiTokenCalls: calls.token ?? 0,
    writeCalls: calls.writes ?? 0,
    destructiveCalls: calls.destructive ?? 0,
    writeSites:
      one(
        `SELECT count(DISTINCT site_host) AS n FROM events WHERE ${window} AND tool_class IN ('write', 'destructive', 'admin')`,
      ).n ?? 0,
    newPeople:
      one(
        `SELECT count(*) AS n FROM (SELECT user_id FROM events WHERE org_id = @org AND is_mcp = 1
           AND time >= @since AND time < @until AND user_id IS NOT NULL AND auth_kind <> 'api-token'
           GROUP BY user_id HAVING max(backfilled) = 0) w
         WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.org_id = @org AND e.is_mcp = 1
           AND e.user_id = w.user_id AND e.time < @since AND e.auth_kind <> 'api-token')`,
      ).n ?? 0,
    countries: one(`SELECT count(DISTINCT country) AS n FROM events WHERE ${window}`).n ?? 0,
    observed: db
      .prepare(
        `SELECT site_host AS site, product, tool_class AS toolClass, tool IS NOT NULL AS toolNamed,
           auth_kind AS authKind, count(*) AS calls
         FROM events WHERE ${window}
         GROUP BY site_host, product, tool_class, toolNamed, auth_kind ORDER BY calls DESC`,
      )
      .all(p) as ObservedUse[],
  };
}

/** Rows in one order whatever the order of equal counts. */
const sorted = (rows: readonly ObservedUse[]) => rows.map((r) => JSON.stringify(r)).sort();

describe("the figures read from event_rows", () => {
  it("are those the events view gives, for any calls in and around the week", async () => {
    const pick = <T>(...values: T[]) => fc.constantFrom(...values);
    // Mostly the week's MCP calls of the organization asked about, over few values, so that
    // calls share a group and people have calls on both sides of its start (which is in the
    // week, as `until` is not).
    // Some runs store no call of an auth kind or a class of tool at all: its string is then not
    // interned, and a statement comparing ids compares with null.
    const calls = fc
      .record({
        kinds: fc.subarray<AuthKind>(["oauth", "api-token", "unknown"], { minLength: 1 }),
        classes: fc.subarray<ToolClass | null>([...TOOL_CLASSES, null], { minLength: 1 }),
      })
      .chain(({ kinds, classes }) =>
        fc.array(
          fc.record({
            user: pick("acc-a", "acc-b", "acc-c", "acc-d", "acc-e", "acc-f", null),
            day: fc.integer({ min: -8, max: 0 }),
            offset: pick(0, 1, DAY / 2),
            authKind: fc.constantFrom(...kinds),
            toolClass: fc.constantFrom(...classes),
            tool: pick("createJiraIssue", null),
            site: pick("acme.atlassian.net", "beta.atlassian.net", null),
            product: pick("jira", null),
            country: pick("Germany", "France", null),
            backfilled: pick(false, false, false, false, false, true),
            isMcp: pick(true, true, true, false),
            org: pick("org-1", "org-1", "org-1", "org-2"),
          }),
          { minLength: 10, maxLength: 60 },
        ),
      );
    await fc.assert(
      fc.asyncProperty(calls, async (calls) => {
        const db = openStore(join(tempDir(), "guidance.db"));
        try {
          const base = normalizedEvent();
          new EventStore(db).insertMany(
            calls.map((c, i) => ({
              ...base,
              id: `e-${i}`,
              orgId: c.org,
              userId: c.user,
              actorId: c.user,
              time: T0 + c.day * DAY + c.offset,
              authKind: c.authKind,
              toolClass: c.toolClass,
              tool: c.tool,
              siteHost: c.site,
              product: c.product,
              country: c.country,
              backfilled: c.backfilled,
              isMcp: c.isMcp,
            })),
            T0,
          );
          const since = T0 - 7 * DAY;
          const store = new GuidanceFigureStore(db);
          const { observed, ...figures } = throughTheView(db, "org-1", since, T0);
          const stats = await store.guidanceStats("org-1", since, T0);
          expect({
            calls: stats.calls,
            apiTokenCalls: stats.apiTokenCalls,
            writeCalls: stats.writeCalls,
            destructiveCalls: stats.destructiveCalls,
            writeSites: stats.writeSites,
            newPeople: stats.newPeople,
            countries: stats.countries,
          }).toEqual(figures);
          const read = store.observedUse("org-1", since, T0);
          expect(sorted(read)).toEqual(sorted(observed));
          // The most calls first.
          expect(read.map((r) => r.calls)).toEqual(
            [...read.map((r) => r.calls)].sort((a, b) => b - a),
          );
        } finally {
          db.close();
        }
      }),
      { numRuns: 50 },
    );
  });
});
