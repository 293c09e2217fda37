import type { WebClient } from "@slack/web-api";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { Repositories } from "../store/repositories.js";
import { alertHandlers } from "./alerts/alert-handlers.js";
import { plainRenderer } from "./alerts/render.js";
import { digestHandlers } from "./digest-outbox.js";
import { HOME_KIND, homeHandler } from "./home/home-handler.js";
import type { SlackPauses } from "./outbox/pauses.js";
import { SlackPoster } from "./outbox/poster.js";
import type { PosterOptions } from "./outbox/poster-options.js";
import { attestationHandlers } from "./people/attestation.js";
import { followUpHandlers } from "./people/followup-handlers.js";

/** Every kind of message the app sends, and what each records once sent. */
export function allKinds(stores: Repositories): PosterOptions["kinds"] {
  return {
    ...alertHandlers(stores.deliveries, stores.outbox, plainRenderer(stores)),
    ...attestationHandlers(stores),
    ...followUpHandlers(stores),
    ...digestHandlers(stores.digests),
    notice: {},
    [HOME_KIND]: homeHandler(stores.outbox),
  };
}

/**
 * The bot's poster: it delivers every kind, after the producers queue what is due. What waits for
 * an earlier alert channel (SLACK_ALERT_CHANNEL changed, as the advice for an archived or missing
 * one says) goes to this one: the earlier one is no longer the alert channel, and Slack's refusal
 * there would fail it for good.
 */
export function createPoster(o: {
  stores: Repositories;
  client: WebClient;
  pauses: SlackPauses;
  clock: Clock;
  logger: Logger;
  alertChannel: string;
  producers: PosterOptions["producers"];
  onSent?: PosterOptions["onSent"];
  holdsInstanceLock?: boolean;
}): SlackPoster {
  for (const { from, posts } of o.stores.channelMove.moveTo(o.alertChannel))
    o.logger.info(
      { from, to: o.alertChannel, posts },
      `${posts} message${posts === 1 ? "" : "s"} waiting for ${from}, the alert channel before SLACK_ALERT_CHANNEL changed, will be posted to ${o.alertChannel}`,
    );
  return new SlackPoster({
    outbox: o.stores.outbox,
    pauses: o.pauses,
    client: o.client,
    clock: o.clock,
    logger: o.logger,
    alertChannel: o.alertChannel,
    kinds: allKinds(o.stores),
    producers: o.producers,
    onSent: o.onSent,
    holdsInstanceLock: o.holdsInstanceLock,
  });
}
