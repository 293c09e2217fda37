import { writeFileSync } from "node:fs";
import { systemClock } from "../clock.js";
import { parseOrgIds, parseStoreConfig } from "../config.js";
import { AppError, UsageError } from "../errors.js";
import { lagSeconds } from "../ingest/poll-position.js";
import { loadRulesFile } from "../load-rules.js";
import { createLogger } from "../logger.js";
import { idNamed, WatchedOrgs } from "../organizations.js";
import { openCommandStore } from "../store/open.js";
import { type Repositories, repositories } from "../store/repositories.js";
import { spelledOut } from "../terminal-text.js";
import type { Command } from "./command.js";
import { postDigest } from "./digest-post.js";
import { dayOf, previewDigest } from "./digest-preview.js";
import { NO_EVENTS_YET, orgOption, storedOrgOption } from "./options.js";
import { prunedLine } from "./pruned-line.js";

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
      // ATLASSIAN_ORG_ID's ids, read in any case, as stored.
      const watched = listed.map((id) => idNamed(known, id) ?? id);
      const configured = watched[0];
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
      const named = new WatchedOrgs([...new Set([orgId, ...watched, ...known])], (id) =>
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
        return await postDigest({ env, stores, deps, logger, now, stdout, stderr });
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
