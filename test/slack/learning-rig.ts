/** The learning-from-responders test rig: see learningRig. */
import { registerAlertActions } from "../../src/slack/alerts/actions.js";
import { registerCommand } from "../../src/slack/commands/slash-command.js";
import { DAY } from "../../src/time-units.js";
import { boltApp } from "./bolt.js";
import { CHANNEL, slackRig } from "./setup.js";

export const RESPONDER = "URESP";
const PAT = { userId: "acc-pat", userEmail: "pat@example.com", userName: "Pat" };

/**
 * The real Bolt app answering alert buttons and the command, the fake Slack, and alerts about Pat
 * raised, posted, clicked and marked expected as responders do.
 */
export async function learningRig() {
  const r = await slackRig();
  r.slack.addUser({ id: RESPONDER, email: "resp@example.com" });
  r.slack.addUser({ id: "UPAT", email: "pat@example.com" });
  r.slack.addUser({ id: "UALICE", email: "alice@example.com" });
  r.slack.setMembers(CHANNEL, [RESPONDER, "UPAT"]);
  const b = await boltApp(r, (app, responders) => {
    registerAlertActions(app, r.actionDeps({ responders }));
    registerCommand(app, r.commandDeps({ responders }));
  });
  /** The alert's message in the channel, as Slack shows it now. */
  const message = (id: number) =>
    r.slack
      .messages(CHANNEL)
      .find((m) => m.metadata?.event_payload.alert_id === id && m.thread_ts === undefined);
  const shown = (id: number) => JSON.stringify(message(id)?.blocks ?? []);
  /** Raises an alert about Pat and posts it. */
  const raise = async (over: Parameters<typeof r.raise>[0] = {}) => {
    const now = r.clock.now();
    const id = r.raise({
      ...PAT,
      groupKey: `mcp-destructive|acc-pat|${now}`,
      firstSeen: now,
      lastSeen: now,
      createdAt: now,
      ...over,
    });
    await r.poster.drain();
    // A drain a click started may be sending it.
    await r.slack.waitFor(() => message(id) !== undefined, 5000, `alert ${id} posted`);
    return id;
  };
  /** A signed click on the alert's message, answered once the outbox has sent what it queued. */
  const click = async (action: string, id: number, user = RESPONDER, option?: string) => {
    const ts = message(id)?.ts ?? "";
    const noted = r.stores.trail.history("org-1", id).length;
    const answered = r.slack.responses.length;
    const where = { channel: CHANNEL, ts };
    const done = await b.click(action, user, option ?? String(id), where, option !== undefined);
    await r.slack.waitFor(
      () =>
        r.slack.responses.length > answered || r.stores.trail.history("org-1", id).length > noted,
      5000,
      `${action} on alert ${id}`,
    );
    await r.settled();
    await r.poster.drain();
    return done;
  };
  /** Raises and marks expected `n` alerts about Pat, one a day. */
  const markExpected = async (n: number) => {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const id = await raise();
      await b.click("alert_expected", RESPONDER, String(id), {
        channel: CHANNEL,
        ts: message(id)?.ts ?? "",
      });
      await r.slack.waitFor(() => r.alerts.get(id)?.status === "expected", 5000, "expected");
      await r.settled();
      await r.poster.drain();
      ids.push(id);
      r.clock.advance(DAY);
    }
    return ids;
  };
  const trail = (id: number) =>
    r.stores.trail.history("org-1", id).map((e) => `${e.actor} ${e.from}→${e.to} ${e.note ?? ""}`);
  const thread = (id: number) =>
    r.slack
      .messages(CHANNEL)
      .filter((m) => m.thread_ts !== undefined && m.thread_ts === message(id)?.ts)
      .map((m) => m.text);
  return { ...r, ...b, raise, click, markExpected, message, shown, trail, thread };
}
