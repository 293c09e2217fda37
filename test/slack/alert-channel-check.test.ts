import { describe, expect, it } from "vitest";
import { deliveryProblem } from "../../src/slack/outbox/stalled.js";
import { MINUTE } from "../../src/time-units.js";
import { CHANNEL, slackRig } from "./setup.js";

/**
 * A SLACK_ALERT_CHANNEL that is wrong (a typo, a private channel the bot was never invited to:
 * Slack says channel_not_found for both) or a public one the bot is not in is seen when the bot
 * starts, not when the first alert or digest fails hours later: it is the outbox's setup problem,
 * which /healthz turns into 503 with its advice.
 */
describe("the alert channel, looked at when the bot starts", () => {
  it("that Slack does not show the bot is a setup problem naming SLACK_ALERT_CHANNEL, said once", async () => {
    const r = await slackRig();
    r.slack.failNext("conversations.info", { error: "channel_not_found" }, 100);
    expect(await r.poster.verify()).toBe(true);
    const { lastError } = r.poster.health();
    expect(lastError?.code).toBe("channel_not_found");
    expect(deliveryProblem(lastError, null, r.clock.now())).toBe(
      "check SLACK_ALERT_CHANNEL (a channel id such as C0123ABCD) and invite the bot there",
    );
    await r.poster.drain();
    r.clock.advance(MINUTE);
    await r.poster.drain(); // looked at again, still wrong: not said again
    expect(r.slack.callsTo("conversations.info")).toHaveLength(2);
    const said = r.logs
      .lines()
      .filter((l) => Number(l.level) >= 30 && /SLACK_ALERT_CHANNEL/.test(String(l.msg)));
    expect(said.map((l) => [l.level, l.msg])).toEqual([
      [
        50,
        "The alert channel cannot be posted to (channel_not_found): check SLACK_ALERT_CHANNEL (a channel id such as C0123ABCD) and invite the bot there. Messages stay queued.",
      ],
    ]);
  });

  it("that the bot is not in is not_in_channel until a look-up a minute on finds it invited", async () => {
    const r = await slackRig();
    r.slack.setChannel(CHANNEL, { is_private: false, is_member: false });
    await r.poster.verify();
    expect(r.poster.health().lastError?.advice).toBe(
      "invite the bot to the alert channel: /invite @mcp-activity in that channel",
    );
    r.slack.setChannel(CHANNEL, { is_private: false, is_member: true });
    await r.poster.drain();
    expect(r.poster.health().lastError?.code).toBe("not_in_channel"); // not looked at again yet
    r.clock.advance(MINUTE);
    await r.poster.drain();
    expect(r.poster.health().lastError).toBeNull();
    expect(r.logs.text()).toContain("Slack delivery works again");
  });

  it("that the bot may post to is no problem, and is not looked at again", async () => {
    const r = await slackRig();
    await r.poster.verify();
    expect(r.poster.health().lastError).toBeNull();
    r.clock.advance(10 * MINUTE);
    await r.poster.drain();
    expect(r.slack.callsTo("conversations.info")).toHaveLength(1);
  });
});

/**
 * An alert channel shared with another organization (Slack Connect) shows every alert, people's
 * e-mail addresses and AI-tool activity, to that organization's members too: said at start.
 */
describe("an alert channel shared outside the workspace", () => {
  const warned = (r: Awaited<ReturnType<typeof slackRig>>) =>
    r.logs
      .lines()
      .filter(
        (l) => Number(l.level) === 40 && /shared with another organization/.test(String(l.msg)),
      );

  it("with another organization (Slack Connect) is said at warn, naming it, once", async () => {
    const r = await slackRig();
    r.slack.setChannel(CHANNEL, { is_private: true, is_shared: true, is_ext_shared: true });
    await r.poster.verify();
    expect(warned(r).map((l) => l.msg)).toEqual([
      `the alert channel ${CHANNEL} is shared with another organization (Slack Connect): its people see every alert, with e-mail addresses and AI-tool activity; use a channel of this workspace alone for SLACK_ALERT_CHANNEL`,
    ]);
    expect(r.poster.health()).toMatchObject({
      alertChannelSharedExternally: true,
      lastError: null,
    });
    await r.poster.verify();
    r.clock.advance(10 * MINUTE);
    await r.poster.drain();
    expect(warned(r)).toHaveLength(1);
  });

  it("within the organization only (Enterprise Grid) is not warned of", async () => {
    const r = await slackRig();
    r.slack.setChannel(CHANNEL, { is_private: true, is_shared: true, is_org_shared: true });
    await r.poster.verify();
    expect(warned(r)).toHaveLength(0);
    expect(r.poster.health()).toMatchObject({ alertChannelSharedExternally: false });
  });

  it("is not known before the channel is looked up", async () => {
    const r = await slackRig();
    expect(r.poster.health()).toMatchObject({ alertChannelSharedExternally: null });
  });
});
