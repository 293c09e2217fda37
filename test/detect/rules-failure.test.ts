import { describe, expect, it } from "vitest";
import { MINUTE } from "../../src/time-units.js";
import { event, person, setup } from "./engine-rig.js";
import { T0 } from "./fixtures.js";

const FAILED = "the rules could not run";

describe("rules that keep failing", () => {
  it("are said once while the failure lasts, with its stack, and its end is said", () => {
    const s = setup();
    let broken = true;
    // A failure that lasts (an event that breaks them, a locked file): every commit's run meets it.
    const engine = s.engine(s.config, () => {
      if (broken) throw new Error("no such column: facts.kind");
    });
    // Sixty commits of the poller (an hour of polls, or a backfill's pages) while it lasts.
    for (let i = 0; i < 60; i++) {
      s.store([event({ time: s.clock.now() + i * MINUTE })]);
      engine.runSlice(40);
    }
    expect(engine.failure()?.message).toBe("no such column: facts.kind");
    const said = s.logs.lines().filter((l) => String(l.msg).startsWith(FAILED));
    expect(said.filter((l) => l.level === 50)).toHaveLength(1);
    expect(said.filter((l) => l.level === 20)).toHaveLength(59);
    expect(said.filter((l) => l.err !== undefined)).toHaveLength(1);

    broken = false;
    engine.runSlice(40);
    expect(engine.failure()).toBeNull();
    expect(s.logs.lines().filter((l) => l.msg === "the rules run again")).toHaveLength(1);
    engine.runSlice(40);
    expect(s.logs.lines().filter((l) => l.msg === "the rules run again")).toHaveLength(1);
  });

  it("say a full disk with SQLite's code and what to do, not SQLite's bare words", () => {
    const s = setup();
    // Destructive calls by many people: each raises an alert, more than the alerts' pages hold.
    s.store(
      Array.from({ length: 400 }, (_, i) =>
        event({
          ...person(`acc-${i}`, `person${i}@example.com`),
          tool: "deleteJiraIssue",
          toolClass: "destructive",
          time: T0 + i * 1_000,
        }),
      ),
    );
    // The disk is full: no page beyond those the file has.
    const pages = Number(s.db.pragma("page_count", { simple: true }));
    s.db.pragma(`max_page_count = ${pages}`);

    const engine = s.engine();
    expect(engine.runSafely()).toBeUndefined();
    const advice =
      "the database's disk is full (SQLITE_FULL): free space on the disk that holds DATABASE_PATH";
    // /healthz shows it under `database` too, by its kind.
    expect(engine.failure()).toMatchObject({ message: advice, kind: "database" });
    const said = s.logs.lines().filter((l) => String(l.msg).startsWith(FAILED));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({
      level: 50,
      msg: `${FAILED}: ${advice}; they retry after the next commit or poll`,
    });
  });
});
