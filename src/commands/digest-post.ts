import { type Clock, systemClock } from "../clock.js";
import { parseConfig } from "../config.js";
import { createDigest } from "../digest/compose.js";
import type { Logger } from "../logger.js";
import { createWebClient } from "../slack/client.js";
import { digestHandlers, queueDigest } from "../slack/digest-outbox.js";
import { API_URL_NOT_FOUND } from "../slack/failure.js";
import { SlackPauses } from "../slack/outbox/pauses.js";
import { SlackPoster } from "../slack/outbox/poster.js";
import { stalledAdvice } from "../slack/outbox/stalled.js";
import { ALERT_CHANNEL_SETUP, TOKEN_REFUSED } from "../slack/setup-codes.js";
import type { OutboxStore } from "../store/outbox.js";
import type { Repositories } from "../store/repositories.js";
import { DAY } from "../time-units.js";
import { stopPosting, stoppable } from "./digest-post-stop.js";

/** How long `digest --post` waits for its messages (sent by itself or by the running bot). */
const POST_WAIT_MS = 5 * 60_000;

/**
 * How long it goes on while every call fails, answered with an error (a 503) or not at all (out
 * of reach): Slack is not busy, it is down or not reached.
 */
const FAILING_WAIT_MS = 20_000;

/**
 * Delivers the digest's messages, or waits while another process does; how they stand then. It
 * stops early on a setup problem, or once every call has failed for FAILING_WAIT_MS (a rate limit
 * is not a failure: it waits that out).
 */
async function deliver(
  poster: SlackPoster,
  outbox: OutboxStore,
  ref: string,
  clock: Clock,
): Promise<ReturnType<OutboxStore["statesOf"]>> {
  const deadline = clock.now() + POST_WAIT_MS;
  for (;;) {
    await poster.drain();
    const states = outbox.statesOf(ref);
    const open = states.some((s) => s.state === "pending" || s.state === "claimed");
    const { lastError, failingSince } = poster.health();
    const now = clock.now();
    const failing = failingSince !== null && now - failingSince >= FAILING_WAIT_MS;
    if (!open || now >= deadline || lastError?.advice || failing) return states;
    await clock.sleep(1_000);
  }
}

/**
 * A setup problem of the command's own: its SLACK_BOT_TOKEN, its SLACK_API_URL, or its
 * SLACK_ALERT_CHANNEL (a channel code is a setup problem of the alert channel only, and the
 * command posts there alone). Others are the workspace's (a migration Slack ends by itself, a
 * scope the app lacks): the bot meets them too, and its messages wait until they are mended.
 */
const ownSetup = (code: string) =>
  TOKEN_REFUSED.has(code) || code === API_URL_NOT_FOUND || code in ALERT_CHANNEL_SETUP;

/** Said of a setup problem of the command's own: nothing it queued waits for the bot. */
const notPosted = (advice: string) =>
  `not posted: ${advice}. Nothing is left queued: run digest --post again once that is done.\n`;

/** What `digest --post` needs: the digest's own (as the schedule composes it), and where to say. */
export interface PostInput {
  readonly env: NodeJS.ProcessEnv;
  readonly stores: Repositories;
  readonly deps: Omit<Parameters<typeof createDigest>[0], "queue">;
  readonly logger: Logger;
  readonly now: number;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/**
 * Posts a digest of the last 24 hours to SLACK_ALERT_CHANNEL through the outbox, waiting for it
 * (sent by itself, or by the running bot if it claims it first); the exit code.
 */
export async function postDigest({
  env,
  stores,
  deps,
  logger,
  now,
  stdout,
  stderr,
}: PostInput): Promise<number> {
  const { orgId } = deps;
  const config = parseConfig(env);
  const channel = config.slack.alertChannel;
  const clock = systemClock;
  const pauses = new SlackPauses({ store: stores.pauses, clock, logger });
  const client = createWebClient(config.slack.botToken, config.slack.apiUrl, logger, {
    pauses,
  });
  let ref = "";
  // Only this digest's messages; if the running bot claims them first, it sends them.
  const poster = new SlackPoster({
    outbox: stores.outbox,
    pauses,
    client,
    clock,
    logger,
    alertChannel: channel,
    kinds: digestHandlers(stores.digests),
    only: (item) => item.ref === ref,
    oneShot: true,
  });
  // This shell's token and channel first: a setup problem of its own (a stale
  // SLACK_BOT_TOKEN, a channel the bot is not in) queues nothing for the bot to retry.
  await poster.verify();
  const setup = poster.health().lastError;
  if (setup?.advice && ownSetup(setup.code)) {
    stdout.write(notPosted(setup.advice));
    return 1;
  }
  const queue = (digest: Parameters<typeof queueDigest>[1], at: number) =>
    queueDigest(stores.outbox, digest, channel, at);
  const queued = () => stores.digests.byPeriod(orgId, "on-demand", now);
  // Ctrl-C while Slack makes it wait: withdrawn, or left to the bot once sending has begun.
  const stopped = (signal: NodeJS.Signals) =>
    stopPosting(stores, queued()?.id, signal, clock.now());
  const { digest, delivered } = await stoppable(
    async () => {
      await createDigest({ ...deps, queue }, "on-demand", now - DAY, now, { late: false }, now);
      const digest = queued();
      if (!digest) throw new Error("the digest was not recorded");
      ref = `digest:${digest.id}`;
      return { digest, delivered: await deliver(poster, stores.outbox, ref, clock) };
    },
    stopped,
    stderr,
  );
  let states = delivered;
  const { lastError: problem, unansweredSince, failingSince } = poster.health();
  // Stopped on a setup problem of its own met posting: the bot's token and channel may be
  // fine, so what waits is failed rather than left for the bot to meet again each minute.
  const failed =
    problem?.advice && ownSetup(problem.code)
      ? stores.outbox.failWaiting(ref, `${problem.code} (met by digest --post)`, clock.now())
      : 0;
  if (failed > 0) states = stores.outbox.statesOf(ref);
  const parent = states.find((s) => s.kind === "digest");
  // Failed here, not by Slack: settled as Slack's refusals are, so that no bot queues it.
  if (failed > 0 && parent?.state === "failed")
    stores.digests.markRefused(digest.id, parent.failure ?? "failed by digest --post");
  if (parent?.state === "delivered") {
    const lost = states.filter((s) => s.state === "failed");
    const note =
      lost.length > 0
        ? ` (not all of it: ${lost.map((s) => `${s.kind} ${s.failure}`).join("; ")})`
        : "";
    stdout.write(`digest posted to ${channel}${note}\n`);
    return 0;
  }
  if (parent?.state === "failed") {
    stdout.write(
      failed > 0 && problem?.advice
        ? notPosted(problem.advice)
        : `not posted: Slack refused it (${parent.failure})\n`,
    );
    return 1;
  }
  // Every call failed for FAILING_WAIT_MS since `since`.
  const failedFor = (since: number | null) =>
    since !== null && clock.now() - since >= FAILING_WAIT_MS;
  const why = !problem
    ? ""
    : problem.advice
      ? `${problem.advice}. `
      : failedFor(failingSince)
        ? `${failedFor(unansweredSince) ? "Slack answered none of its calls" : "every call to Slack failed"} for ${FAILING_WAIT_MS / 1000} s (${problem.code}): ${stalledAdvice(problem.code)}. `
        : `Slack has not taken it yet (${problem.code}). `;
  stdout.write(`not posted yet: ${why}It stays queued: the bot posts it once it can.\n`);
  return 1;
}
