/**
 * An export reads its events in windows of the question's time: a rare word over months is many
 * short statements, each bounded by its window, not one reading every event of the months at
 * once; the file is the same, row for row, however the time is cut.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ActivityFilter, CsvEvent } from "../../src/domain/activity.js";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { MOST_WINDOWS } from "../../src/query/windows.js";
import { DAY } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { freshStore, T } from "./setup.js";

const SPAN = 30 * DAY;

const filter = (words: string[]): ActivityFilter => ({
  orgId: "org-1",
  since: T,
  until: T + SPAN,
  ...{ people: [], tools: [], classes: [], products: [], sites: [], actions: [], ips: [] },
  ...{ countries: [], auth: [], rules: [], statuses: [], words },
});

/** 3,000 calls over the 30 days, several at the same millisecond, one in 50 about a runbook. */
function storeCalls() {
  const s = freshStore();
  const calls: NormalizedEvent[] = Array.from({ length: 3_000 }, (_, i) => {
    const event = normalizedEvent({
      id: `ev-${i}`,
      // Out of order, and in threes at the same time: the order is (time, seq).
      time: T + Math.floor(((i * 7919) % 3_000) / 3) * Math.floor(SPAN / 1_000),
      resource: i % 50 === 0 ? `RUNBOOK-${i}` : `OPS-${i}`,
    });
    return event;
  });
  s.db.transaction(() => s.events.insertMany(calls, T + SPAN))();
  return s;
}

const ids = (chunks: Iterable<readonly CsvEvent[]>) => [...chunks].flat().map((e) => e.id);

describe("an export's reads", () => {
  it("cut a rare word's months into many windows, each yielded even when it found nothing", () => {
    const s = storeCalls();
    // Every window slow: the narrowest ones, MOST_WINDOWS of them at most.
    const chunks = [...s.activity.csvRows(filter(["runbook"]), Number.MIN_VALUE)];
    expect(chunks.length).toBeGreaterThan(MOST_WINDOWS / 2);
    expect(chunks.length).toBeLessThanOrEqual(MOST_WINDOWS + 1);
    expect(chunks.filter((c) => c.length === 0).length).toBeGreaterThan(MOST_WINDOWS / 4);
    expect(ids(chunks)).toHaveLength(60);
  });

  it("give the same rows in the same order, by time then as stored, however the time is cut", () => {
    const s = storeCalls();
    const all = s.db
      .prepare(
        `SELECT id FROM events WHERE org_id = 'org-1' AND time >= ? AND time < ? ORDER BY time, seq`,
      )
      .pluck()
      .all(T, T + SPAN);
    expect(all).toHaveLength(3_000);
    fc.assert(
      fc.property(fc.constantFrom(Number.MIN_VALUE, 0.01, 1, 1_000), (targetMs) => {
        expect(ids(s.activity.csvRows(filter([]), targetMs))).toEqual(all);
      }),
      { numRuns: 4 },
    );
    const runbooks = all.filter((id) => Number(String(id).slice(3)) % 50 === 0);
    expect(ids(s.activity.csvRows(filter(["RUNBOOK"]), Number.MIN_VALUE))).toEqual(runbooks);
  });
});
