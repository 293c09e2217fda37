/** The rig of clicks on alerts and their follow-ups: real Bolt, the fake Slack, a virtual clock. */
import { expect } from "vitest";
import { parseRulesText } from "../../../src/detect/rules-file.js";
import { registerAlertActions } from "../../../src/slack/alerts/actions.js";
import type { AlertOutboxOptions } from "../../../src/slack/alerts/alert-outbox.js";
import { SlackDirectory } from "../../../src/slack/directory.js";
import { registerAskActions } from "../../../src/slack/people/ask-actions.js";
import { FollowUps } from "../../../src/slack/people/followups.js";
import { FollowUpStore } from "../../../src/store/followups.js";
import { TrailStore } from "../../../src/store/trail.js";
import { boltApp } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

export const RESPONDER = "URESP";
export const ALICE = "UALICE";
export const GROUP = "S0SECTEAM";

/**
 * Responders in a user group, Alice in Slack, follow-ups with the rules given; `organization`:
 * the name org-1 goes by when several organizations are watched; `producer`: the alert
 * producer's options (its summary's size).
 */
export async function askRig(
  rulesYaml = "",
  o: { organization?: string; producer?: Partial<AlertOutboxOptions> } = {},
) {
  const r = await slackRig(o.producer);
  const rules = parseRulesText(rulesYaml, "rules.yml");
  r.slack.setUsergroup(GROUP, [RESPONDER]);
  r.slack.addUser({ id: ALICE, name: "alice", email: "p1@example.com" });
  r.slack.addUser({ id: RESPONDER, name: "resp", email: "resp@example.com" });
  const b = await boltApp(
    r,
    (app, responders) => {
      const base = r.actionDeps({
        responders,
        expectedOnYes: rules.ask.expectedOnYes,
        reminderAfter: (from) => followUps.reminderAfter(from),
      });
      const deps = { ...base, triage: { ...base.triage, organization: () => o.organization } };
      registerAlertActions(app, deps);
      registerAskActions(app, deps);
    },
    { responders: GROUP },
  );
  const makeFollowUps = () =>
    new FollowUps({
      stores: r.stores,
      clock: r.clock,
      logger: r.logs.logger,
      orgId: "org-1",
      orgIds: ["org-1"],
      rules,
      directory: new SlackDirectory({ client: r.client, clock: r.clock }),
      responders: b.responders,
      organization: () => o.organization,
    });
  const followUps = makeFollowUps();
  /** One follow-up pass, and the messages it queued sent. */
  const pass = async (of = followUps) => {
    await of.pass();
    await r.poster.drain();
  };
  /** A signed click on a button (or an overflow option) of the message at `where`: taken. */
  const click = async (...args: Parameters<typeof b.click>) => {
    const sent = await b.click(...args);
    expect(sent.status).toBe(200);
    return sent;
  };
  /** Raises an alert, posts it, and runs one follow-up pass. */
  const postAlert = async (...args: Parameters<typeof r.raise>) => {
    const id = r.raise(...args);
    await r.poster.drain();
    await pass();
    const message = r.slack
      .messages(CHANNEL)
      .find((m) => JSON.stringify(m.blocks ?? []).includes(`"alert_actions_${id}"`));
    return { id, where: { channel: CHANNEL, ts: message?.ts ?? "" } };
  };
  const thread = (ts: string) =>
    r.slack
      .messages(CHANNEL)
      .filter((m) => m.thread_ts === ts && m.ts !== ts)
      .map((m) => m.text);
  const top = (ts: string) => r.slack.messages(CHANNEL).find((m) => m.ts === ts);
  const dm = () => r.slack.messages(r.slack.dmChannel(ALICE));
  const waitForThread = (ts: string, text: string) =>
    r.slack.waitFor(
      () => thread(ts).some((t) => t.includes(text)),
      5000,
      `"${text}" in the thread`,
    );
  return {
    ...r,
    rules,
    followUps,
    makeFollowUps,
    pass,
    click,
    postAlert,
    thread,
    top,
    dm,
    waitForThread,
    trail: new TrailStore(r.db),
    store: new FollowUpStore(r.db),
  };
}

/** An alert of a first use by `email` (the i-th person): Alice is p1@example.com. */
export const firstUse = (email: string, i: number) => ({
  severity: "medium" as const,
  ruleId: "mcp-first-use",
  groupKey: `mcp-first-use|acc-${i}`,
  title: `First MCP call by ${email} with Claude`,
  userId: `acc-${i}`,
  userName: email,
  userEmail: email,
});
