import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDigest } from "../../src/digest/build.js";
import { scheduledTimes } from "../../src/digest/periods.js";
import { DigestRecordStore } from "../../src/store/digests.js";
import { openStore } from "../../src/store/open.js";
import { DAY } from "../../src/time-units.js";
import { runCli } from "../helpers/cli.js";
import { simulatedOrg } from "../helpers/simulated.js";
import { tempDir } from "../helpers/tmp.js";
import { digestData } from "./fixtures.js";

const utc = (ms: number) => `${new Date(ms).toISOString().replace("T", " ").slice(0, 16)} UTC`;

describe("mcp-activity digest", () => {
  it("--dry-run --last prints the last scheduled digest and writes its chart, posting nothing", async () => {
    const { env, path } = await simulatedOrg(3000);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    const chart = join(tempDir(), "chart.png");
    const result = await runCli(["digest", "--dry-run", "--last", "--chart", chart], {
      DATABASE_PATH: path,
      DIGEST_TIMEZONE: "Europe/Berlin",
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Daily MCP activity digest");
    expect(result.stdout).toMatch(/\d+ MCP calls/);
    // Composed by the command: the poller's state is the running bot's to tell.
    expect(result.stdout).toContain(
      "Health: poller not known here (made by a command: the bot's /healthz has it)",
    );
    expect(result.stdout).toContain(`chart written to ${chart}`);
    expect(readFileSync(chart).subarray(1, 4).toString()).toBe("PNG");
    // A folder that does not exist: one line, no stack trace.
    const nowhere = join(tempDir(), "missing-folder", "chart.png");
    const failed = await runCli(["digest", "--dry-run", "--last", "--chart", nowhere], {
      DATABASE_PATH: path,
    });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      new RegExp(`^mcp-activity digest: cannot write the chart to ${nowhere}: ENOENT`),
    );
  });

  it("--dry-run alone previews the next digest as if posted now: since the last scheduled time", async () => {
    const { env, path } = await simulatedOrg(100);
    await runCli(["poll", "--once"], env);
    const before = Date.now();
    const result = await runCli(["digest", "--dry-run"], { DATABASE_PATH: path });
    expect(result.code, result.stderr).toBe(0);
    // The schedule's last time as the command saw it (09:00 may have passed while it ran).
    const since = [before, Date.now()]
      .map((now) => scheduledTimes("0 9 * * *", "UTC", now).previous)
      .find((time) => result.stdout.includes(utc(time)));
    expect(since, result.stdout).toBeDefined();
    expect(result.stdout).toContain(
      `(preview: the next daily digest as if posted now, covering the time since ${utc(since ?? 0)}; nothing is posted)`,
    );
    expect(result.stdout).toContain(`${utc(since ?? 0)} – `);
  });

  it("--date picks the digest scheduled on that day; a Monday of a Monday–Friday cron covers the weekend", async () => {
    const { env, path } = await simulatedOrg(100);
    await runCli(["poll", "--once"], env);
    const result = await runCli(["digest", "--dry-run", "--date", "2026-01-15"], {
      DATABASE_PATH: path,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("No MCP activity in this period.");
    expect(result.stdout).toContain("2026-01-14 09:00 UTC – 2026-01-15 09:00 UTC");
    const monday = await runCli(["digest", "--dry-run", "--date", "2026-01-19"], {
      DATABASE_PATH: path,
      DIGEST_CRON: "0 9 * * 1-5",
    });
    expect(monday.stdout).toContain("2026-01-16 09:00 UTC – 2026-01-19 09:00 UTC");
  });

  it("--date of a day whose digest is not due yet is refused, not printed as a finished digest", async () => {
    const { env, path } = await simulatedOrg(300);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    // A schedule half a day away: it cannot pass while the command runs.
    const cron = `0 ${(new Date().getUTCHours() + 12) % 24} * * *`;
    const { next, previous } = scheduledTimes(cron, "UTC", Date.now());
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    // The next digest's day (its period half over), a day to come, a year ahead.
    for (const at of [next, Date.now() + 2 * DAY, Date.now() + 365 * DAY]) {
      const result = await runCli(["digest", "--dry-run", "--date", day(at)], {
        DATABASE_PATH: path,
        DIGEST_CRON: cron,
      });
      expect(result.code, result.stdout).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(
        `the daily digest of ${day(at)} is not due until ${day(at)} ${cron.split(" ")[1]?.padStart(2, "0")}:00 UTC: digest --dry-run previews the next one as if posted now`,
      );
    }
    // The day of the last one, due and past: printed.
    const last = await runCli(["digest", "--dry-run", "--date", day(previous)], {
      DATABASE_PATH: path,
      DIGEST_CRON: cron,
    });
    expect(last.code, last.stderr).toBe(0);
    expect(last.stdout).toContain(`– ${utc(previous)}`);
  });

  it("--last prints the digest the bot recorded for that period, as it was posted", async () => {
    const path = join(tempDir(), "recorded.db");
    // A schedule whose time is half a day away: it cannot pass while the command runs.
    const cron = `0 ${(new Date().getUTCHours() + 12) % 24} * * *`;
    const end = scheduledTimes(cron, "UTC", Date.now()).previous;
    const db = openStore(path);
    const message = buildDigest(
      digestData({
        since: end - 86_400_000,
        until: end,
        topTools: [{ key: "recordedTool", count: 9 }],
      }),
      { kind: "daily", late: false },
    );
    new DigestRecordStore(db).create(
      "org-1",
      "daily",
      end - 86_400_000,
      end,
      false,
      message,
      null,
      end,
    );
    db.close();
    const result = await runCli(["digest", "--dry-run", "--last", "--org", "org-1"], {
      DATABASE_PATH: path,
      DIGEST_CRON: cron,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("(the daily digest recorded for this period, not posted yet)");
    expect(result.stdout).toContain("9 · recordedTool");
  });

  it("--weekly previews the weekly digest when DIGEST_WEEKLY_CRON is set, and says how when not", async () => {
    const { env, path } = await simulatedOrg(3000);
    await runCli(["poll", "--once"], env);
    const off = await runCli(["digest", "--dry-run", "--weekly"], { DATABASE_PATH: path });
    expect(off.code).toBe(2);
    expect(off.stderr).toContain("DIGEST_WEEKLY_CRON is not set, so there is no weekly digest");
    // The week so far: the history just polled falls in it.
    const result = await runCli(["digest", "--dry-run", "--weekly"], {
      DATABASE_PATH: path,
      DIGEST_WEEKLY_CRON: "0 9 * * 1",
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Weekly MCP activity digest");
    expect(result.stdout).toMatch(/\d+ MCP calls/);
    expect(result.stdout).toContain("What changed");
  });

  it("explains bad options with exit 2", async () => {
    expect((await runCli(["digest"], {})).stderr).toContain("choose one of --dry-run or --post");
    const env = { DATABASE_PATH: join(tempDir(), "x.db"), ATLASSIAN_ORG_ID: "o" };
    const bad = await runCli(["digest", "--dry-run", "--date", "yesterday"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--date must be a day such as 2026-11-24");
    const both = await runCli(["digest", "--dry-run", "--last", "--date", "2026-01-15"], env);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("choose one of --last or --date");
    const post = await runCli(["digest", "--post", "--last"], env);
    expect(post.code).toBe(2);
    expect(post.stderr).toContain("--last goes with --dry-run");
  });
});
