/**
 * The first start's backfill, as an operator runs it (the built CLI, the simulated organization
 * on 127.0.0.1, the fake Slack): the database's write-ahead log stays bounded while every page of
 * the history is written, instead of growing to many times the database (737 MiB beside 44 MiB
 * here) on a disk sized for the store.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator } from "../../src/simulator/index.js";
import { startFakeSlack } from "../fakes/slack-api.js";
import { RunningCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

const MIB = 1024 * 1024;

const running: RunningCli[] = [];
afterEach(() => {
  for (const cli of running.splice(0)) cli.child.kill("SIGKILL");
});

const size = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

describe("the first start's backfill and the disk", () => {
  it("keeps the write-ahead log bounded while it writes 130,000 events", async () => {
    const sim = await startSimulator({
      seed: 1,
      orgId: "org-wal",
      apiKey: "wal-key",
      start: Date.now() - 3 * 86_400_000,
      intervalMs: 2_000, // 3 days at one event every 2 s: 129,600 events
    });
    const slack = await startFakeSlack({ token: "xoxb-wal" });
    const path = join(tempDir(), "mcp-activity.db");
    try {
      const bot = new RunningCli(["start"], {
        ATLASSIAN_API_BASE_URL: sim.url,
        ATLASSIAN_ORG_ID: "org-wal",
        ATLASSIAN_API_KEY: "wal-key",
        SLACK_BOT_TOKEN: "xoxb-wal",
        SLACK_SIGNING_SECRET: "wal-signing-secret",
        SLACK_API_URL: slack.url,
        SLACK_ALERT_CHANNEL: "C0WAL0001",
        PORT: "0",
        DATABASE_PATH: path,
        BACKFILL_DAYS: "3",
        LOG_LEVEL: "info",
      });
      running.push(bot);
      let peakWal = 0;
      const sampler = setInterval(() => {
        peakWal = Math.max(peakWal, size(`${path}-wal`));
      }, 50);
      const done = await bot.waitFor((l) => String(l.msg).startsWith("backfill done"), 150_000);
      clearInterval(sampler);
      expect(done.stored).toBeGreaterThan(120_000);
      // It is started again from its beginning past 16 MiB, kept to 64 MiB afterwards
      // (journal_size_limit): twice that leaves room for the writes of a pass, whatever the
      // backfill's length.
      expect(peakWal, `peak -wal ${(peakWal / MIB).toFixed(0)} MiB`).toBeLessThanOrEqual(128 * MIB);
      expect(peakWal).toBeGreaterThan(0); // sampled while it was written
    } finally {
      await sim.close();
      await slack.close();
    }
  }, 180_000);
});
