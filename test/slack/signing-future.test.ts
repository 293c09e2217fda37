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

/**
 * A captured request of Slack's, replayed with its timestamp header written another way for the
 * same number ('+T', '0T', 'T.0', 'Te0'): Bolt signs over `${Number(header)}`, so the signature
 * holds whatever the spelling. Slack writes whole seconds in plain digits; any other spelling is
 * refused before Bolt, whichever way the request is dated.
 */
describe("a request whose timestamp is written other than in plain digits", () => {
  const body = commandBody({ command: "/mcp-activity", text: "help", user_id: "U0ASKER01" });
  const spell = (spelling: string, t: number) =>
    spelling === "+" || spelling === "0" ? `${spelling}${t}` : `${t}${spelling}`;
  const cases = ["+", "0", ".0", "e0"].flatMap((spelling) => [
    { spelling, dated: "an hour ahead", offset: 3600 },
    { spelling, dated: "an hour old", offset: -3600 },
    { spelling, dated: "now", offset: 0 },
  ]);

  it.each(cases)(
    "with $spelling, dated $dated, is refused and counted as unsigned",
    async ({ spelling, offset }) => {
      const r = await slackRig();
      let ran = 0;
      const b = await boltApp(r, (app) =>
        app.command("/mcp-activity", async ({ ack }) => {
          ran++;
          await ack();
        }),
      );
      const t = nowSeconds() + offset;
      const replay = await postSigned(b.url, body, SECRET, {
        timestamp: t,
        headers: { "x-slack-request-timestamp": spell(spelling, t) },
      });
      expect({ status: replay.status, ran }).toEqual({ status: 401, ran: 0 });
      expect(b.app.signatures?.state()).toMatchObject({
        refused: 1,
        refusedFor: { signature: 0, stale: 0, unsigned: 1, malformed: 0, tooLarge: 0 },
        clockBehind: 0,
        lastVerifiedAt: null,
      });
    },
  );

  it("in plain digits, dated an hour old and signed with SLACK_SIGNING_SECRET, is still refused as stale", async () => {
    const r = await slackRig();
    const b = await boltApp(r, (app) => app.command("/mcp-activity", async ({ ack }) => ack()));
    const old = await postSigned(b.url, body, SECRET, { timestamp: nowSeconds() - 3600 });
    expect(old.status).toBe(401);
    expect(b.app.signatures?.state()).toMatchObject({
      refusedFor: { signature: 0, stale: 1, unsigned: 0, malformed: 0, tooLarge: 0 },
      clockBehind: 0,
    });
  });

  it("in plain digits, dated now, is taken", async () => {
    const r = await slackRig();
    const b = await boltApp(r, (app) => app.command("/mcp-activity", async ({ ack }) => ack()));
    const now = await postSigned(b.url, body, SECRET);
    expect(now.status).toBe(200);
    expect(b.app.signatures?.state()).toMatchObject({ refused: 0 });
  });
});
