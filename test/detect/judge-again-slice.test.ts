import { describe, expect, it } from "vitest";
import { AlertStore } from "../../src/store/alerts.js";
import { EventStore } from "../../src/store/events.js";
import { JudgeAgainStore } from "../../src/store/judge-again.js";
import { openStore } from "../../src/store/open.js";
import { MINUTE } from "../../src/time-units.js";
import { event, person, setup } from "./engine-rig.js";
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

  it("says a person's first call once when their calls listed late wait in the queue behind new ones", () => {
    const s = setup("minSeverity: low\n");
    const pat = person("acct-pat", "pat@acme.test");
    const call = (i: number, o = {}) =>
      event({ ...pat, time: T0 + i * MINUTE, tool: "getConfluencePage", toolClass: "read", ...o });
    // Two calls stored and judged as no MCP call, then listed as MCP: queued to be judged again.
    s.store([call(0, { isMcp: false }), call(1, { isMcp: false })]);
    const engine = s.engine();
    engine.run();
    const late = s.db.prepare("SELECT seq FROM events ORDER BY seq").pluck().all() as number[];
    s.db.prepare(`UPDATE event_rows SET is_mcp = 1 WHERE seq IN (${late.join(",")})`).run();
    new JudgeAgainStore(s.db).add("org-1", late);
    // A new call of theirs comes while the second waits.
    s.store([call(5)]);
    engine.runSlice(50, () => true);
    engine.runSlice(50);
    expect(queuedCount(s)).toBe(0);
    const firsts = s.alerts().filter((a) => a.ruleId === "mcp-first-use");
    expect(firsts.map((a) => a.firstEventSeq)).toEqual([late[0]]);
  });

  it("judges once a call queued before the rules reached it", () => {
    const s = setup("minSeverity: low\n");
    const write = (i: number, o = {}) =>
      event({
        time: T0 + i * MINUTE,
        tool: "deleteConfluencePage",
        toolClass: "destructive",
        ...o,
      });
    s.store([write(0, { isMcp: false })]);
    const engine = s.engine();
    engine.run();
    // A second call stored and made an MCP call (its action listed) before the rules judged it.
    s.store([write(1, { isMcp: false })]);
    const seqs = s.db.prepare("SELECT seq FROM events ORDER BY seq").pluck().all() as number[];
    s.db.prepare(`UPDATE event_rows SET is_mcp = 1 WHERE seq IN (${seqs.join(",")})`).run();
    new JudgeAgainStore(s.db).add("org-1", seqs);
    engine.runSlice(50, () => true);
    engine.runSlice(50);
    engine.runSlice(50);
    const destructive = s.alerts().filter((a) => a.ruleId === "mcp-destructive");
    // One alert holding each call once (the second grows the first's).
    expect(destructive.map((a) => [a.firstEventSeq, a.lastEventSeq, a.eventCount])).toEqual([
      [seqs[0], seqs[1], 2],
    ]);
  });
});

describe("a call listed as MCP while a slice left it read ahead", () => {
  it.each([
    ["through the bot's connection (the classify-again pass)", false],
    ["by another connection (reclassify beside the bot)", true],
  ])("is judged as the MCP call it is now, classified again %s", (_how, elsewhere) => {
    const s = setup("minSeverity: low\n");
    const write = (i: number) =>
      event({
        time: T0 + i * MINUTE,
        tool: "deleteConfluencePage",
        toolClass: "destructive",
        isMcp: false,
      });
    // An MCP call, then two calls of an action not listed as MCP yet.
    s.store([
      event({ time: T0 - MINUTE, tool: "getConfluencePage", toolClass: "read" }),
      write(1),
      write(2),
    ]);
    const engine = s.engine();
    // A slice with no time left after its first event: the other two are kept read ahead.
    engine.runSlice(50, () => true);
    // Their action is listed as MCP now: classified again as the classify-again pass does.
    const db = elsewhere ? openStore(s.path) : s.db;
    const events = new EventStore(db);
    const seqs = db
      .prepare("SELECT seq FROM events WHERE is_mcp = 0 ORDER BY seq")
      .pluck()
      .all() as number[];
    const listed = seqs.flatMap((seq) => {
      const stored = events.bySeq(seq);
      return stored ? [{ ...stored, isMcp: true, mcpBasis: "catalog" as const }] : [];
    });
    db.transaction(() => events.updateClassification(listed))();
    if (elsewhere) db.close();
    engine.runSlice(50);
    engine.runSlice(50);
    const destructive = s.alerts().filter((a) => a.ruleId === "mcp-destructive");
    expect(destructive.map((a) => [a.firstEventSeq, a.lastEventSeq, a.eventCount])).toEqual([
      [seqs[0], seqs[1], 2],
    ]);
  });
});
