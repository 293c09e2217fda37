import { spawn } from "node:child_process";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { CLI, childEnv, collect } from "../helpers/cli.js";
import { storedEventCount } from "../helpers/stored.js";
import { tempDir } from "../helpers/tmp.js";
import { until } from "../helpers/until.js";

const EVENTS = 30_000;
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
});

describe("crash safety", () => {
  it("a poll killed with SIGKILL mid-backfill, restarted, ends with exactly the valid events", async () => {
    const frozen = Date.now();
    sim = await startSimulator({
      seed: 23,
      orgId: "org-crash",
      apiKey: "crash-key",
      start: frozen - (EVENTS - 1) * 1_000,
      intervalMs: 1_000,
      clock: { now: () => frozen },
    });
    // A few malformed items and duplicates too: neither may disturb the count.
    sim.setDuplicateOverlap(3);
    const path = join(tempDir(), "crash.db");
    const env = childEnv({
      ATLASSIAN_API_BASE_URL: sim.url,
      ATLASSIAN_ORG_ID: sim.orgId,
      ATLASSIAN_API_KEY: "crash-key",
      DATABASE_PATH: path,
      BACKFILL_DAYS: "1",
      LOG_LEVEL: "warn",
    });

    const killedAt: number[] = [];
    for (const threshold of [1_000, 6_000, 11_000]) {
      const child = spawn(process.execPath, [CLI, "poll", "--once"], { env });
      const done = collect(child);
      await until(
        () => storedEventCount(path) >= threshold || child.exitCode !== null,
        `${threshold} events stored, or the poll ended`,
        60_000,
        5,
      );
      child.kill("SIGKILL");
      const result = await done;
      expect(result.signal, "the poll finished before it could be killed: raise EVENTS").toBe(
        "SIGKILL",
      );
      killedAt.push(storedEventCount(path));
    }
    expect(killedAt[0]).toBeLessThan(EVENTS);

    const final = await collect(spawn(process.execPath, [CLI, "poll", "--once"], { env }));
    expect(final.code, final.stderr).toBe(0);

    const db = new Database(path, { readonly: true });
    const stored = db
      .prepare<[], { id: string }>("SELECT id FROM events ORDER BY id")
      .all()
      .map((r) => r.id);
    db.close();
    const valid = [...sim.validEventsUpTo(frozen)].map((e) => e.id).sort();
    expect(valid).toHaveLength(EVENTS);
    expect(stored).toEqual(valid);
  }, 60_000); // four polls of 30,000 events, sharing the machine with other test files
});
