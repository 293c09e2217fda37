import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { DAY, MINUTE } from "../../src/time-units.js";
import { Supervisor } from "../../src/workers/supervisor.js";
import { type HandledFailure, Loop } from "../../src/workers/worker.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { until } from "../helpers/until.js";

/**
 * A loop whose passes follow a script: "ok", "throw", "full" (the database's disk) or "handled"
 * (failed, said by the pass).
 */
function scripted(
  clock: VirtualClock,
  script: string[],
  extra: { waitFirst?: boolean; every?: (now: number) => number } = {},
) {
  const logs = capturedLogger("info");
  const passes: number[] = [];
  /** The loop's health as each pass began: what the pass before left. */
  const seen: Array<ReturnType<Loop["health"]>> = [];
  const loop: Loop = new Loop({
    name: "sweeper",
    orgId: "org-1",
    clock,
    logger: logs.logger,
    failure: "the sweep failed",
    every: () => MINUTE,
    pass: (): HandledFailure | undefined => {
      seen.push(loop.health());
      passes.push(clock.now());
      const step = script.shift() ?? "ok";
      if (step === "throw") throw new Error("disk on fire");
      if (step === "full")
        throw new Database.SqliteError("database or disk is full", "SQLITE_FULL");
      if (step === "handled") return { failed: "Slack is down" };
      return undefined;
    },
    ...extra,
  });
  return { loop, passes, seen, logs };
}

describe("a worker's loop", () => {
  it("passes, waits on the clock, and says how its last pass went", async () => {
    const clock = new VirtualClock();
    const start = clock.now();
    const { loop, passes, seen, logs } = scripted(clock, ["ok", "throw", "handled", "ok"]);
    expect(loop.health()).toEqual({
      name: "sweeper",
      orgId: "org-1",
      ok: true,
      lastPassAt: null,
      lastError: null,
    });
    const stop = new AbortController();
    const running = loop.run(stop.signal);
    await until(() => passes.length >= 5, "five passes");
    stop.abort();
    await running;
    // One pass a minute, the first at once.
    expect(passes.slice(0, 4)).toEqual([
      start,
      start + MINUTE,
      start + 2 * MINUTE,
      start + 3 * MINUTE,
    ]);
    // A thrown failure and a handled one both show, with their message, until a pass goes well.
    expect(seen.slice(1, 5).map((h) => [h.ok, h.lastError?.message ?? null, h.lastPassAt])).toEqual(
      [
        [true, null, start],
        [false, "disk on fire", start],
        [false, "Slack is down", start],
        [true, null, start + 3 * MINUTE],
      ],
    );
    // A throw is logged once, with what failed; the loop went on.
    expect(logs.text()).toContain("the sweep failed: disk on fire");
  });

  it("says a failure repeated pass after pass once, and its end", async () => {
    const clock = new VirtualClock();
    const { loop, passes, logs } = scripted(clock, ["throw", "throw", "throw", "ok"]);
    const stop = new AbortController();
    const running = loop.run(stop.signal);
    await until(() => passes.length >= 5, "five passes");
    stop.abort();
    await running;
    const said = logs.lines().map((line) => [line.level, line.msg]);
    const failed = "the sweep failed: disk on fire; trying again in 1 minute";
    expect(said.filter(([, msg]) => msg === failed)).toEqual([[50, failed]]);
    expect(said.filter(([, msg]) => msg === "sweeper: works again")).toHaveLength(1);
  });

  it("says a full disk with SQLite's code and what to do, as the database's problem", async () => {
    const clock = new VirtualClock();
    const { loop, passes, seen, logs } = scripted(clock, ["full"]);
    const stop = new AbortController();
    const running = loop.run(stop.signal);
    await until(() => passes.length >= 2, "two passes");
    stop.abort();
    await running;
    const advice =
      "the database's disk is full (SQLITE_FULL): free space on the disk that holds DATABASE_PATH";
    // /healthz shows it under `database` by its kind; `status` lists the worker with it.
    expect(seen[1]?.lastError).toMatchObject({ message: advice, kind: "database" });
    expect(logs.lines().map((line) => line.msg)).toContain(
      `the sweep failed: ${advice}; trying again in 1 minute`,
    );
  });

  it("tries a daily pass the database failed again within minutes, not the next day", async () => {
    const clock = new VirtualClock();
    const start = clock.now();
    const { loop, passes } = scripted(clock, ["full", "ok", "ok"], { every: () => DAY });
    const stop = new AbortController();
    const running = loop.run(stop.signal);
    await until(() => passes.length >= 3, "three passes");
    stop.abort();
    await running;
    // /healthz is 503 while it stands: freed, it ends within 5 minutes; then a pass a day again.
    expect(passes.slice(0, 3)).toEqual([start, start + 5 * MINUTE, start + 5 * MINUTE + DAY]);
  });

  it("goes on when its wait cannot be computed: the failure shows, the next pass comes later", async () => {
    const clock = new VirtualClock();
    const start = clock.now();
    let schedules = 0;
    const every = () => {
      schedules++;
      if (schedules === 1) throw new Error("Invalid expression, loop limit exceeded");
      return MINUTE;
    };
    const { loop, passes, seen, logs } = scripted(clock, [], { every });
    const stop = new AbortController();
    const running = loop.run(stop.signal);
    await until(() => passes.length >= 3, "three passes");
    stop.abort();
    await running;
    expect(passes.slice(0, 3)).toEqual([start, start + 5 * MINUTE, start + 6 * MINUTE]);
    expect(seen[1]?.lastError?.message).toBe("Invalid expression, loop limit exceeded");
    expect(logs.text()).toContain("the sweep failed: Invalid expression, loop limit exceeded");
    expect(loop.health().ok).toBe(true);
  });

  it("waits before its first pass when told to, and stops without another pass", async () => {
    const clock = new VirtualClock();
    const start = clock.now();
    const { loop, passes } = scripted(clock, [], { waitFirst: true });
    const stop = new AbortController();
    const running = loop.run(stop.signal);
    await until(() => passes.length >= 1, "a pass");
    stop.abort();
    await running;
    expect(passes[0]).toBe(start + MINUTE);
    const after = passes.length;
    await new Promise((resolve) => setImmediate(resolve));
    expect(passes.length).toBe(after);
  });
});

