import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { simulatedOrg } from "../helpers/simulated.js";
import { tempDir } from "../helpers/tmp.js";

describe("mcp-activity digest", () => {
  it("--dry-run prints yesterday's digest and writes its chart, posting nothing", async () => {
    const { env, path } = await simulatedOrg(3000);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    const chart = join(tempDir(), "chart.png");
    const result = await runCli(["digest", "--dry-run", "--chart", chart], {
      DATABASE_PATH: path,
      DIGEST_TIMEZONE: "Europe/Berlin",
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Daily MCP activity digest");
    expect(result.stdout).toMatch(/\d+ MCP calls/);
    expect(result.stdout).toContain("Health: poller ok");
    expect(result.stdout).toContain(`chart written to ${chart}`);
    expect(readFileSync(chart).subarray(1, 4).toString()).toBe("PNG");
  });

  it("--date picks the digest scheduled on that day", async () => {
    const { env, path } = await simulatedOrg(100);
    await runCli(["poll", "--once"], env);
    const result = await runCli(["digest", "--dry-run", "--date", "2026-01-15"], {
      DATABASE_PATH: path,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("No MCP activity in this period.");
    expect(result.stdout).toContain("2026-01-14 09:00 UTC – 2026-01-15 09:00 UTC");
  });

  it("explains bad options with exit 2", async () => {
    expect((await runCli(["digest"], {})).stderr).toContain("choose one of --dry-run or --post");
    const bad = await runCli(["digest", "--dry-run", "--date", "yesterday"], {
      DATABASE_PATH: join(tempDir(), "x.db"),
      ATLASSIAN_ORG_ID: "o",
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--date must be a day such as 2026-11-24");
  });
});
