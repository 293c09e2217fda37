import { spawn } from "node:child_process";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../src/simulator/index.js";
import { openStore } from "../src/store/open.js";
import { type OrgRouter, startOrgRouter } from "./fakes/org-router.js";
import { CLI, childEnv, collect, runCli } from "./helpers/cli.js";
import { tempDir } from "./helpers/tmp.js";

let sims: Simulator[] = [];
let router: OrgRouter | undefined;
afterEach(async () => {
  await router?.close();
  for (const sim of sims.splice(0)) await sim.close();
});

/** Two organizations frozen now, with `minutes` of history each at one event a minute. */
async function twoOrgs(minutes: [number, number]) {
  const frozen = Date.now();
  sims = await Promise.all(
    (["org-a", "org-b"] as const).map((orgId, i) =>
      startSimulator({
        seed: 11 + i,
        orgId,
        apiKey: `key-${orgId}`,
        start: frozen - ((minutes[i] ?? 1) - 1) * 60_000,
        intervalMs: 60_000,
        clock: { now: () => frozen },
      }),
    ),
  );
  router = await startOrgRouter(sims);
  const path = join(tempDir(), "poll.db");
  const env = {
    ATLASSIAN_API_BASE_URL: router.url,
    ATLASSIAN_ORG_ID: "org-a,org-b",
    ATLASSIAN_API_KEY: "key-org-a,key-org-b",
    DATABASE_PATH: path,
    LOG_LEVEL: "warn",
  };
  return { env, path };
}

function storedPerOrg(path: string): Record<string, number> {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db
      .prepare<[], { org_id: string; n: number }>(
        "SELECT org_id, COUNT(*) AS n FROM events GROUP BY org_id",
      )
      .all();
    return Object.fromEntries(rows.map((r) => [r.org_id, r.n]));
  } finally {
    db.close();
  }
}

describe("poll --once with several organizations", () => {
  it("polls each in turn and says what it stored for each", async () => {
    const { env, path } = await twoOrgs([300, 200]);
    const result = await runCli(["poll", "--once"], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^organization org-a:\nstored 300 new event\(s\)/m);
    expect(result.stdout).toMatch(/^organization org-b:\nstored 200 new event\(s\)/m);
    expect(storedPerOrg(path)).toEqual({ "org-a": 300, "org-b": 200 });
  });

  it("still polls the others when one key is refused, and fails", async () => {
    const { env, path } = await twoOrgs([100, 50]);
    const result = await runCli(["poll", "--once"], {
      ...env,
      ATLASSIAN_API_KEY: "key-WRONG-a,key-org-b",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("organization org-a: ");
    expect(result.stderr + result.stdout).not.toContain("WRONG");
    expect(result.stdout).toMatch(/^organization org-b:\nstored 50 new event\(s\)/m);
    expect(storedPerOrg(path)).toEqual({ "org-b": 50 });
  });

  it("says in one line what a database locked by another process needs", async () => {
    const { env, path } = await twoOrgs([20, 20]);
    openStore(path).close();
    const holder = new Database(path);
    holder.exec("BEGIN IMMEDIATE"); // another process holds the write lock
    try {
      const result = await runCli(["poll", "--once"], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        "mcp-activity poll: the database is locked by another process (SQLITE_BUSY): stop what holds a write lock on DATABASE_PATH",
      );
      expect(result.stderr).not.toMatch(/^\s+at /m);
    } finally {
      holder.close();
    }
  });

  it("polls every organization when its output's reader is gone (poll --once | head -1), and exits 0", async () => {
    const { env, path } = await twoOrgs([100, 50]);
    const child = spawn(process.execPath, [CLI, "poll", "--once"], { env: childEnv(env) });
    child.stdout?.destroy();
    const result = await collect(child);
    expect(result.code, result.stderr).toBe(0);
    expect(storedPerOrg(path)).toEqual({ "org-a": 100, "org-b": 50 });
  });
});
