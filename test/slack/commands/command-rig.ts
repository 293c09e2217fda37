/**
 * `/mcp-activity` through the real Bolt app on 127.0.0.1, signed: a responder (URESP, a member of
 * the private alert channel), Alice (UALICE, not one), and these calls stored in a real SQLite
 * file, the first poll done.
 */
import type { NormalizedEvent } from "../../../src/domain/event.js";
import type { StatusFigures } from "../../../src/domain/status.js";
import type { CommandDeps } from "../../../src/slack/commands/slash-command.js";
import { registerCommand } from "../../../src/slack/commands/slash-command.js";
import { EventStore } from "../../../src/store/events.js";
import { MINUTE } from "../../../src/time-units.js";
import { normalizedEvent, T0 } from "../../detect/fixtures.js";
import { boltApp } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

/** What `status` says of a healthy bot that polled at T0. */
export const healthyStatus = (): StatusFigures => ({
  healthy: true,
  lastPoll: T0,
  lagSeconds: 1,
  lastEvent: T0,
  mcpActionKeys: [],
  pendingDeliveries: 0,
  quarantined: 0,
  backfilling: null,
  problems: [],
});

/** The rig: the Slack rig and its Bolt app; `events` stored a minute apart back from T0. */
export async function commandRig(
  events: Array<Partial<NormalizedEvent>> = [{}],
  deps: Partial<Omit<CommandDeps, "responders">> = {},
) {
  const r = await slackRig();
  r.clock.advance(60 * MINUTE);
  r.slack.setMembers(CHANNEL, ["URESP"]);
  r.slack.addUser({ id: "URESP", name: "resp", email: "resp@example.com", tz: "UTC" });
  r.slack.addUser({ id: "UALICE", name: "alice", email: "alice@example.com", tz: "UTC" });
  const b = await boltApp(r, (app, responders) =>
    registerCommand(app, r.commandDeps({ responders, ...deps })),
  );
  const base = normalizedEvent();
  new EventStore(r.db).insertMany(
    events.map((e, i) => ({ ...base, id: `e-${i}`, time: T0 - i * MINUTE, ...e })),
    T0,
  );
  const polled = { orgId: "org-1", cursor: null, lastProcessedAt: T0, backfillFrom: null };
  r.stores.pollStates.save({ ...polled, backfillUntil: T0, backfillDone: true }, T0);
  return { ...r, ...b };
}
