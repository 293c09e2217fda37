/**
 * The same Atlassian account in two watched organizations: a responder's own account. Alpha's
 * audit log names it with their e-mail; Beta's names the same account without one (an e-mail is
 * optional in the audit log). A responder may not acknowledge an alert about themselves
 * (docs/deploy.md: "nobody may acknowledge, close, mute or snooze an alert about themselves"),
 * in Alpha or in Beta: it is one account, and still when Alpha is no longer watched.
 */
import { expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/index.js";
import type { FakeMessage } from "../fakes/slack-api.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { until } from "../helpers/until.js";
import {
  blockAction,
  buttonValue,
  CHANNEL,
  mcpCall,
  RESPONDER,
  startBot,
  startRig,
  startWorld,
} from "./rig.js";

/** A destructive call by the responder's own Atlassian account, with no e-mail in the event. */
function withoutEmail(sim: Simulator, id: string) {
  const call = mcpCall(sim, id, "Rita", "deleteJiraIssue", "acc-rita");
  const { email: _dropped, ...actor } = call.attributes.actor;
  return { ...call, attributes: { ...call.attributes, actor } };
}

it("a responder cannot acknowledge an alert about their own account in a second organization", async () => {
  const r = await startRig({ ids: ["org-alpha", "org-beta"], names: ["Alpha", "Beta"] });
  closeAfterTest(() => r.close());
  const [alpha, beta] = r.sims as [Simulator, Simulator];
  // Alpha: the responder's account, with their e-mail (responder@example.com, as in Slack).
  alpha.injectEvents([
    mcpCall(alpha, "a-r1", "Rita", "deleteJiraIssue", "acc-rita", "responder@example.com"),
  ]);
  // Beta: the same account, no e-mail.
  beta.injectEvents([withoutEmail(beta, "b-r1")]);
  const destructive = (org: string) => (m: FakeMessage) =>
    m.text.includes("deleteJiraIssue by Rita") && m.text.endsWith(`· ${org}`);
  await until(
    () =>
      r.slack.messages(CHANNEL).filter((m) => destructive("Alpha")(m) || destructive("Beta")(m))
        .length === 2,
    "both alerts about Rita",
    30_000,
  );
  const messages = r.slack.messages(CHANNEL);
  const click = async (m: FakeMessage, reply: string) => {
    const value = buttonValue(m, "alert_acknowledge") as string;
    await r.send(
      "interactive",
      blockAction(r.slack, RESPONDER, "alert_acknowledge", value, reply, { message: m }),
    );
    // Refused: an ephemeral reply says why. Taken: no reply, the message shows who handled it.
    await until(
      () =>
        r.slack.responses.some((x) => x.id === reply) ||
        JSON.stringify(r.slack.messages(CHANNEL).find((x) => x.ts === m.ts)).includes(
          `<@${RESPONDER}>`,
        ),
      `the outcome of ${reply}`,
      15_000,
    );
    const said = r.slack.responses.find((x) => x.id === reply)?.body;
    if (said) return JSON.stringify(said);
    const now = r.slack.messages(CHANNEL).find((x) => x.ts === m.ts);
    return `no refusal; the message now says: ${now?.text}`;
  };
  const alphaAlert = messages.find(destructive("Alpha")) as FakeMessage;
  const betaAlert = messages.find(destructive("Beta")) as FakeMessage;
  // Alpha: refused, the e-mail says it is theirs.
  expect(await click(alphaAlert, "ack-alpha")).toContain(
    "Someone else must handle alerts about you.",
  );
  // Beta: the same account, refused as well.
  expect(await click(betaAlert, "ack-beta")).toContain(
    "Someone else must handle alerts about you.",
  );
}, 90_000);

it("a responder cannot acknowledge an alert about their own account once the organization that knows their e-mail is no longer watched", async () => {
  const world = await startWorld({ ids: ["org-alpha", "org-beta"], names: ["Alpha", "Beta"] });
  closeAfterTest(() => world.close());
  const [alpha, beta] = world.sims as [Simulator, Simulator];
  const first = await startBot(world);
  alpha.injectEvents([
    mcpCall(alpha, "a-r1", "Rita", "deleteJiraIssue", "acc-rita", "responder@example.com"),
  ]);
  const about = (from: number) =>
    world.slack
      .messages(CHANNEL)
      .slice(from)
      .find((m) => m.text.includes("deleteJiraIssue by Rita"));
  await until(() => about(0) !== undefined, "Alpha's alert about Rita", 30_000);
  await first.app.stop();
  // ATLASSIAN_ORG_ID=org-beta: Alpha's events and people stay stored until retention prunes them.
  const bot = await startBot(world, { ids: ["org-beta"], backfills: 0 });
  closeAfterTest(() => bot.app.stop());
  const before = world.slack.messages(CHANNEL).length;
  beta.injectEvents([withoutEmail(beta, "b-r1")]);
  await until(() => about(before) !== undefined, "Beta's alert about Rita", 30_000);
  const m = about(before) as FakeMessage;
  const value = buttonValue(m, "alert_acknowledge") as string;
  await bot.send(
    "interactive",
    blockAction(world.slack, RESPONDER, "alert_acknowledge", value, "ack-beta", { message: m }),
  );
  await until(
    () =>
      world.slack.responses.some((x) => x.id === "ack-beta") ||
      JSON.stringify(world.slack.messages(CHANNEL).find((x) => x.ts === m.ts)).includes(
        `<@${RESPONDER}>`,
      ),
    "the outcome",
    15_000,
  );
  const said = world.slack.responses.find((x) => x.id === "ack-beta")?.body;
  expect(said ? JSON.stringify(said) : "no refusal: acknowledged").toContain(
    "Someone else must handle alerts about you.",
  );
}, 120_000);
