/**
 * A user group of SLACK_RESPONDERS deleted or disabled while the bot runs, and the groups'
 * look-ups failing for a while: who may still act, and what the operator is told.
 */
import { describe, expect, it } from "vitest";
import { registerAlertActions } from "../../src/slack/alerts/actions.js";
import { MINUTE } from "../../src/time-units.js";
import { sendCommand } from "../fakes/slack-command.js";
import { CHANNEL as APP_CHANNEL, logged, startFaultyApp } from "../faults/harness.js";
import { until } from "../helpers/until.js";
import { boltApp } from "./bolt.js";
import { CHANNEL, slackRig } from "./setup.js";

const NAMED = "U0NAMED"; // named alone in SLACK_RESPONDERS
const TEAM = "S0TEAM"; // the responder user group
const MEMBER = "U0MEMBER"; // a member of it
/** pino's level of error lines. */
const ERROR = 50;
const ADVICE = `remove ${TEAM} from SLACK_RESPONDERS or re-enable the group`;

async function rig() {
  const r = await slackRig();
  r.slack.addUser({ id: NAMED, email: "named@example.com" });
  r.slack.addUser({ id: MEMBER, email: "member@example.com" });
  r.slack.setUsergroup(TEAM, [MEMBER]);
  const b = await boltApp(
    r,
    (app, responders) => registerAlertActions(app, r.actionDeps({ responders })),
    { responders: `${NAMED},${TEAM}` },
  );
  /** A new alert, posted; a click on its Acknowledge by `user`. */
  const ackNew = async (user: string) => {
    const id = r.raise({ title: `alert for ${user}` });
    await r.poster.drain();
    const ts = r.slack.messages(CHANNEL).at(-1)?.ts ?? "";
    const click = await b.click("alert_acknowledge", user, String(id), { channel: CHANNEL, ts });
    return { id, click };
  };
  const acknowledged = (id: number) =>
    r.slack.waitFor(() => r.alerts.get(id)?.status === "acknowledged", 5000, `alert ${id} acked`);
  /** What became of a click: the alert acknowledged, or the refusal it was answered with. */
  const outcome = ({ id, click }: Awaited<ReturnType<typeof ackNew>>) =>
    Promise.race([click.reply(), acknowledged(id).then(() => "acknowledged")]);
  const errors = () => r.logs.lines().filter((line) => line.level === ERROR);
  return { ...r, ...b, ackNew, acknowledged, outcome, errors };
}

describe("a responder user group deleted or disabled while the bot runs", () => {
  it("its former members stop being responders at the next look-up, and the log says so once", async () => {
    const r = await rig();
    const first = await r.ackNew(MEMBER);
    await r.acknowledged(first.id);

    // Deleted or disabled: Slack answers no_such_subteam from now on. An answer, not a look-up
    // failing for a while: the group has no members.
    r.slack.failNext("usergroups.users.list", { error: "no_such_subteam" }, 1000);
    r.clock.advance(10 * MINUTE);
    const later = await r.ackNew(MEMBER);
    expect(await r.outcome(later)).toMatch(/^Only responders can do this/);
    expect(r.alerts.get(later.id)?.status).toBe("open");

    r.clock.advance(10 * MINUTE);
    const again = await r.ackNew(MEMBER);
    expect(await r.outcome(again)).toMatch(/^Only responders can do this/);
    const errors = r.errors();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ groups: [TEAM] });
    expect(String(errors[0]?.msg)).toContain(ADVICE);
  });

  it("the responder named alone keeps acting, and /healthz names the group and what to do", async () => {
    const r = await rig();
    await r.responders.refresh();
    r.slack.failNext("usergroups.users.list", { error: "no_such_subteam" }, 1000);
    r.clock.advance(2 * 60 * MINUTE);
    // Not "The responders cannot be looked up right now; try again in a minute.": waiting would
    // never change it, and NAMED needs no look-up at all.
    const named = await r.ackNew(NAMED);
    expect(await r.outcome(named)).toBe("acknowledged");
    expect(r.responders.status()).toBe(
      `SLACK_RESPONDERS (2); ${TEAM} makes nobody a responder: Slack knows no such enabled group (no_such_subteam): ${ADVICE}`,
    );
  });
});

describe("the responder user groups' look-ups failing past the hour", () => {
  it("refuses the groups' members, never the users SLACK_RESPONDERS names", async () => {
    const r = await rig();
    await r.responders.refresh();
    r.slack.failNext("usergroups.users.list", { error: "internal_error" }, 1000);
    r.clock.advance(2 * 60 * MINUTE);

    const member = await r.ackNew(MEMBER);
    expect(await r.outcome(member)).toBe(
      "The responders cannot be looked up right now; try again in a minute.",
    );
    expect(r.alerts.get(member.id)?.status).toBe("open");
    const named = await r.ackNew(NAMED);
    expect(await r.outcome(named)).toBe("acknowledged");
    expect(r.responders.status()).toBe(
      "SLACK_RESPONDERS (2); its user groups could not be looked up (internal_error): only the users it names may handle alerts until they are",
    );
    expect(r.errors()).toHaveLength(0); // it may heal by itself: a warning, not an error
  });
});

describe("the running app with a responder group Slack does not know", () => {
  it("says so from the start in the log, /healthz and /mcp-activity status", async () => {
    const r = await startFaultyApp({ env: { SLACK_RESPONDERS: `${NAMED},${TEAM}` } });
    r.slack.addUser({ id: NAMED, email: "named@example.com" });
    await until(() => logged(r, ADVICE).length > 0, "the log line");
    expect(logged(r, ADVICE)).toMatchObject([{ level: ERROR, groups: [TEAM] }]);

    const health = await r.health();
    expect(health.body.slack.responders).toContain(ADVICE);

    const url = `http://127.0.0.1:${r.app.port}/slack/events`;
    const asked = await sendCommand(r.slack, url, "secret", "status-1", {
      text: "status",
      user_id: NAMED,
      channel_id: APP_CHANNEL,
    });
    expect(asked.status).toBe(200);
    await until(() => r.slack.responses.some((x) => x.id === "status-1"), "the status reply");
    const reply = JSON.stringify(r.slack.responses.find((x) => x.id === "status-1")?.body);
    expect(reply).toContain(ADVICE);
  });
});
