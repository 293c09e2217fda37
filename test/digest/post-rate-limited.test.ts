import { describe, expect, it } from "vitest";
import { startFakeSlack } from "../fakes/slack-api.js";
import { runCli } from "../helpers/cli.js";
import { simulatedOrg } from "../helpers/simulated.js";

describe("digest --post while Slack rate-limits it", () => {
  it("waits out the pause Slack asks for (longer than its 20 s for an outage), then posts", async () => {
    const { env } = await simulatedOrg(3000);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    const slack = await startFakeSlack();
    try {
      slack.failNext("chat.postMessage", { status: 429, retryAfter: 25 });
      const result = await runCli(["digest", "--post"], {
        ...env,
        SLACK_BOT_TOKEN: "xoxb-test",
        SLACK_SIGNING_SECRET: "secret",
        SLACK_ALERT_CHANNEL: "C0123ABCD",
        SLACK_API_URL: slack.url,
      });
      expect(result.code, result.stdout).toBe(0);
      expect(result.stdout).toBe("digest posted to C0123ABCD\n");
      expect(slack.callsTo("chat.postMessage")[0]?.fault).toMatchObject({ status: 429 });
    } finally {
      await slack.close();
    }
  }, 180_000);
});
