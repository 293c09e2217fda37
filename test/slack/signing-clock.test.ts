import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeSlack } from "../fakes/slack-api.js";
import { RunningCli } from "../helpers/cli.js";
import { healthz } from "../helpers/health.js";
import { commandBody, nowSeconds, postSigned } from "../helpers/slack-sign.js";
import { tempDir } from "../helpers/tmp.js";

const running: RunningCli[] = [];
afterEach(() => {
  for (const cli of running.splice(0)) cli.child.kill("SIGKILL");
});

/**
 * HTTP mode on a host whose clock runs more than five minutes ahead of Slack's, or behind it (no
 * NTP in the container, a VM resumed from suspend): Slack's requests, signed with the right
 * SLACK_SIGNING_SECRET, are refused as stale. Blaming the secret would send the operator to copy one that was right.
 */
describe("Slack's requests refused for this host's clock, or unsigned", () => {
  it("are told apart from a wrong SLACK_SIGNING_SECRET, in the log and in /healthz", async () => {
    const secret = "the-apps-real-signing-secret";
    const slack = await startFakeSlack({ token: "xoxb-clock-token" });
    try {
      const cli = new RunningCli(["start"], {
        ATLASSIAN_ORG_ID: "org-1",
        ATLASSIAN_API_KEY: "atlassian-key",
        ATLASSIAN_API_BASE_URL: "http://127.0.0.1:9",
        SLACK_BOT_TOKEN: "xoxb-clock-token",
        SLACK_SIGNING_SECRET: secret,
        SLACK_API_URL: slack.url,
        SLACK_ALERT_CHANNEL: "C0CLOCK01",
        PORT: "0",
        HOST: "127.0.0.1",
        DATABASE_PATH: join(tempDir(), "clock.db"),
      });
      running.push(cli);
      const port = await cli.port();
      const events = `http://127.0.0.1:${port}/slack/events`;
      const body = commandBody({
        command: "/mcp-activity",
        text: "help",
        user_id: "U0ASKER01",
        channel_id: "C0CLOCK01",
        trigger_id: "t-1",
        response_url: `${slack.url}response/1`,
      });
      // Signed with the right secret, 10 minutes "ago" as this host's clock reads it.
      const stale = await postSigned(events, body, secret, { timestamp: nowSeconds() - 600 });
      expect(stale.status).toBe(401);
      // And one an hour "ahead": this host's clock behind Slack's.
      const ahead = await postSigned(events, body, secret, { timestamp: nowSeconds() + 3600 });
      expect(ahead.status).toBe(401);
      const unsigned = await fetch(events, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body,
      });
      expect(unsigned.status).toBe(401);

      const { body: health } = await healthz<{
        slack: { requests: { refused: number; refusedFor: Record<string, number> } };
      }>(port);
      expect(health.slack.requests).toMatchObject({
        refused: 3,
        refusedFor: { signature: 0, stale: 2, unsigned: 1 },
        clockBehind: 1,
      });
      const said = cli.lines
        .filter((l) => Number(l.level) >= 30 && /\/slack\/events/.test(String(l.msg)))
        .map((l) => [l.level, String(l.msg)]);
      expect(said).toEqual([
        [
          40,
          expect.stringMatching(
            /^requests at \/slack\/events refused as stale \(1 since \S+\): this host's clock is more than 5 minutes off Slack's \(check NTP\), or old requests of Slack's were sent again$/,
          ),
        ],
        [
          40,
          expect.stringMatching(
            /^requests at \/slack\/events refused as stale \(1 since \S+\): dated more than 5 minutes ahead of this host's clock, which is behind Slack's \(check NTP\)$/,
          ),
        ],
        [
          30,
          expect.stringMatching(
            /^unsigned requests at \/slack\/events refused \(1 since \S+\): Slack signs its own \(X-Slack-Signature\)$/,
          ),
        ],
      ]);
    } finally {
      await slack.close();
    }
  }, 30_000);
});
