/**
 * `export --since` reads a date or `today` in the shell's time zone (TZ), as `query` does, and says
 * which; a TZ that names no zone (empty, as a compose file's `TZ=${TZ}` makes; `:`; a POSIX TZ such
 * as GMT+3) is read as UTC, said, rather than a crash.
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
  new EventStore(db).insertMany(
    [{ ...normalizedEvent(), id: "e-1", time: Date.UTC(2026, 10, 3, 20) }],
    T0,
  );
  db.close();
  return path;
}

const exported = (path: string, since: string, TZ: string) =>
  runCli(["export", "--since", since], { DATABASE_PATH: path, TZ });

describe("export --since and time zones", () => {
  it("reads a date in the shell's zone and says the moment it resolved to", async () => {
    const path = storeWithOneCall();
    const kolkata = await exported(path, "2026-11-04", "Asia/Kolkata");
    expect(kolkata.code, kolkata.stderr).toBe(0);
    expect(kolkata.stdout.trim().split("\n")).toHaveLength(1);
    expect(kolkata.stderr).toContain(
      "export: 1 MCP events and 0 alert changes since 2026-11-04 00:00 Asia/Kolkata (the shell's time zone, TZ), 2026-11-03 18:30 UTC (",
    );
    const utc = await exported(path, "2026-11-04", "UTC");
    expect(utc.stdout).toBe("");
    expect(utc.stderr).toContain("since 2026-11-04 00:00 UTC (the shell's time zone, TZ) (");
  });

  it.each([[""], [":"], ["GMT+3"]])(
    "TZ=%j: a date or today is read in UTC, no crash",
    async (tz) => {
      const path = storeWithOneCall();
      for (const since of ["2026-11-04", "today"]) {
        const result = await exported(path, since, tz);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stderr).not.toMatch(/RangeError|\n\s+at /);
        expect(result.stderr).toMatch(
          /since \d{4}-\d\d-\d\d 00:00 UTC \((TZ=GMT\+3 names no time zone: UTC|no time zone set: UTC|the system's time zone)\)/,
        );
      }
    },
  );

  it("says a duration's start as an ISO time", async () => {
    const path = storeWithOneCall();
    const result = await exported(path, "1d", "Asia/Kolkata");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(/);
  });
});
