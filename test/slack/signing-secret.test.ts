import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SignatureChecks } from "../../src/slack/signatures.js";
import { HOUR, MINUTE } from "../../src/time-units.js";
import { startFakeSlack } from "../fakes/slack-api.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { RunningCli } from "../helpers/cli.js";
import { healthz } from "../helpers/health.js";
import { capturedLogger } from "../helpers/logs.js";
import { commandBody, postSigned } from "../helpers/slack-sign.js";
import { tempDir } from "../helpers/tmp.js";

const running: RunningCli[] = [];
afterEach(() => {
  for (const cli of running.splice(0)) cli.child.kill("SIGKILL");
});

interface Requests {
  refused: number;
  refusedFor: { signature: number; stale: number; unsigned: number };
  firstRefusedAt: string | null;
  lastVerifiedAt: string | null;
}

/**
 * HTTP mode with a SLACK_SIGNING_SECRET that is not the app's (the Client Secret or the
 * Verification Token, on the same Basic Information page): every command and click fails in
 * Slack with dispatch_failed, and Bolt's own line ("signature mismatch") named no variable, once
 * per request, for anyone who reaches the port to repeat.
 */
describe("Slack's requests signed with another secret than SLACK_SIGNING_SECRET", () => {
  it("are said once naming SLACK_SIGNING_SECRET, and counted in /healthz without making it 503", async () => {
    const slack = await startFakeSlack({ token: "xoxb-sign-token" });
    try {
      const cli = new RunningCli(["start"], {
        ATLASSIAN_ORG_ID: "org-1",
        ATLASSIAN_API_KEY: "atlassian-key",
        ATLASSIAN_API_BASE_URL: "http://127.0.0.1:9",
        SLACK_BOT_TOKEN: "xoxb-sign-token",
        SLACK_SIGNING_SECRET: "what-the-operator-pasted",
        SLACK_API_URL: slack.url,
        SLACK_ALERT_CHANNEL: "C0SIGN001",
        PORT: "0",
        HOST: "127.0.0.1",
        DATABASE_PATH: join(tempDir(), "sign.db"),
      });
      running.push(cli);
      const port = await cli.port();
      const events = `http://127.0.0.1:${port}/slack/events`;
      const command = (i: number) =>
        commandBody({
          command: "/mcp-activity",
          text: "help",
          user_id: "U0ASKER01",
          channel_id: "C0SIGN001",
          trigger_id: `t-${i}`,
          response_url: `${slack.url}response/${i}`,
        });
      for (let i = 0; i < 5; i++)
        expect((await postSigned(events, command(i), "the-apps-real-signing-secret")).status).toBe(
          401,
        );
      const refused = await healthz<{ status: string; slack: { requests: Requests } }>(port);
      expect(refused.status).toBe(200);
      expect(refused.body.slack.requests).toMatchObject({
        refused: 5,
        refusedFor: { signature: 5, stale: 0, unsigned: 0 },
        lastVerifiedAt: null,
      });
      expect(refused.body.slack.requests.firstRefusedAt).not.toBeNull();

      // One signed with the configured secret gets through, and is the last verified.
      expect((await postSigned(events, command(5), "what-the-operator-pasted")).status).toBe(200);
      const verified = await healthz<{ slack: { requests: Requests } }>(port);
      expect(verified.body.slack.requests.lastVerifiedAt).not.toBeNull();

      const about = cli.lines.filter(
        (line) =>
          Number(line.level) >= 30 &&
          /signature|verify|SLACK_SIGNING_SECRET/i.test(String(line.msg)),
      );
      expect(about.map((line) => line.msg)).toEqual([
        expect.stringMatching(
          /^requests at \/slack\/events fail their signature check \(1 since \S+\): if Slack shows dispatch_failed, SLACK_SIGNING_SECRET is not the app's Signing Secret \(Basic Information → App Credentials\)$/,
        ),
      ]);
    } finally {
      await slack.close();
    }
  }, 30_000);
});

describe("requests refused for their signature, over hours", () => {
  it("are said again at most hourly, with the count since the first", () => {
    const clock = new VirtualClock();
    const logs = capturedLogger("info");
    const checks = new SignatureChecks(clock, logs.logger);
    const first = new Date(clock.now()).toISOString();
    for (let i = 0; i < 30; i++) {
      checks.refused("signature mismatch");
      clock.advance(MINUTE);
    }
    clock.advance(30 * MINUTE);
    checks.refused("signature mismatch");
    expect(logs.lines().map((line) => line.msg)).toEqual([
      expect.stringContaining(`(1 since ${first})`),
      expect.stringContaining(`(31 since ${first})`),
    ]);
    expect(checks.state()).toEqual({
      refused: 31,
      refusedFor: { signature: 31, stale: 0, unsigned: 0, malformed: 0, tooLarge: 0 },
      clockBehind: 0,
      firstRefusedAt: Date.parse(first),
      lastVerifiedAt: null,
    });
    clock.advance(HOUR - MINUTE);
    checks.refused("signature mismatch");
    expect(logs.lines()).toHaveLength(2);
  });
});
