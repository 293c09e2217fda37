import { describe, expect, it } from "vitest";
import { commandBody, nowSeconds, postSigned } from "../helpers/slack-sign.js";
import { boltApp, SECRET } from "./bolt.js";
import { slackRig } from "./setup.js";

/**
 * A request at /slack/events dated more than five minutes after this host's clock. Bolt refuses
 * only the old side; Slack's bound is five minutes either way. One signed with
 * SLACK_SIGNING_SECRET says this host's clock is behind Slack's (or someone holds a request of
 * Slack's dated ahead); one signed with another secret is a signature that fails.
 */
describe("a request dated an hour ahead at /slack/events", () => {
  const body = commandBody({ command: "/mcp-activity", text: "help", user_id: "U0ASKER01" });
  const said = (r: Awaited<ReturnType<typeof slackRig>>) =>
    r.logs
      .lines()
      .filter((line) => Number(line.level) >= 30 && /\/slack\/events/.test(String(line.msg)))
      .map((line) => String(line.msg));

  it("signed with SLACK_SIGNING_SECRET is refused as stale, naming this host's clock as behind", async () => {
    const r = await slackRig();
    const b = await boltApp(r, (app) => app.command("/mcp-activity", async ({ ack }) => ack()));
    const ahead = await postSigned(b.url, body, SECRET, { timestamp: nowSeconds() + 3600 });
    expect(ahead.status).toBe(401);
    expect(b.app.signatures?.state()).toMatchObject({
      refused: 1,
      refusedFor: { signature: 0, stale: 1, unsigned: 0, malformed: 0, tooLarge: 0 },
      clockBehind: 1,
      lastVerifiedAt: null,
    });
    expect(said(r)).toEqual([
      expect.stringMatching(
        /^requests at \/slack\/events refused as stale \(1 since .*\): dated more than 5 minutes ahead of this host's clock, which is behind Slack's \(check NTP\)$/,
      ),
    ]);
  });

  it("signed with another secret is refused for its signature", async () => {
    const r = await slackRig();
    const b = await boltApp(r, () => undefined);
    const forged = await postSigned(b.url, body, "not-the-apps-secret", {
      timestamp: nowSeconds() + 3600,
    });
    expect(forged.status).toBe(401);
    expect(b.app.signatures?.state()).toMatchObject({
      refusedFor: { signature: 1, stale: 0, unsigned: 0, malformed: 0, tooLarge: 0 },
      clockBehind: 0,
    });
  });

  it("is taken when dated less than five minutes ahead (Slack's clock a little ahead)", async () => {
    const r = await slackRig();
    const b = await boltApp(r, (app) => app.command("/mcp-activity", async ({ ack }) => ack()));
    const soon = await postSigned(b.url, body, SECRET, { timestamp: nowSeconds() + 120 });
    expect(soon.status).toBe(200);
    expect(b.app.signatures?.state().refused).toBe(0);
  });
});
