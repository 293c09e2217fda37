/**
 * The first start with a key the audit log refuses (403), as an admin makes it: the built CLI,
 * the simulated organization and the fake Slack Web API on 127.0.0.1. The admin watches the
 * channel: at the digest's time it says why there is no digest, not nothing.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator } from "../src/simulator/index.js";
import { startFakeSlack } from "./fakes/slack-api.js";
import { RunningCli } from "./helpers/cli.js";
import { cronAt } from "./helpers/cron.js";
import { tempDir } from "./helpers/tmp.js";

const TOKEN = "xoxb-first-start";
const CHANNEL = "C0FIRST01";

const running: RunningCli[] = [];
afterEach(() => {
  for (const cli of running.splice(0)) cli.child.kill("SIGKILL");
});

describe("the first start with a key the audit log refuses", () => {
  it("says in the channel, at the digest's time, that the log is not read, why and where to look", async () => {
    const now = Date.now();
    const sim = await startSimulator({
      seed: 3,
      orgId: "org-first",
      apiKey: "first-key",
      start: now - 3_600_000,
      intervalMs: 10_000,
      forbidden: true,
    });
    const slack = await startFakeSlack({ token: TOKEN });
    try {
      const cli = new RunningCli(["start"], {
        ATLASSIAN_API_BASE_URL: sim.url,
        ATLASSIAN_ORG_ID: "org-first",
        ATLASSIAN_API_KEY: "first-key",
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: "first-start-secret",
        SLACK_API_URL: slack.url,
        SLACK_ALERT_CHANNEL: CHANNEL,
        PORT: "0",
        DATABASE_PATH: join(tempDir(), "first.db"),
        POLL_INTERVAL_SECONDS: "60",
        BACKFILL_DAYS: "1",
        DIGEST_CRON: cronAt(now + 8_000),
        LOG_LEVEL: "info",
      });
      running.push(cli);
      await cli.port();
      await cli.waitFor((l) => l.level === 50 && String(l.msg).includes("was rejected"));

      const skipped = await cli.waitFor(
        (l) => l.component === "digest" && String(l.msg).includes("is not posted"),
        30_000,
      );
      expect(String(skipped.msg)).not.toContain("the history is still being read");
      expect(String(skipped.msg)).toContain("check ATLASSIAN_API_KEY");

      await slack.waitFor(() => slack.messages(CHANNEL).length > 0, 10_000, "the notice");
      const said = slack.messages(CHANNEL).map((m) => m.text);
      expect(said).toHaveLength(1);
      expect(said[0]).toContain("The daily digest due");
      expect(said[0]).toContain("has not been read since the first start");
      expect(said[0]).toContain("403");
      expect(said[0]).toContain("ATLASSIAN_API_KEY");
      expect(said[0]).toContain("`/mcp-activity status`");
    } finally {
      await sim.close();
      await slack.close();
    }
  }, 60_000);
});
