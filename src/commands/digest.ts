import { writeFileSync } from "node:fs";
import { type Clock, systemClock } from "../clock.js";
import { parseConfig, parseOrgIds, parseStoreConfig } from "../config.js";
import { createDigest } from "../digest/compose.js";
import { AppError, UsageError } from "../errors.js";
import { lagSeconds } from "../ingest/poll-position.js";
import { loadRulesFile } from "../load-rules.js";
import { createLogger } from "../logger.js";
import { WatchedOrgs } from "../organizations.js";
import { createWebClient } from "../slack/client.js";
import { digestHandlers, queueDigest } from "../slack/digest-outbox.js";
import { API_URL_NOT_FOUND } from "../slack/failure.js";
import { SlackPauses } from "../slack/outbox/pauses.js";
import { SlackPoster } from "../slack/outbox/poster.js";
import { stalledAdvice } from "../slack/outbox/stalled.js";
import { ALERT_CHANNEL_SETUP, TOKEN_REFUSED } from "../slack/setup-codes.js";
import { openCommandStore } from "../store/open.js";
import type { OutboxStore } from "../store/outbox.js";
import { type Repositories, repositories } from "../store/repositories.js";
import { spelledOut } from "../terminal-text.js";
import { DAY } from "../time-units.js";
import type { Command } from "./command.js";
import { stopPosting, stoppable } from "./digest-post-stop.js";
import { dayOf, previewDigest } from "./digest-preview.js";
import { NO_EVENTS_YET, orgOption, storedOrgOption } from "./options.js";
import { prunedLine } from "./pruned-line.js";

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

