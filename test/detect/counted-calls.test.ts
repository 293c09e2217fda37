/**
 * An alert whose title counts a person's calls in a window (`mcp-burst`'s minutes,
 * `mcp-volume-spike`'s hour) is about every call it counts, not only the calls that were
 * findings: each is linked to it. The rules engine on a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { DAY, MINUTE } from "../../src/time-units.js";
import { event, setup } from "./engine-rig.js";
import { T0 } from "./fixtures.js";

/** The times of the calls linked to the alerts of a rule. */
function linkedTimes(s: ReturnType<typeof setup>, ruleId: string): number[] {
  return s.db
    .prepare(
      `SELECT e.time FROM alert_events ae JOIN alerts a ON a.id = ae.alert_id
       JOIN events e ON e.seq = ae.event_seq WHERE a.rule_id = ? ORDER BY e.time`,
    )
    .pluck()
    .all(ruleId) as number[];
}

describe("the calls an alert's title counts", () => {
  it("are a burst's window, the calls before the threshold included", () => {
    const s = setup("rules:\n  mcp-burst: { calls: 50, windowMinutes: 10 }\n");
    s.store([event({ time: T0 - 60 * MINUTE })]);
    s.engine().run();
    const calls = Array.from({ length: 61 }, (_, i) => event({ time: T0 + i * 9_000 }));
    s.store(calls);
    s.engine().run();
    const [burst] = s.alerts().filter((a) => a.ruleId === "mcp-burst");
    expect(burst?.title).toBe("61 MCP calls by Alice Example within 10 minutes");
    expect(burst?.eventCount).toBe(11);
    // The call an hour before is in no window the title counted.
    expect(linkedTimes(s, "mcp-burst")).toEqual(calls.map((c) => c.time));
  });

  it("are the busiest window of a burst whose middle is stored a poll late", () => {
    const s = setup("rules:\n  mcp-burst: { calls: 50, windowMinutes: 10 }\n");
    s.store([event({ time: T0 - 60 * MINUTE })]);
    s.engine().run();
    const calls = Array.from({ length: 60 }, (_, i) => event({ time: T0 + i * 6_000 }));
    s.store([...calls.slice(0, 10), ...calls.slice(30)]);
    s.engine().run();
    s.store(calls.slice(10, 30));
    s.engine().run();
    const [burst] = s.alerts().filter((a) => a.ruleId === "mcp-burst");
    expect(burst?.title).toBe("60 MCP calls by Alice Example within 10 minutes");
    // Ten late calls were findings; the 30 stored before them, never findings, are counted too.
    expect(linkedTimes(s, "mcp-burst")).toHaveLength(60);
  });

  it("are a volume spike's hours: the runaway agent's calls its findings counted", () => {
    const s = setup("rules:\n  mcp-burst: { enabled: false }\n");
    s.store(
      Array.from({ length: 100 }, (_, i) =>
        event({ time: T0 - (20 - Math.floor(i / 5)) * DAY + (i % 5) * MINUTE }),
      ),
    );
    s.engine().run();
    const start = T0 + 30 * MINUTE;
    const agent = Array.from({ length: 360 }, (_, i) =>
      event({ time: start + i * 30_000, resource: `OPS-${i}` }),
    );
    for (let from = 0; from < agent.length; from += 10) {
      s.store(agent.slice(from, from + 10));
      s.engine().run();
    }
    const spikes = s.alerts().filter((a) => a.ruleId === "mcp-volume-spike");
    expect(spikes.map((a) => a.title)).toEqual([
      "120 MCP calls by Alice Example in an hour, against 5 in their usual busy hour",
    ]);
    // Its findings ran from the 61st call to the end of the agent's second hour (by then its
    // first hour was part of her usual): every call of the hours they counted is its.
    const [spike] = spikes;
    expect(spike?.lastSeen).toBe(start + 90 * MINUTE - 30_000);
    expect(linkedTimes(s, "mcp-volume-spike")).toEqual(agent.slice(0, 180).map((c) => c.time));
  });

  it("are all linked after a batch that failed and was judged again", () => {
    const s = setup("rules:\n  mcp-burst: { calls: 50, windowMinutes: 10 }\n");
    const calls = Array.from({ length: 120 }, (_, i) => event({ time: T0 + i * 3_000 }));
    s.store(calls);
    // Batches of 50: the first judges calls 1 to 50 (no burst yet) and commits; the second
    // raises the burst, links its window, and fails as it commits.
    let commits = 0;
    const engine = s.engine(s.config, () => {
      if (++commits === 2) throw new Error("disk full");
    });
    expect(() => engine.run()).toThrow("disk full");
    expect(s.alerts().filter((a) => a.ruleId === "mcp-burst")).toEqual([]);
    // The same engine judges them again: the alert it raises anew is linked to its whole window.
    engine.run();
    expect(linkedTimes(s, "mcp-burst")).toEqual(calls.map((c) => c.time));
  });
});
