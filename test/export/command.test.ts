import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { ExportStore } from "../../src/store/export.js";
import { openStore } from "../../src/store/open.js";
import { runCli } from "../helpers/cli.js";
import { simulatedOrg } from "../helpers/simulated.js";

describe("mcp-activity export", () => {
  it("writes the stored MCP events since a time as NDJSON to stdout, the count to stderr", async () => {
    const { env, path } = await simulatedOrg(3 * 24 * 60); // three days, one event a minute
    const poll = await runCli(["poll", "--once"], { ...env, BACKFILL_DAYS: "7" });
    expect(poll.code, poll.stderr).toBe(0);
    const since = Date.now() - 24 * 3_600_000;
    const db = new Database(path, { readonly: true });
    const want = db
      .prepare<[number], string>(
        "SELECT id FROM events WHERE is_mcp = 1 AND time >= ? ORDER BY time, seq",
      )
      .pluck()
      .all(since + 60_000); // a minute of slack for the command's own "now"
    db.close();

    const result = await runCli(["export", "--since", "1d"], env);
    expect(result.code, result.stderr).toBe(0);
    const records = result.stdout
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.kind === "mcp_event" && r.class_uid === 6003)).toBe(true);
    const ids = records.map((r) => r.id);
    expect(ids.slice(-want.length)).toEqual(want);
    expect(new Set(records.map((r) => r.record_id)).size).toBe(records.length);
    const times = records.map((r) => Date.parse(String(r.time)));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeGreaterThanOrEqual(since - 60_000);
    expect(result.stderr).toMatch(
      new RegExp(
        `^export: ${records.length} MCP events and 0 alert changes since .+ \\(org-cli\\)\\n$`,
      ),
    );
  });

  it("refuses a --since it cannot read, and resumes a stopped export", async () => {
    const { env } = await simulatedOrg(10);
    const bad = await runCli(["export", "--since", "lately"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since "lately" is not a time');
    expect((await runCli(["migrate"], env)).code).toBe(0);
    const resume = await runCli(["export", "--resume"], env);
    expect(resume.code, resume.stderr).toBe(0);
    expect(resume.stderr).toBe("the export was not stopped\n");
    expect(resume.stdout).toBe("");
    // A stop an earlier release kept quotes the address's path, where a token may be.
    const token = "tok_9f8e7d6c5b4a3928171605f4e3d2c1b0";
    const db = openStore(env.DATABASE_PATH ?? "");
    new ExportStore(db).stop({
      target: "t",
      at: 1,
      reason: `the receiver answered 404: no route for POST /ingest/${token}`,
    });
    db.close();
    const resumed = await runCli(["export", "--resume"], {
      ...env,
      EXPORT_URL: `https://siem.example.com/ingest/${token}`,
      EXPORT_SECRET: "s".repeat(40),
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(
      "export resumed (stopped since 1970-01-01T00:00:00.001Z: the receiver answered 404: no route for POST",
    );
    expect(resumed.stderr).not.toContain("tok_9f8e");
  });

  it("refuses --org or --since with --resume, which resumes every organization and writes nothing", async () => {
    const { env } = await simulatedOrg(10);
    expect((await runCli(["migrate"], env)).code).toBe(0);
    for (const [option, args] of [
      ["--org", ["--org", "no-such-org", "--since", "1d"]],
      ["--since", ["--since", "1d"]],
    ] as const) {
      const result = await runCli(["export", "--resume", ...args], env);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toContain(
        `${option} goes with an export to stdout: --resume lets the stopped SIEM export of every organization go on, and writes nothing`,
      );
    }
  });
});
