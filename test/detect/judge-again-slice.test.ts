import { describe, expect, it } from "vitest";
import { AlertStore } from "../../src/store/alerts.js";
import { JudgeAgainStore } from "../../src/store/judge-again.js";
import { MINUTE } from "../../src/time-units.js";
import { event, setup } from "./engine-rig.js";
import { T0 } from "./fixtures.js";

const queuedCount = (s: ReturnType<typeof setup>) =>
  (s.db.prepare("SELECT count(*) AS n FROM judge_again").get() as { n: number }).n;

describe("events queued to be judged again", () => {
  it("are judged within a slice's bound, leaving the rest queued, and each slice judges a new call too", () => {
    const s = setup("minSeverity: low\n");
    const write = (i: number) =>
      event({ time: T0 + i * MINUTE, tool: "createJiraIssue", toolClass: "write" });
    s.store(Array.from({ length: 6 }, (_, i) => write(i)));
    const engine = s.engine();
    engine.run();
    // Six judged live calls queued again (an action newly listed as MCP), then new ones stored.
    const queued = s.db.prepare("SELECT seq FROM events ORDER BY seq").pluck().all() as number[];
    new JudgeAgainStore(s.db).add("org-1", queued);
    s.store(Array.from({ length: 4 }, (_, i) => write(10 + i)));
    const position = () => new AlertStore(s.db).lastEvaluated("org-1");
    const before = position();
    let asked = 0;
    const afterTwo = () => ++asked >= 2;
    // Two queued, then one new call: a long queue never holds new calls back.
    expect(engine.runSlice(50, afterTwo)).toMatchObject({ result: { evaluated: 3 }, more: true });
    // Only the two judged left the queue.
    expect(queuedCount(s)).toBe(4);
    const once = position() ?? 0;
    expect(once).toBeGreaterThan(before ?? 0);
    asked = 0;
    expect(engine.runSlice(50, afterTwo)).toMatchObject({ result: { evaluated: 3 }, more: true });
    expect(queuedCount(s)).toBe(2);
    expect(position()).toBeGreaterThan(once);
    // Unbounded: the two queued left, then the two new ones left.
    expect(engine.runSlice(50)).toMatchObject({ result: { evaluated: 4 }, more: false });
    expect(queuedCount(s)).toBe(0);
    expect(position()).toBeGreaterThan(before ?? 0);
  });
});
