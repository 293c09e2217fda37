/**
 * An alert raised by a person ("Not me") or by ending mutes (alerts kept quiet, raised again) is
 * about every call it counts: each linked, so that retention keeps them and `rule:` finds them.
 * A real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { MINUTE } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { freshStore, newAlert, T } from "./setup.js";

/** The seqs an alert is about. */
function linked(s: ReturnType<typeof freshStore>, alertId: number): number[] {
  return s.db
    .prepare("SELECT event_seq FROM alert_events WHERE alert_id = ? ORDER BY event_seq")
    .pluck()
    .all(alertId) as number[];
}

function store() {
  const s = freshStore();
  const at = (i: number, userId: string, over = {}) => {
    const e = normalizedEvent({
      id: `e-${i}`,
      time: T + i * MINUTE,
      userId,
      ...over,
    });
    return e;
  };
  s.transaction(() =>
    s.events.insertMany(
      [
        at(0, "acc-ada"),
        at(1, "acc-ada"),
        at(2, "acc-bob"),
        at(3, "acc-ada", { isMcp: false, tool: null }),
        at(4, "acc-ada"),
        at(9, "acc-ada"),
      ],
      T,
    ),
  );
  const seq = (id: string) =>
    s.db.prepare("SELECT seq FROM events WHERE id = ?").pluck().get(id) as number;
  return { s, seq };
}

describe("an alert about a period's calls", () => {
  it("is linked to every MCP call of its accounts in the period, and no other", () => {
    const { s, seq } = store();
    const id = s.alerts.insert(newAlert({ firstEventSeq: seq("e-0") }), {
      calls: { since: T, until: T + 5 * MINUTE, accounts: ["acc-ada"] },
    });
    expect(linked(s, id)).toEqual([seq("e-0"), seq("e-1"), seq("e-4")]);
  });

  it("leaves out the calls earlier ones hold: an open one's of its accounts in its period, a handled one's it counted", () => {
    const { s, seq } = store();
    const ada = (since: number, until: number, first: string) =>
      s.alerts.insert(newAlert({ groupKey: first, firstEventSeq: seq(first) }), {
        calls: { since, until, accounts: ["acc-ada"] },
      });
    const open = ada(T, T + MINUTE, "e-0");
    // Handled, it counted e-4 only: e-9 was stored after it, in its period.
    const handled = ada(T + 2 * MINUTE, T + 5 * MINUTE, "e-4");
    const id = s.alerts.insert(newAlert({ firstEventSeq: seq("e-2") }), {
      calls: {
        since: T,
        until: T + 10 * MINUTE,
        accounts: ["acc-ada", "acc-bob"],
        held: [
          // Open: Ada's calls of its period, those it did not count too (e-1).
          {
            id: open,
            open: true,
            since: T,
            until: T + 2 * MINUTE,
            accounts: ["acc-ada"],
            countedUpTo: null,
          },
          {
            id: handled,
            open: false,
            since: T + 2 * MINUTE,
            until: T + 10 * MINUTE,
            accounts: ["acc-ada"],
            countedUpTo: null,
          },
        ],
      },
    });
    expect(linked(s, open)).toEqual([seq("e-0")]);
    expect(linked(s, id)).toEqual([seq("e-2"), seq("e-9")]);
  });
});

describe("an alert raising again alerts kept quiet", () => {
  it("is linked to every event of each of them", () => {
    const { s, seq } = store();
    const quiet1 = s.alerts.insert(newAlert({ firstEventSeq: seq("e-0") }));
    s.alerts.grow(
      { id: quiet1, orgId: "org-1" },
      {
        seq: seq("e-1"),
        time: T + MINUTE,
        late: false,
        tools: [],
        severity: "high",
        notify: false,
      },
      T,
    );
    const quiet2 = s.alerts.insert(newAlert({ groupKey: "g2", firstEventSeq: seq("e-9") }));
    const other = s.alerts.insert(newAlert({ groupKey: "g3", firstEventSeq: seq("e-2") }));
    const id = s.alerts.insert(newAlert({ groupKey: "again", firstEventSeq: seq("e-0") }), {
      alerts: [quiet1, quiet2],
    });
    expect(linked(s, id)).toEqual([seq("e-0"), seq("e-1"), seq("e-9")]);
    expect(linked(s, other)).toEqual([seq("e-2")]);
  });
});