describe("the supervisor", () => {
  it("starts every worker, lists the failing ones, and stops them all", async () => {
    const clock = new VirtualClock();
    const good = scripted(clock, []);
    const bad = new Loop({
      name: "digest",
      clock,
      logger: capturedLogger("info").logger,
      failure: "the digest failed",
      every: () => MINUTE,
      pass: () => {
        throw new Error("no chart font");
      },
    });
    const supervisor = new Supervisor([good.loop, bad], clock);
    supervisor.start();
    await until(() => good.passes.length >= 2 && !bad.health().ok, "both running");
    expect(supervisor.health().map((h) => [h.name, h.ok])).toEqual([
      ["sweeper", true],
      ["digest", false],
    ]);
    expect(supervisor.problems()).toEqual(["digest: no chart font"]);
    await supervisor.stop();
    const passes = good.passes.length;
    await new Promise((resolve) => setImmediate(resolve));
    expect(good.passes.length).toBe(passes);
  });
});

describe("the supervisor once nothing runs its workers any more", () => {
  it("halted: says every worker is failing, for the halt's reason, and not only stopped", async () => {
    const clock = new VirtualClock();
    const first = scripted(clock, []);
    const second = scripted(clock, []);
    const supervisor = new Supervisor([first.loop, second.loop], clock);
    supervisor.start();
    await until(() => first.passes.length >= 1 && second.passes.length >= 1, "both running");
    const reason = "the database file at /data/bot.db was deleted: restart it";
    const at = clock.now();
    await supervisor.halt({ message: reason, kind: "database" });
    const passes = first.passes.length;
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(first.passes).toHaveLength(passes);
    expect(supervisor.health().map((h) => [h.ok, h.lastError])).toEqual([
      [false, { message: reason, kind: "database", at }],
      [false, { message: reason, kind: "database", at }],
    ]);
    // Each last pass that went well is still told.
    expect(supervisor.health()[0]?.lastPassAt).toBe(first.loop.health().lastPassAt);
  });

  it("a worker whose run ended without a stop: failing, and the others as they are", async () => {
    const clock = new VirtualClock();
    const good = scripted(clock, []);
    const gone = {
      name: "export",
      run: async () => {},
      health: () => ({ name: "export", ok: true, lastPassAt: null, lastError: null }),
    };
    const supervisor = new Supervisor([good.loop, gone], clock);
    supervisor.start();
    await until(() => !supervisor.health()[1]?.ok, "the end told");
    expect(supervisor.health().map((h) => h.ok)).toEqual([true, false]);
    expect(supervisor.problems()).toEqual(["export: it stopped: restart the bot"]);
    await supervisor.stop();
    // A stop asked for is no failure.
    expect(supervisor.health()[0]?.ok).toBe(true);
  });
});

describe("the supervisor's workers waiting on its one stop signal", () => {
  it("start and stop a process's many workers without a warning of a listener leak", async () => {
    const warnings: string[] = [];
    const warned = (w: Error) => warnings.push(w.name);
    process.on("warning", warned);
    try {
      const logs = capturedLogger("info");
      let passes = 0;
      // As many as a bot watching several organizations runs, each waiting on the real clock.
      const workers = Array.from(
        { length: 30 },
        (_, i) =>
          new Loop({
            name: `worker-${i}`,
            clock: systemClock,
            logger: logs.logger,
            failure: "failed",
            every: () => MINUTE,
            pass: () => {
              passes++;
            },
          }),
      );
      const supervisor = new Supervisor(workers, systemClock);
      supervisor.start();
      await until(() => passes === 30, "every worker's first pass");
      await new Promise((resolve) => setImmediate(resolve));
      await supervisor.stop();
      expect(warnings).not.toContain("MaxListenersExceededWarning");
    } finally {
      process.off("warning", warned);
    }
  });
});
