import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDigest, digestText } from "../../src/digest/build.js";
import { bucketWidth, comparedSince } from "../../src/digest/periods.js";
import { AlertStore } from "../../src/store/alerts.js";
import { DigestFigureStore } from "../../src/store/digest-figures.js";
import { EventStore } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { DAY, HOUR, MINUTE } from "../../src/time-units.js";
import { normalizedEvent, T0 } from "../detect/fixtures.js";
import { tempDir } from "../helpers/tmp.js";
import { newAlert } from "./setup.js";

function storeWith(since: number, calls: Array<[number, string, "read" | "write"]>) {
  const db = openStore(join(tempDir(), "digest.db"));
  const base = normalizedEvent();
  new EventStore(db).insertMany(
    calls.map(([minutes, id, toolClass]) => ({
      ...base,
      id,
      time: since + minutes * MINUTE,
      toolClass,
    })),
    T0,
  );
  return db;
}

function read(db: ReturnType<typeof openStore>, since: number, until: number) {
  const figures = new DigestFigureStore(db).read("org-1", since, until, () => "", {
    bucketMs: bucketWidth(since, until),
    previousSince: comparedSince(since, until),
  });
  db.close();
  return figures;
}

describe("digest figures by bucket", () => {
  it("puts each call in its hour, whatever minute the period starts at", () => {
    const since = T0 + 17 * MINUTE + 123; // not on an hour, as an on-demand digest is
    const db = storeWith(since, [
      [1, "a", "read"],
      [59, "b", "read"],
      [61, "c", "write"],
      [23 * 60 + 30, "d", "read"],
    ]);
    const { buckets, bucketMs } = read(db, since, since + 24 * 60 * MINUTE);
    expect(bucketMs).toBe(HOUR);
    expect(buckets).toHaveLength(24);
    expect(buckets[0]).toMatchObject({ start: since, read: 2, write: 0 });
    expect(buckets[1]).toMatchObject({ read: 0, write: 1 });
    expect(buckets[23]).toMatchObject({ read: 1 });
    expect(buckets.reduce((n, h) => n + h.read + h.write + h.search + h.destructive, 0)).toBe(4);
  });

  it("a weekend's 72 hours in 24 bars of 3 hours, compared with the weekend before", () => {
    const since = T0;
    const db = storeWith(since - 7 * DAY, [
      [7 * 24 * 60 + 10, "a", "read"], // this weekend, first bucket
      [7 * 24 * 60 + 179, "b", "write"], // still the first 3 hours
      [7 * 24 * 60 + 71 * 60, "c", "read"], // the last bucket
      [30, "last-weekend", "read"], // a week before: the span compared with
      [4 * 24 * 60, "weekdays", "read"], // between: neither
    ]);
    const figures = read(db, since, since + 3 * DAY);
    expect(figures.bucketMs).toBe(3 * HOUR);
    expect(figures.buckets).toHaveLength(24);
    expect(figures.buckets[0]).toMatchObject({ start: since, read: 1, write: 1 });
    expect(figures.buckets[23]).toMatchObject({ start: since + 69 * HOUR, read: 1 });
    expect(figures.current.calls).toBe(3);
    expect(figures.previousSince).toBe(since - 7 * DAY);
    expect(figures.previous.calls).toBe(1);
  });
});

describe("digest figures: alerts by rule", () => {
  it("counts apart the open alerts posted and those never posted (digest only)", () => {
    const db = storeWith(T0, []);
    const alerts = new AlertStore(db);
    const at = T0 + HOUR;
    alerts.insert(newAlert({ ruleId: "mcp-write", createdAt: at }));
    alerts.insert(newAlert({ ruleId: "mcp-write", createdAt: at, notify: false }));
    alerts.insert(newAlert({ ruleId: "mcp-write", createdAt: at, notify: false }));
    alerts.insert(
      newAlert({ ruleId: "mcp-write", createdAt: at, notify: false, suppressedBy: "pilot" }),
    );
    expect(read(db, T0, T0 + DAY).alerts).toEqual([
      { ruleId: "mcp-write", raised: 4, open: 1, digestOnly: 2, quieted: 1 },
    ]);
  });
});

describe("digest figures: long lists", () => {
  it("counts every first-timer, still-open alert and API-token account, though it names only some", () => {
    const db = openStore(join(tempDir(), "digest.db"));
    const base = normalizedEvent();
    const person = (i: number, over: Partial<typeof base> = {}) => ({
      ...base,
      id: `ev-${i}`,
      time: T0 + i * MINUTE,
      userId: `acc-${i}`,
      userName: `Person ${i}`,
      userEmail: `p${i}@example.com`,
      ...over,
    });
    new EventStore(db).insertMany(
      [
        ...Array.from({ length: 200 }, (_, i) => person(i)),
        ...Array.from({ length: 30 }, (_, i) =>
          person(500 + i, { authKind: "api-token", userName: `svc-${i}` }),
        ),
      ],
      T0,
    );
    const alerts = new AlertStore(db);
    for (let i = 0; i < 40; i++)
      alerts.insert(newAlert({ createdAt: T0 + HOUR, title: `alert ${i}`, groupKey: `g${i}` }));
    const figures = read(db, T0, T0 + DAY);
    expect(figures.firstTimers).toHaveLength(50);
    expect(figures.firstTimerCount).toBe(230);
    expect(figures.openAlerts).toHaveLength(10);
    expect(figures.openAlertCount).toBe(40);
    expect(figures.apiToken.accounts).toHaveLength(30);
    const text = digestText(
      buildDigest(
        {
          ...figures,
          health: { lagSeconds: 0, quarantined: 0, keyRejected: false, lastError: null },
        },
        { kind: "daily", late: false },
      ),
    );
    expect(text).toContain("…and 215 more"); // 15 first-timers named
    expect(text).toContain("…and 30 more"); // 10 open alerts listed
    expect(text).toMatch(/30 calls by (svc-\d+, ){9}svc-\d+ and 20 more\n/);
  });
});
