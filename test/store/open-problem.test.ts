import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openProblem } from "../../src/store/errors.js";
import { tempDir } from "../helpers/tmp.js";

describe("openProblem", () => {
  const path = () => join(tempDir(), "x.db");

  it("says a full disk when SQLite or the system says so", () => {
    const full = new Database.SqliteError("database or disk is full", "SQLITE_FULL");
    expect(openProblem("/data/x.db", full)).toBe(
      "cannot open the database at /data/x.db: the database's disk is full (SQLITE_FULL): free space on the disk that holds DATABASE_PATH",
    );
    const nospace = Object.assign(new Error("ENOSPC: no space left on device, open '/data/x.db'"), {
      code: "ENOSPC",
    });
    expect(openProblem("/data/x.db", nospace)).toMatch(
      /^cannot open the database at \/data\/x\.db: the disk that holds it is full \(ENOSPC.*\): free space on the disk that holds DATABASE_PATH$/,
    );
  });

  it.runIf(process.platform === "linux")(
    "blames no full disk for a system call's own error where the disk reports no room (/proc)",
    () => {
      const missing = Object.assign(
        new Error("ENOENT: no such file or directory, open '/proc/x.db'"),
        { code: "ENOENT" },
      );
      expect(openProblem("/proc/x.db", missing)).toBe(
        "cannot open the database at /proc/x.db: ENOENT: no such file or directory, open '/proc/x.db' (check DATABASE_PATH and the folder's permissions)",
      );
    },
  );

  it("points at the path and permissions otherwise, on a disk with room", () => {
    const p = path();
    const denied = Object.assign(new Error(`EACCES: permission denied, open '${p}'`), {
      code: "EACCES",
    });
    expect(openProblem(p, denied)).toBe(
      `cannot open the database at ${p}: EACCES: permission denied, open '${p}' (check DATABASE_PATH and the folder's permissions)`,
    );
  });
});
