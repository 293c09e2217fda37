/**
 * Migration 0044: an alert whose title counts calls (a burst's minutes, a spike's hour), raised
 * before, is linked to every call it counts that is still stored, not only to its findings. A
 * real SQLite file at the schema before, upgraded in place.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadMigrations, migrate } from "../../src/store/migrate.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { MINUTE } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { withLaterColumns } from "../helpers/later-columns.js";
import { tempDir } from "../helpers/tmp.js";
import { newAlert, T } from "./setup.js";

describe("migration 0044: alerts counting calls, raised before it", () => {
  it("links each to the calls of its windows, and no other", () => {
    const path = join(tempDir(), "s.db");
    const before = openStore(path, { migrate: false });
    migrate(before, loadMigrations().slice(0, 43));
    const old = withLaterColumns(before, () => repositories(before));
    const call = (i: number, userId: string) => {
      const e = normalizedEvent({ id: `e-${i}`, time: T + i * MINUTE, userId });
      return e;
    };
    // Ada: a call 30 minutes before, then one a minute for 20 minutes; Bob meanwhile.
    const calls = [
      call(-30, "acc-ada"),
      ...Array.from({ length: 20 }, (_, i) => call(i, "acc-ada")),
    ];
    old.transaction(() => old.events.insertMany([...calls, call(100, "acc-bob")], T));
    const seqOf = new Map(
      (
        before.prepare("SELECT id, seq FROM events").all() as Array<{ id: string; seq: number }>
      ).map((r) => [r.id, r.seq]),
    );
    const seq = (i: number) => seqOf.get(`e-${i}`) as number;
    // As the release before stored them: about their findings only (here, the first).
    const first = { firstEventSeq: seq(15), lastEventSeq: seq(19) };
    const span = { firstSeen: T + 15 * MINUTE, lastSeen: T + 19 * MINUTE };
    const { burst, spike, token } = withLaterColumns(before, () => {
      const burst = old.alerts.insert(
        newAlert({
          ...first,
          ...span,
          ruleId: "mcp-burst",
          groupKey: "mcp-burst|acc-ada",
          detail: { calls: 10, windowMinutes: 10, threshold: 5, figure: 10 },
        }),
      );
      const spike = old.alerts.insert(
        newAlert({
          ...first,
          ...span,
          ruleId: "mcp-volume-spike",
          groupKey: "mcp-volume-spike|acc-ada",
          detail: { calls: 20, usualHour: 2, threshold: 15 },
        }),
      );
      const token = old.alerts.insert(
        newAlert({
          ...first,
          ...span,
          ruleId: "mcp-api-token",
          groupKey: "mcp-api-token|acc-ada",
          detail: {},
        }),
      );
      return { burst, spike, token };
    });
    before.close();

    const db = openStore(path);
    closeAfterTest(() => db.close());
    const linked = (alertId: number) =>
      db
        .prepare("SELECT event_seq FROM alert_events WHERE alert_id = ? ORDER BY event_seq")
        .pluck()
        .all(alertId);
    const range = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => seq(from + i));
    // The ten minutes before its first finding (after T + 5 min) to its last.
    expect(linked(burst)).toEqual(range(6, 19));
    // The hour before its first finding: the call half an hour before too.
    expect(linked(spike)).toEqual([seq(-30), ...range(0, 19)]);
    // An API-token alert that counts no spike: its first call alone.
    expect(linked(token)).toEqual([seq(15)]);
  });
});
