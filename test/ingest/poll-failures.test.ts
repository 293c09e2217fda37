import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { PollFailures } from "../../src/ingest/poll-failures.js";
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
});
