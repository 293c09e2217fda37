/** `query --json` as a script piping it to jq reads it: JSON on stdout, or a usage error. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { simulatedOrg } from "../helpers/simulated.js";
import { tempDir } from "../helpers/tmp.js";

describe("mcp-activity query --json", () => {
  it("refuses format:csv with --json rather than printing CSV", async () => {
    const { env, path } = await simulatedOrg(60);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    const result = await runCli(["query", "since:1d format:csv", "--json"], {
      DATABASE_PATH: path,
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("format:csv and --json do not combine");
  });

  it("on a database with no events yet prints an answer of zeros that says why", async () => {
    const path = join(tempDir(), "empty.db");
    expect((await runCli(["migrate"], { DATABASE_PATH: path })).code).toBe(0);
    const result = await runCli(["query", "user:alice since:1d", "--json"], {
      DATABASE_PATH: path,
    });
    expect(result.code, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(answer).toMatchObject({
      query: expect.stringContaining("alice"),
      orgId: null,
      partial: false,
      prunedBefore: null,
      summary: { calls: 0 },
      latest: [],
      more: false,
      openAlerts: { alerts: [], total: 0 },
      note: expect.stringContaining("no events stored yet"),
    });
    expect(result.stderr).toContain("no events stored yet");
    // A script that names its organization, before its first poll stored anything: the same.
    for (const args of [
      ["query", "since:1d", "--json", "--org", "org-1"],
      ["query", "org:org-1 since:1d", "--json"],
    ]) {
      const named = await runCli(args, { DATABASE_PATH: path });
      expect(named.code, named.stderr).toBe(0);
      expect(JSON.parse(named.stdout)).toMatchObject({ orgId: "org-1", summary: { calls: 0 } });
    }
  });
});
