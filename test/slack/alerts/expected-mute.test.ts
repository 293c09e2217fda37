/** "Expected, mute 7 days" and its undo, through real Bolt, signed clicks and the fake Slack. */
import { describe, expect, it } from "vitest";
import { parseRulesText } from "../../../src/detect/rules-file.js";
import { registerAlertActions } from "../../../src/slack/alerts/actions.js";
import { person } from "../../../src/slack/alerts/unmute.js";
import { SlackDirectory } from "../../../src/slack/directory.js";
import { registerAskActions } from "../../../src/slack/people/ask-actions.js";
import { FollowUps } from "../../../src/slack/people/followups.js";
import { boltApp } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

const RESPONDER = "URESP";
const GROUP = "S0SECTEAM";

async function rig() {
  const r = await slackRig();
  const rules = parseRulesText("", "rules.yml");
  r.slack.setUsergroup(GROUP, [RESPONDER]);
  r.slack.addUser({ id: RESPONDER, name: "resp", email: "resp@example.com" });
  let followUps: FollowUps | undefined;
  const b = await boltApp(
    r,
    (app, responders) => {
      const deps = r.actionDeps({
        responders,
        reminderAfter: (from) => followUps?.reminderAfter(from) ?? null,
      });
      registerAlertActions(app, deps);
      registerAskActions(app, deps);
    },
    { responders: GROUP },
  );
  followUps = new FollowUps({
    stores: r.stores,
    clock: r.clock,
    logger: r.logs.logger,
    orgId: "org-1",
    rules,
    directory: new SlackDirectory({ client: r.client, clock: r.clock }),
    responders: b.responders,
  });
  const pass = async () => {
    await followUps?.pass();
    await r.poster.drain();
  };
  const post = async (...args: Parameters<typeof r.raise>) => {
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
  return { ...r, b, pass, post, thread, top };
}

describe("'Expected, mute 7 days'", () => {
  it("says in the alert's thread what is muted and until when", async () => {
    const a = await rig();
    const { id, where } = await a.post({ ruleId: "mcp-write", severity: "low" });
    const sent = await a.b.click("alert_expected_mute", RESPONDER, String(id), where);
    expect(sent.status).toBe(200);
    await a.slack.waitFor(() => (a.top(where.ts)?.updates ?? 0) > 0, 5000, "the update");
    await a.settled();
    const shown = JSON.stringify(a.top(where.ts)?.blocks) + a.thread(where.ts).join("\n");
    expect(shown).toContain("Marked expected");
    expect(a.thread(where.ts)).toEqual([
      expect.stringMatching(
        /^🔕 <@URESP> marked this expected and muted mcp-write alerts about .+ until <!date\^\d+\^.+>: they are still stored and counted, not posted\. Undo \(reopen\) ends the mute\.$/,
      ),
    ]);
  });
});

describe("'Undo (reopen)' after 'Expected, mute 7 days'", () => {
  it("ends the mute the click started, and says so", async () => {
    const a = await rig();
    const { id, where } = await a.post({ ruleId: "mcp-write", severity: "low" });
    await a.b.click("alert_expected_mute", RESPONDER, String(id), where);
    await a.slack.waitFor(() => (a.top(where.ts)?.updates ?? 0) > 0, 5000, "the update");
    await a.settled();
    const alert = a.stores.alerts.get(id);
    if (!alert) throw new Error("no alert");

    expect(a.stores.mutes.running("org-1", "mcp-write", person(alert), a.clock.now())).toHaveLength(
      1,
    );
    await a.b.click("alert_reopen", RESPONDER, String(id), where);
    await a.slack.waitFor(() => (a.top(where.ts)?.updates ?? 0) > 1, 5000, "the second update");
    await a.settled();
    expect(a.stores.alerts.get(id)?.status).toBe("open");
    expect(a.stores.mutes.running("org-1", "mcp-write", person(alert), a.clock.now())).toHaveLength(
      0,
    );
    expect(a.thread(where.ts)[1]).toMatch(/^🔔 <@URESP> ended the mute of mcp-write alerts about /);
  });
});

describe("'Undo (reopen)' of an alert marked plain Expected", () => {
  it("ends no mute: another alert's snooze of the rule and person stays", async () => {
    const a = await rig();
    const bob = { ruleId: "mcp-write", severity: "low", userId: "acct-bob" } as const;
    const first = await a.post({ ...bob, groupKey: "mcp-write|acct-bob|1" });
    await a.b.click("alert_expected", RESPONDER, String(first.id), first.where);
    await a.slack.waitFor(() => (a.top(first.where.ts)?.updates ?? 0) > 0, 5000, "the update");
    await a.settled();
    const second = await a.post({ ...bob, groupKey: "mcp-write|acct-bob|2" });
    await a.b.click("alert_snooze", RESPONDER, `${second.id}:24`, second.where, true);
    const alert = a.stores.alerts.get(first.id);
    if (!alert) throw new Error("no alert");
    const running = () =>
      a.stores.mutes.running("org-1", "mcp-write", person(alert), a.clock.now());
    await a.slack.waitFor(() => running().length === 1, 5000, "the snooze");
    await a.settled();
    await a.b.click("alert_reopen", RESPONDER, String(first.id), first.where);
    await a.slack.waitFor(() => (a.top(first.where.ts)?.updates ?? 0) > 1, 5000, "the update");
    await a.settled();
    expect(a.stores.alerts.get(first.id)?.status).toBe("open");
    expect(running()).toMatchObject([{ reason: expect.stringMatching(/^snoozed/) }]);
    expect(a.thread(first.where.ts)).toEqual([]);
  });
});
