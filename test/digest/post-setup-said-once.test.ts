/**
 * `digest --post` from a shell meeting a setup problem of its own (a channel the bot is not in, a
 * stale SLACK_BOT_TOKEN): the command fails what it queued and says so once, on stdout; its log
 * does not say the messages stay queued.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { runCli } from "../helpers/cli.js";
import { simulatedOrg } from "../helpers/simulated.js";

const TOKEN = "xoxb-said-once";
const CHANNEL = "C0SAIDONE";

const closing: FakeSlack[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((c) => c.close()));
});

async function posting(token: string, fault?: { error: string }) {
  const { env } = await simulatedOrg(300);
  expect((await runCli(["poll", "--once"], env)).code).toBe(0);
  const slack = await startFakeSlack({ token: TOKEN });
  closing.push(slack);
  slack.setMembers(CHANNEL, ["U0RESP"]);
  if (fault) slack.failNext("chat.postMessage", fault, 100);
  return runCli(["digest", "--post"], {
    ...env,
    LOG_LEVEL: "info",
    SLACK_BOT_TOKEN: token,
    SLACK_SIGNING_SECRET: "s",
    SLACK_API_URL: slack.url,
    SLACK_ALERT_CHANNEL: CHANNEL,
  });
}

describe("digest --post meeting a setup problem of its own", () => {
  it("not_in_channel: the not posted line alone, no 'stay queued' in the log", async () => {
    const cli = await posting(TOKEN, { error: "not_in_channel" });
    expect(cli.code, cli.stderr).toBe(1);
    expect(cli.stdout).toBe(
      "not posted: invite the bot to the alert channel: /invite @mcp-activity in that channel. Nothing is left queued: run digest --post again once that is done.\n",
    );
    expect(cli.stderr).not.toMatch(/stay queued/i);
  }, 120_000);

  it("invalid_auth: the not posted line alone, no 'stay queued' in the log", async () => {
    const cli = await posting("xoxb-stale");
    expect(cli.code, cli.stderr).toBe(1);
    expect(cli.stdout).toBe(
      "not posted: SLACK_BOT_TOKEN is not valid: copy the Bot User OAuth Token again. Nothing is left queued: run digest --post again once that is done.\n",
    );
    expect(cli.stderr).not.toMatch(/stay queued/i);
  }, 120_000);
});
