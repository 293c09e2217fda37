import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { AtlassianError } from "../../src/atlassian/errors.js";
import { PollFailures } from "../../src/ingest/poll-failures.js";
import { DAY } from "../../src/time-units.js";
import { capturedLogger } from "../helpers/logs.js";

describe("a poll that failed on the database", () => {
  const failures = () =>
    new PollFailures({
      log: capturedLogger().logger,
      intervalMs: 60_000,
      keyHistory: () => ({ since: null, last: null }),
    });

  it("says that polling resumes, nothing lost, where fixing the file's surroundings is enough", () => {
    const full = failures();
    full.failed(new Database.SqliteError("database or disk is full", "SQLITE_FULL"), 0);
    expect(full.lastError?.message).toMatch(/; polling resumes where it stopped, nothing is lost$/);
  });

  it("does not, for a damaged file that a backup may replace", () => {
    const damaged = failures();
    damaged.failed(
      new Database.SqliteError("database disk image is malformed", "SQLITE_CORRUPT"),
      0,
    );
    expect(damaged.lastError).toMatchObject({ kind: "database" });
    expect(damaged.lastError?.message).toMatch(
      /^the database file is damaged \(SQLITE_CORRUPT\): stop the bot/,
    );
    expect(damaged.lastError?.message).not.toContain("nothing is lost");
  });

  const locked = () => new Database.SqliteError("database is locked", "SQLITE_BUSY");
  const full = () => new Database.SqliteError("database or disk is full", "SQLITE_FULL");

  it("is tried again within a second after a lock, then less and less often, never past the interval", () => {
    const logs = capturedLogger("debug");
    const daily = new PollFailures({
      log: logs.logger,
      intervalMs: DAY,
      keyHistory: () => ({ since: null, last: null }),
    });
    const waits = Array.from({ length: 11 }, () => daily.failed(locked(), 0) / 1000);
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
    // Said once at error while it lasts, the other failures at debug; its end said once.
    const said = () => logs.lines().filter((l) => String(l.msg).startsWith("poll failed"));
    expect(said().map((l) => l.level)).toEqual([50, ...Array(10).fill(20)]);
    daily.succeeded();
    expect(logs.lines().filter((l) => l.msg === "polling works again")).toHaveLength(1);
    // The doubling starts over with the next lock.
    expect(daily.failed(locked(), 0)).toBe(1_000);

    const minutely = failures();
    expect([1, 2, 3, 4, 5, 6, 7].map(() => minutely.failed(locked(), 0) / 1000)).toEqual([
      1, 2, 4, 8, 16, 32, 60,
    ]);
  });

  it("is tried again within seconds after a full disk, doubling up to 5 minutes", () => {
    const daily = new PollFailures({
      log: capturedLogger().logger,
      intervalMs: DAY,
      keyHistory: () => ({ since: null, last: null }),
    });
    const waits = Array.from({ length: 8 }, () => daily.failed(full(), 0) / 1000);
    expect(waits).toEqual([5, 10, 20, 40, 80, 160, 300, 300]);
    // A failure of the API between two of the database's: the interval, and the doubling over.
    expect(daily.failed(new AtlassianError("server", "HTTP 503"), 0)).toBe(DAY);
    expect(daily.failed(full(), 0)).toBe(5_000);
  });
});

describe("retries of a poll", () => {
  const timeout = (retry: number) => ({
    kind: "timeout",
    message: "GET /admin/v1/orgs/o/events-stream took longer than 30 s",
    retry,
    of: 4,
    waitMs: 1_500,
  });
  const rig = () => {
    const logs = capturedLogger("info");
    const failures = new PollFailures({
      log: logs.logger,
      intervalMs: 60_000,
      keyHistory: () => ({ since: null, last: null }),
    });
    const warned = () =>
      logs
        .lines()
        .filter((l) => l.level === 40)
        .map((l) => l.msg as string);
    /** One poll: `retries` timeouts, then it fails after them all or goes through. */
    const poll = (retries: number) => {
      failures.pollBegan();
      for (let i = 1; i <= retries; i++) failures.retried(timeout(i));
      if (retries === 4) failures.failed(new AtlassianError("timeout", timeout(4).message), 0);
      else failures.succeeded();
    };
    return { failures, warned, poll };
  };

  it("says the first retry of a poll at warn, with what comes next, and not the others", () => {
    const { failures, warned, poll } = rig();
    expect(
      failures.shown(0, 0, true, { what: "poll", retried: failures.retriedInPoll })?.message,
    ).toMatch(/waiting for the API to answer$/);
    failures.pollBegan();
    failures.retried(timeout(1));
    expect(warned()).toEqual([
      "GET /admin/v1/orgs/o/events-stream took longer than 30 s; trying again in 2 s (retry 1 of 4; the next ones are logged at debug)",
    ]);
    expect(
      failures.shown(0, 0, true, { what: "poll", retried: failures.retriedInPoll })?.message,
    ).toMatch(/: a poll is still running, retrying the API \(see the log\)$/);
    failures.retried(timeout(2));
    expect(warned()).toHaveLength(1);
    poll(0);
    expect(
      failures.shown(0, 0, true, { what: "poll", retried: failures.retriedInPoll })?.message,
    ).toMatch(/waiting for the API to answer$/);
  });

  it("does not say it again for every poll while each retries so, until one retries nothing", () => {
    const { warned, poll } = rig();
    for (let i = 0; i < 10; i++) poll(4);
    // The first retry, and the first failure: each once for the outage.
    expect(warned()).toHaveLength(2);
    poll(1);
    poll(1);
    expect(warned()).toHaveLength(2);
    poll(0);
    poll(1);
    expect(warned()).toHaveLength(3);
  });
});
