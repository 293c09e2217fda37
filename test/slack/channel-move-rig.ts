import { AlertOutbox } from "../../src/slack/alerts/alert-outbox.js";
import { joinedFrom } from "../../src/slack/alerts/joined-events.js";
import { createPoster } from "../../src/slack/delivery.js";
import { MINUTE } from "../../src/time-units.js";
import { CHANNEL, type slackRig } from "./setup.js";

/** The channel the operator moves the alerts to, as the advice for an archived channel says. */
export const NEW_CHANNEL = "C0NEWALERTS";

export type Rig = Awaited<ReturnType<typeof slackRig>>;

/** The bot started again with SLACK_ALERT_CHANNEL=`channel`, on the same database. */
export function restartedOn(r: Rig, channel: string) {
  const alertOutbox = new AlertOutbox({
    outbox: r.stores.outbox,
    deliveries: r.stores.deliveries,
    logger: r.logs.logger,
    orgId: "org-1",
    channel,
    render: r.render,
    now: () => r.clock.now(),
    joined: joinedFrom(r.stores),
    backlog: r.stores.channelBacklog,
  });
  return createPoster({
    stores: r.stores,
    client: r.client,
    pauses: r.pauses,
    clock: r.clock,
    logger: r.logs.logger,
    alertChannel: channel,
    producers: [(enough) => alertOutbox.produceSome(enough).more],
  });
}

/** `n` minutes of the poster's work on the rig's clock. */
export async function minutes(poster: { drain: () => Promise<number> }, r: Rig, n: number) {
  for (let i = 0; i < n; i++) {
    await poster.drain();
    r.clock.advance(MINUTE);
  }
}

/** A Slack call's parameters naming the first alert channel. */
export const toOld = (p: { channel?: unknown }) => p.channel === CHANNEL;
