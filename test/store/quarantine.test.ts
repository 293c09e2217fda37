import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open.js";
import { QUARANTINE_INSERT, QuarantineStore } from "../../src/store/quarantine.js";
import { tempDir } from "../helpers/tmp.js";

/** A broken item: its time has no zone, and a long tail that differs by `tail`. */
const item = (id: string, tail: string) => ({
  eventId: id,
  error: "attributes.time: must be an ISO 8601 date-time with a zone",
  raw: JSON.stringify({
    id,
    attributes: {
      time: "2026-11-02T10:11:12",
      action: "new_thing",
      pad: `${"x".repeat(100)}${tail}`,
    },
  }),
});

describe("the quarantine", () => {
  it("keeps each broken item once, however often it is read, and items alike but for their end apart", () => {
    const db = openStore(join(tempDir(), "q.db"));
    const store = new QuarantineStore(db);
    expect(store.add("org-1", [item("ev-1", "a"), item("ev-1", "b")], 1)).toBe(2);
    expect(store.add("org-1", [item("ev-1", "a"), item("ev-1", "b")], 2)).toBe(0);
    expect(store.add("org-2", [item("ev-1", "a")], 3)).toBe(1); // another organization's
    expect(store.countFor("org-1")).toBe(2);
  });

  it("looks an item up by an index, not by reading every item kept", () => {
    const db = openStore(join(tempDir(), "q.db"));
    const plan = db
      .prepare<Record<string, unknown>, { detail: string }>(
        `EXPLAIN QUERY PLAN ${QUARANTINE_INSERT}`,
      )
      .all({ orgId: "o", eventId: null, error: "e", raw: "r", receivedAt: 1 })
      .map((row) => row.detail);
    expect(plan).toContainEqual(expect.stringContaining("USING INDEX quarantined_events_raw"));
    expect(plan.filter((line) => line.startsWith("SCAN quarantined_events"))).toEqual([]);
  });
});
