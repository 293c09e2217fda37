/**
 * The responders' look-up failing: the log line says Slack's code and what to fix, as the outbox
 * says of other failures (through the real Bolt app, a signed click and the fake Slack Web API).
 */
import { describe, expect, it } from "vitest";
import { registerAlertActions } from "../../src/slack/alerts/actions.js";
import type { SlackFault } from "../fakes/slack-api.js";
import { boltApp } from "./bolt.js";
import { RESPONDER } from "./commands/two-orgs-rig.js";
import { CHANNEL, slackRig } from "./setup.js";

const REFUSED = "buttons and commands that need one are refused until it works";

describe("the responders cannot be looked up", () => {
  it.each<[string, SlackFault, string]>([
    [
      "the alert channel not found",
      { error: "channel_not_found" },
      "(channel_not_found): check SLACK_ALERT_CHANNEL (a channel id such as C0123ABCD) and invite the bot there",
    ],
    [
      "a token Slack refuses",
      { error: "invalid_auth" },
      "(invalid_auth): SLACK_BOT_TOKEN is not valid: copy the Bot User OAuth Token again",
    ],
    [
      "errors answered",
      { status: 503 },
      "(HTTP 503): Slack, or a proxy on the way, answers with errors: see status.slack.com, and the proxy's log if one is set",
    ],
  ])("%s: the log says the code and what to fix", async (_label, fault, why) => {
    const r = await failingLookUp(fault);
    const id = r.raise();
    const click = await r.click("alert_acknowledge", RESPONDER, r.buttonRef(id));
    expect(await click.reply()).toBe(
      "The responders cannot be looked up right now; try again in a minute.",
    );
    const line = lookUpLine(r);
    expect(line?.msg).toBe(`could not look the responders up ${why}; ${REFUSED}`);
    expect(line?.level).toBe(40);
    expect(line?.code).toBe("error" in fault ? fault.error : "HTTP 503");
  });

  it("no answer: the log says so, and to check that this machine reaches Slack", async () => {
    const r = await failingLookUp({ drop: true });
    const id = r.raise();
    const click = await r.click("alert_acknowledge", RESPONDER, r.buttonRef(id));
    expect(await click.reply()).toBe(
      "The responders cannot be looked up right now; try again in a minute.",
    );
    expect(String(lookUpLine(r)?.msg)).toMatch(
      /^could not look the responders up \(.+\): check that this machine reaches Slack \(SLACK_API_URL, a proxy, the firewall\); buttons and commands that need one are refused until it works$/,
    );
  });

  it("a bug in the look-up (a TypeError): logged as a bug, with its stack, not as Slack out of reach", async () => {
    const r = await slackRig();
    r.slack.addUser({ id: RESPONDER, email: "resp@example.com" });
    r.slack.setMembers(CHANNEL, [RESPONDER]);
    const b = await boltApp(r, (app, responders) =>
      registerAlertActions(app, r.actionDeps({ responders })),
    );
    // An answer the look-up does not expect makes it throw a TypeError of its own.
    r.slack.failNext("conversations.members", { raw: '{"ok":true,"members":7}' }, 10);
    const id = r.raise();
    const click = await b.click("alert_acknowledge", RESPONDER, r.buttonRef(id));
    expect(await click.reply()).toBe(
      "The responders cannot be looked up right now; try again in a minute.",
    );
    const line = lookUpLine(r);
    expect(line?.level).toBe(50);
    expect(String(line?.msg)).toMatch(
      /^could not look the responders up: a bug in mcp-activity \(TypeError: .*is not iterable.*\), not a problem of Slack or the network: report it with this log line; /,
    );
    expect(String(line?.msg).endsWith(REFUSED)).toBe(true);
    expect(String(line?.msg)).not.toContain("reaches Slack");
    expect(String((line?.err as { stack?: string } | undefined)?.stack)).toMatch(
      /^TypeError: .*is not iterable.*\n\s+at .*responder-channel/,
    );
  });

  it("a bug in a refresh while the last known still hold: says they hold, not that all are refused", async () => {
    const r = await slackRig();
    r.slack.addUser({ id: RESPONDER, email: "resp@example.com" });
    r.slack.setMembers(CHANNEL, [RESPONDER]);
    let looker: { refresh(): Promise<void> } | undefined;
    await boltApp(r, (app, responders) => {
      looker = responders;
      registerAlertActions(app, r.actionDeps({ responders }));
    });
    await looker?.refresh();
    r.clock.advance(10 * 60_000); // past the five minutes a look-up is fresh
    r.slack.failNext("conversations.members", { raw: '{"ok":true,"members":7}' }, 10);
    await looker?.refresh();
    const line =
      r.logs.lines().find((l) => String(l.msg).startsWith("could not refresh the responders")) ??
      {};
    expect(line.level).toBe(50);
    expect(String(line.msg)).toMatch(/: a bug in mcp-activity \(TypeError: /);
    expect(String(line.msg)).toMatch(/; the last known stay \d+ min more at most$/);
  });
});

/** Bolt on the rig's fake Slack, whose next conversations.info (the channel's look-up) meets `fault`. */
async function failingLookUp(fault: SlackFault) {
  const r = await slackRig();
  r.slack.addUser({ id: RESPONDER, email: "resp@example.com" });
  r.slack.setMembers(CHANNEL, [RESPONDER]);
  const b = await boltApp(r, (app, responders) =>
    registerAlertActions(app, r.actionDeps({ responders })),
  );
  r.slack.failNext("conversations.info", fault, 10);
  return { ...r, ...b };
}

/** The warning of the look-up that failed with nobody known. */
function lookUpLine(r: { logs: { lines: () => Record<string, unknown>[] } }) {
  return r.logs.lines().find((l) => String(l.msg).startsWith("could not look the responders up"));
}
