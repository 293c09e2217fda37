/**
 * Migration 0037: "Not me" alerts and alerts raising again what mutes kept quiet, raised before,
 * are linked to every call they count that is still stored. A real SQLite file at the schema
 * before, upgraded in place.
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

describe("migration 0037: alerts raised by people, before it", () => {
  it("links each to every call it counts", () => {
    const path = join(tempDir(), "s.db");
    const before = openStore(path, { migrate: false });
    migrate(before, loadMigrations().slice(0, 36));
    const old = withLaterColumns(before, () => repositories(before));
    const call = (i: number, userId: string) => {
      const e = normalizedEvent({ id: `e-${i}`, time: T + i * MINUTE, userId });
      return e;
    };
    old.transaction(() =>
      old.events.insertMany(
        [call(0, "acc-ada"), call(1, "acc-ada"), call(2, "acc-bob"), call(9, "acc-ada")],
        T,
      ),
    );
    const seqs = new Map(
      (
        before.prepare("SELECT id, seq FROM events").all() as Array<{ id: string; seq: number }>
      ).map((r) => [r.id, r.seq]),
    );
    const seq = (id: string) => seqs.get(id) as number;
    // As the release before stored them: each about its first event only.
    const { notMe, olderNotMe, again } = withLaterColumns(before, () => {
      const notMe = old.alerts.insert(
        newAlert({
          ruleId: "mcp-not-me",
          groupKey: "mcp-not-me|acc-ada|d",
          firstEventSeq: seq("e-0"),
          detail: { since: T, until: T + 5 * MINUTE, calls: 2, accounts: ["acc-ada"] },
        }),
      );
      // Of a release that kept no accounts in its detail: about its person's account.
      const olderNotMe = old.alerts.insert(
        newAlert({
          ruleId: "mcp-not-me",
          groupKey: "mcp-not-me|acc-ada|older",
          userId: "acc-ada",
          firstEventSeq: seq("e-1"),
          detail: { since: T, until: T + 10 * MINUTE, calls: 3, source: "attestation" },
        }),
      );
      const quiet = old.alerts.insert(newAlert({ groupKey: "q", firstEventSeq: seq("e-2") }));
      old.alerts.grow(
        { id: quiet, orgId: "org-1" },
        {
          seq: seq("e-9"),
          time: T + 9 * MINUTE,
          late: false,
          tools: [],
          severity: "high",
          notify: false,
        },
        T,
      );
      const again = old.alerts.insert(
        newAlert({
          ruleId: "mcp-hidden-by-mute",
          groupKey: "again",
          firstEventSeq: seq("e-2"),
          detail: { hiddenAlerts: [quiet], rules: ["mcp-destructive"] },
        }),
      );
      return { notMe, olderNotMe, again };
    });
    before.close();

    const db = openStore(path);
    closeAfterTest(() => db.close());
    const linked = (alertId: number) =>
      db
        .prepare("SELECT event_seq FROM alert_events WHERE alert_id = ? ORDER BY event_seq")
        .pluck()
        .all(alertId);
    expect(linked(notMe)).toEqual([seq("e-0"), seq("e-1")]);
    expect(linked(olderNotMe)).toEqual([seq("e-0"), seq("e-1"), seq("e-9")]);
    expect(linked(again)).toEqual([seq("e-2"), seq("e-9")]);
  });
});
