/**
 * `mcp-activity query` reads dates in the shell's time zone (TZ) and prints times in UTC: it says
 * the window the question resolved to, in that zone and in UTC, so two shells' answers differ
 * visibly rather than silently.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EventStore } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { normalizedEvent, T0 } from "../detect/fixtures.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

/** A store with one call at 2026-11-03 20:00 UTC: 2026-11-04 01:30 in Kolkata. */
function storeWithOneCall(): string {
  const path = join(tempDir(), "tz.db");
  const db = openStore(path);
  const base = normalizedEvent();
  new EventStore(db).insertMany([{ ...base, id: "e-1", time: Date.UTC(2026, 10, 3, 20) }], T0);
  db.close();
  return path;
}

describe("mcp-activity query and time zones", () => {
  const day = "since:2026-11-04 until:2026-11-04";

  it("says the window a date resolved to, in the shell's zone and in UTC", async () => {
    const path = storeWithOneCall();
    const kolkata = await runCli(["query", day], { DATABASE_PATH: path, TZ: "Asia/Kolkata" });
    expect(kolkata.code, kolkata.stderr).toBe(0);
    expect(kolkata.stdout.split("\n").slice(0, 3)).toEqual([
      day,
      "window: 2026-11-04 00:00 up to 2026-11-05 00:00 Asia/Kolkata (the shell's time zone, TZ), 2026-11-03 18:30 up to 2026-11-04 18:30 UTC",
      expect.stringMatching(/^1 MCP call/),
    ]);
    expect(kolkata.stdout).toContain("2026-11-03 20:00:00"); // in the UTC table

    const utc = await runCli(["query", day], { DATABASE_PATH: path, TZ: "UTC" });
    expect(utc.stdout.split("\n").slice(1, 3)).toEqual([
      "window: 2026-11-04 00:00 up to 2026-11-05 00:00 UTC (the shell's time zone, TZ)",
      expect.stringMatching(/^0 MCP calls/),
    ]);
  });

  it("gives the window in --json, and on stderr with format:csv", async () => {
    const path = storeWithOneCall();
    const env = { DATABASE_PATH: path, TZ: "America/Los_Angeles" };
    const json = await runCli(["query", day, "--json"], env);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      window: {
        since: "2026-11-04T08:00:00.000Z",
        until: "2026-11-05T08:00:00.000Z",
        timeZone: "America/Los_Angeles",
      },
    });
    const csv = await runCli(["query", `${day} format:csv`], env);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stderr).toContain(
      "window: 2026-11-04 00:00 up to 2026-11-05 00:00 America/Los_Angeles (the shell's time zone, TZ), 2026-11-04 08:00 up to 2026-11-05 08:00 UTC\n",
    );
  });
  it("reads dates in UTC, and says why, when TZ names no time zone or none is set", async () => {
    const path = storeWithOneCall();
    const posix = await runCli(["query", day], { DATABASE_PATH: path, TZ: "JST-9" });
    expect(posix.code, posix.stderr).toBe(0);
    expect(posix.stdout).toContain(
      "window: 2026-11-04 00:00 up to 2026-11-05 00:00 UTC (TZ=JST-9 names no time zone: UTC)\n",
    );
    const empty = await runCli(["query", day, "--json"], { DATABASE_PATH: path, TZ: "" });
    expect(empty.code, empty.stderr).toBe(0);
    expect(JSON.parse(empty.stdout).window.timeZone).toMatch(/^(UTC|Etc\/UTC|[A-Z][a-z]+\/\w+)$/);
  });
});
