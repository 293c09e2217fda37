import { describe, expect, it } from "vitest";
import { commandBody, nowSeconds, postSigned } from "../helpers/slack-sign.js";
import { boltApp, SECRET } from "./bolt.js";
import { slackRig } from "./setup.js";

/**
 * A request at /slack/events with a timestamp ten minutes old, on a host whose clock is right.
 * Bolt refuses any old timestamp before it looks at the signature: only one signed with
 * SLACK_SIGNING_SECRET says the clock is off; a forgery, a scanner or a replay signed with
 * another secret is a signature that fails, and must not send the operator to NTP.
 */
describe("a request ten minutes old at /slack/events", () => {
  const body = commandBody({ command: "/mcp-activity", text: "status", user_id: "U0ASKER01" });
  const said = (r: Awaited<ReturnType<typeof slackRig>>) =>
    r.logs
      .lines()
      .filter((line) => Number(line.level) >= 30 && /\/slack\/events/.test(String(line.msg)))
      .map((line) => String(line.msg));

  it("signed with another secret is refused for its signature, not blamed on the clock", async () => {
    const r = await slackRig();
    const b = await boltApp(r, () => undefined);
    const forged = await postSigned(b.url, body, "not-the-apps-secret", {
      timestamp: nowSeconds() - 600,
    });
    expect(forged.status).toBe(401);
    expect(b.app.signatures?.state().refusedFor).toEqual({
      signature: 1,
      stale: 0,
      unsigned: 0,
      malformed: 0,
      tooLarge: 0,
    });
    expect(said(r)).toEqual([
      expect.stringMatching(/^requests at \/slack\/events fail their signature check \(1 since /),
    ]);
  });

  it("signed with SLACK_SIGNING_SECRET is refused as stale, naming the clock", async () => {
    const r = await slackRig();
    const b = await boltApp(r, () => undefined);
    const old = await postSigned(b.url, body, SECRET, { timestamp: nowSeconds() - 600 });
    expect(old.status).toBe(401);
    expect(b.app.signatures?.state().refusedFor).toEqual({
      signature: 0,
      stale: 1,
      unsigned: 0,
      malformed: 0,
      tooLarge: 0,
    });
    expect(said(r)).toEqual([
      expect.stringMatching(
        /^requests at \/slack\/events refused as stale \(1 since .*\(check NTP\), or old requests of Slack's were sent again$/,
      ),
    ]);
  });
});
