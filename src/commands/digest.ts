import { writeFileSync } from "node:fs";
import { type Clock, systemClock } from "../clock.js";
import { parseConfig, parseStoreConfig } from "../config.js";
import { splitList } from "../config-organizations.js";
import { digestText } from "../digest/build.js";
import { composeDigest, createDigest } from "../digest/compose.js";
import { scheduledTimes } from "../digest/schedule.js";
import { UsageError } from "../errors.js";
import { createLogger } from "../logger.js";
import { createWebClient } from "../slack/client.js";
import { digestHandlers, queueDigest } from "../slack/digest-outbox.js";
import { SlackPauses } from "../slack/outbox/pauses.js";
import { SlackPoster } from "../slack/outbox/poster.js";
import { openStore } from "../store/open.js";
import type { OutboxStore } from "../store/outbox.js";
import { type Repositories, repositories } from "../store/repositories.js";
import { DAY, HOUR } from "../time-units.js";
import type { Command } from "./command.js";

/** How long `digest --post` waits for its messages (sent by itself or by the running bot). */
const POST_WAIT_MS = 5 * 60_000;

/** Delivers the digest's messages, or waits while another process does; how they stand then. */
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
    if (!open || clock.now() >= deadline || poster.health().lastError?.advice) return states;
    await clock.sleep(1_000);
  }
}

/** Health figures for a digest made outside the running bot: what the database knows. */
function storedHealth(stores: Repositories, orgId: string, now: number) {
  const newest = stores.events.newestProcessedAt(orgId);
  return {
    lagSeconds: newest === null ? null : Math.round((now - newest) / 1000),
    quarantined: stores.quarantine.countFor(orgId),
    keyRejected: false,
    lastError: null,
  };
}

/** The first scheduled time on `day` (YYYY-MM-DD) in the digest's time zone. */
function scheduledOn(day: string, cron: string, timeZone: string): number {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(midnightUtc))
    throw new UsageError("--date must be a day such as 2026-11-24");
  const localDay = (ms: number) =>
    new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }).format(ms);
  let candidate = midnightUtc - 15 * HOUR; // before that day begins in any zone
  for (let i = 0; i < 48; i++) {
    const next = scheduledTimes(cron, timeZone, candidate).next;
    if (localDay(next) === day) return next;
    if (localDay(next) > day) break;
    candidate = next;
  }
  throw new UsageError(`DIGEST_CRON schedules no digest on ${day} in ${timeZone}`);
}

export const digestCommand: Command = {
  name: "digest",
  summary: "print a digest (--dry-run) or post one now (--post)",
  help: `Usage: mcp-activity digest --dry-run [--date YYYY-MM-DD] [--chart FILE]
       mcp-activity digest --post

--dry-run   prints the digest of the last period (24 hours up to the last DIGEST_CRON time in
            DIGEST_TIMEZONE, or up to that time on --date) as readable text, posts nothing;
            --chart FILE also writes its PNG chart there
--post      posts the digest of the last 24 hours to SLACK_ALERT_CHANNEL now (needs the Slack
            variables), through the same outbox as the bot: if the bot runs, whichever of the two
            claims a message sends it, never both; the daily schedule is not affected`,
  options: {
    "dry-run": { type: "boolean" },
    post: { type: "boolean" },
    date: { type: "string" },
    chart: { type: "string" },
    org: { type: "string" },
  },
  async run({ values }, { env, stdout }) {
    if ((values["dry-run"] === true) === (values.post === true))
      throw new UsageError("choose one of --dry-run or --post");
    const store = parseStoreConfig(env);
    const db = openStore(store.databasePath);
    const stores = repositories(db);
    const logger = createLogger({ level: store.logLevel, format: store.logFormat, fd: 2 });
    try {
      const orgs = stores.events.orgs();
      const configured = env.ATLASSIAN_ORG_ID ? splitList(env.ATLASSIAN_ORG_ID)[0] : undefined;
      const orgId = typeof values.org === "string" ? values.org : (configured ?? orgs[0]);
      if (!orgId) {
        stdout.write("no events stored yet: run `mcp-activity poll --once` first\n");
        return 0;
      }
      const now = systemClock.now();
      const deps = {
        stores,
        logger,
        orgId,
        timeZone: store.digest.timezone,
        health: () => storedHealth(stores, orgId, now),
      };
      if (values.post === true) {
        const config = parseConfig(env);
        const channel = config.slack.alertChannel;
        const clock = systemClock;
        const pauses = new SlackPauses({ store: stores.pauses, clock, logger });
        const client = createWebClient(config.slack.botToken, config.slack.apiUrl, logger, {
          pauses,
        });
        const queue = (digest: Parameters<typeof queueDigest>[1], at: number) =>
          queueDigest(stores.outbox, digest, channel, at);
        await createDigest({ ...deps, queue }, "daily", now - DAY, now, false, now);
        const digest = stores.digests.byPeriod(orgId, "daily", now);
        if (!digest) throw new Error("the digest was not recorded");
        const ref = `digest:${digest.id}`;
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
        });
        const states = await deliver(poster, stores.outbox, ref, clock);
        const parent = states.find((s) => s.kind === "digest");
        const problem = poster.health().lastError;
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
          stdout.write(`not posted: Slack refused it (${parent.failure})\n`);
          return 1;
        }
        stdout.write(
          problem
            ? `not posted yet: ${problem.advice ?? problem.code}. It stays queued: the bot posts it once that is fixed.\n`
            : "not posted yet: it stays queued, and the bot posts it.\n",
        );
        return 1;
      }
      const end =
        typeof values.date === "string"
          ? scheduledOn(values.date, store.digest.cron, store.digest.timezone)
          : scheduledTimes(store.digest.cron, store.digest.timezone, now).previous;
      const { message, chart } = await composeDigest(deps, "daily", end - DAY, end, false);
      stdout.write(digestText(message));
      if (typeof values.chart === "string") {
        if (chart) {
          writeFileSync(values.chart, chart);
          stdout.write(`chart written to ${values.chart}\n`);
        } else stdout.write("no chart: no MCP activity in the period\n");
      }
      return 0;
    } finally {
      db.close();
    }
  },
};