/** Health figures for a digest made outside the running bot: what the database knows. */
function storedHealth(stores: Repositories, orgId: string, now: number) {
  return {
    lagSeconds: lagSeconds(stores.pollStates.get(orgId), now),
    quarantined: stores.quarantine.countFor(orgId),
    keyRejected: false,
    lastError: null,
    outsideBot: true,
  };
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

/** Said while the organization's first poll is still reading the audit log's history. */
const BACKFILLING =
  "the bot's first poll is still reading the audit log's history, so a digest now would leave out what is not read yet";

/** The options `digest --dry-run` takes, checked together: clear words for what does not combine. */
function checkOptions(values: Record<string, string | boolean | undefined>): void {
  if ((values["dry-run"] === true) === (values.post === true))
    throw new UsageError("choose one of --dry-run or --post");
  const previewOnly = ["date", "last", "weekly", "chart"].filter((o) => values[o] !== undefined);
  if (values.post === true && previewOnly.length > 0)
    throw new UsageError(
      `--${previewOnly[0]} goes with --dry-run: --post posts the last 24 hours, now`,
    );
  if (values.last === true && values.date !== undefined)
    throw new UsageError("choose one of --last or --date");
  if (typeof values.date === "string") dayOf(values.date);
}

export const digestCommand: Command = {
  name: "digest",
  summary: "print a digest (--dry-run: the next as if posted now, --last, --date) or post one now",
  help: `Usage: mcp-activity digest --dry-run [--last | --date YYYY-MM-DD] [--weekly] [--chart FILE]
                            [--org ID]
       mcp-activity digest --post [--org ID]

--dry-run   prints, as readable text and posting nothing, what the next digest would say if it
            were posted now: the time since the last scheduled digest (DIGEST_CRON in
            DIGEST_TIMEZONE) up to now
  --last    the last scheduled digest instead: as recorded when the bot made it, else composed
            over its period (from the end of the digest before it)
  --date    the digest scheduled on that day, the same way, once it is due
  --weekly  the weekly digest (DIGEST_WEEKLY_CRON) instead of the daily one
  --chart FILE  also writes its PNG chart there
--post      posts a digest of the last 24 hours to SLACK_ALERT_CHANNEL now (needs what start
            needs), through the same outbox as the bot: if the bot runs, whichever of the two
            claims a message sends it, never both; the schedule is not affected
--org ID    the organization (default: the first of ATLASSIAN_ORG_ID, else the first stored)`,
  options: {
    "dry-run": { type: "boolean" },
    post: { type: "boolean" },
    date: { type: "string" },
    last: { type: "boolean" },
    weekly: { type: "boolean" },
    chart: { type: "string" },
    org: { type: "string" },
  },
  async run({ values }, { env, stdout, stderr }) {
    checkOptions(values);
    const store = parseStoreConfig(env);
    const listed = parseOrgIds(env);
    const weeklyCron = store.digest.weeklyCron;
    if (values.weekly === true && weeklyCron === undefined)
      throw new UsageError(
        'DIGEST_WEEKLY_CRON is not set, so there is no weekly digest: set it to preview one, e.g. DIGEST_WEEKLY_CRON="0 9 * * 1" mcp-activity digest --dry-run --weekly',
      );
    const db = openCommandStore(store.databasePath, {
      existing: true,
      writes: values.post === true,
      beforeUpgrade: () => loadRulesFile(store.rulesFile),
    });
    const stores = repositories(db);
    const logger = createLogger({ level: store.logLevel, format: store.logFormat, fd: 2 });
    try {
      const orgs = stores.events.orgs();
      const known = [...new Set([...orgs, ...stores.digests.orgs()])];
      const configured = listed[0];
      // An ATLASSIAN_ORG_ID none of whose events is stored (another deployment's, a typo) would
      // preview "no MCP activity": refused as `--org` is, while other organizations' are stored.
      const org = orgOption(values.org);
      if (org === undefined && configured !== undefined && known.length > 0)
        if (!known.includes(configured)) {
          const problem = `ATLASSIAN_ORG_ID: no events of organization "${configured.slice(0, 80)}" are stored: the stored ones are ${known.join(", ")}`;
          if (values.post !== true) throw new UsageError(problem);
          stderr.write(`mcp-activity digest: ${problem}; the digest posted says no MCP activity\n`);
        }
      const orgId = org === undefined ? (configured ?? orgs[0]) : storedOrgOption(org, known);
      if (!orgId) {
        stdout.write(`${NO_EVENTS_YET}\n`);
        return 0;
      }
      const now = systemClock.now();
      // Several organizations share the channel: each digest says whose, by the name the
      // running bot kept (the id while the organizations API never gave one).
      const several = listed.length > 1 || known.length > 1;
      const named = new WatchedOrgs([...new Set([orgId, ...listed, ...known])], (id) =>
        stores.orgNames.get(id),
      );
      const deps = {
        stores,
        logger: logger.child({ orgId }),
        orgId,
        timeZone: store.digest.timezone,
        health: () => storedHealth(stores, orgId, now),
        ...(several ? { organization: () => named.name(orgId) } : {}),
      };
      const backfilling = stores.pollStates.midBackfill(orgId);
      if (values.post === true) {
        // As the schedule: never "no MCP activity" to the channel for what is not read yet.
        if (backfilling) {
          stderr.write(`not posted: ${BACKFILLING}; post it once the backfill is done\n`);
          return 1;
        }
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
            await createDigest(
              { ...deps, queue },
              "on-demand",
              now - DAY,
              now,
              { late: false },
              now,
            );
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
      const weekly = values.weekly === true && weeklyCron !== undefined;
      const { text, chart, composedSince } = await previewDigest(
        deps,
        {
          kind: weekly ? "weekly" : "daily",
          cron: weekly ? weeklyCron : store.digest.cron,
          variable: weekly ? "DIGEST_WEEKLY_CRON" : "DIGEST_CRON",
          timeZone: store.digest.timezone,
          which:
            typeof values.date === "string"
              ? { day: values.date }
              : { at: values.last === true ? "last" : "next" },
        },
        now,
      );
      if (backfilling) stderr.write(`mcp-activity digest: ${BACKFILLING}\n`);
      const pruned =
        composedSince === undefined ? undefined : stores.prunedBefore.within(orgId, composedSince);
      if (pruned !== undefined) stderr.write(`mcp-activity digest: ${prunedLine(pruned)}\n`);
      stdout.write(text);
      if (typeof values.chart === "string") {
        if (chart) {
          try {
            writeFileSync(values.chart, chart);
          } catch (cause) {
            throw new AppError(
              "CHART_WRITE",
              `cannot write the chart to ${values.chart}: ${(cause as Error).message}`,
              { cause },
            );
          }
          stdout.write(`chart written to ${spelledOut(values.chart)}\n`);
        } else stdout.write("no chart: no MCP activity in the period\n");
      }
      return 0;
    } finally {
      db.close();
    }
  },
};
