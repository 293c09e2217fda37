import { systemClock } from "../clock.js";
import { type IngestConfig, type OrganizationConfig, parseIngestConfig } from "../config.js";
import type { RulesFile } from "../detect/rules-file.js";
import { AppError, UsageError } from "../errors.js";
import { loadRulesFile, rulesFileAt } from "../load-rules.js";
import { createLogger, type Logger } from "../logger.js";
import { createPoller } from "../pipeline.js";
import type { Db } from "../store/db.js";
import { holdInstanceLock } from "../store/instance-lock.js";
import { openLocked } from "../store/open.js";
import { type Repositories, repositories } from "../store/repositories.js";
import { otherThanBot, rulesSetting, rulesWords } from "./bot-rules-file.js";
import type { Command } from "./command.js";
import { checkKey } from "./poll-check.js";

/** Polls one organization to the end of its stream; says what was stored. */
async function pollOne(
  config: IngestConfig,
  org: OrganizationConfig,
  deps: { db: Db; stores: Repositories; logger: Logger; rules: RulesFile },
): Promise<string> {
  const { poller } = createPoller(
    { ...config, atlassian: { ...config.atlassian, ...org } },
    { ...deps, clock: systemClock },
  );
  await poller.checkAccess();
  const result = await poller.pollOnce();
  const health = poller.health();
  const alerts = deps.stores.alerts.counts(org.orgId);
  return (
    `stored ${result.stored} new event(s) in ${result.pages} page(s)` +
    `${result.backfill ? " (first run: history backfilled, never alerted on)" : ""}; ` +
    `${result.duplicates} already stored, ${result.quarantined} quarantined\n` +
    `database: ${health.eventsStored} events, ${health.mcpEventsStored} MCP, ${health.quarantined} quarantined; ` +
    `MCP actions: ${health.mcpActionKeys.join(", ") || "none found"}\n` +
    `alerts: ${alerts.stored} stored, ${alerts.toPost} of them to post (at or above minSeverity, not suppressed)\n`
  );
}

/**
 * Runs `work` for each organization: its report alone with one, each under its id with several,
 * where one failing (a refused key) does not stop the others. Exit 1 when any failed.
 */
async function eachOrganization(
  config: IngestConfig,
  out: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
  work: (org: OrganizationConfig) => Promise<string>,
): Promise<number> {
  const { organizations } = config.atlassian;
  let failed = 0;
  for (const org of organizations) {
    if (organizations.length === 1) {
      out.stdout.write(await work(org));
      continue;
    }
    try {
      out.stdout.write(`organization ${org.orgId}:\n${await work(org)}`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      failed++;
      out.stderr.write(`mcp-activity poll: organization ${org.orgId}: ${error.message}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}

export const pollCommand: Command = {
  name: "poll",
  summary: "read the audit log once into the database (--once), or check the API key (--check)",
  help: `Usage: mcp-activity poll --once [--force]
       mcp-activity poll --check

--once   checks that the API key sees ATLASSIAN_ORG_ID, then reads the audit-log stream from
         where the last poll stopped (on the first run: BACKFILL_DAYS of history) to its end
         into DATABASE_PATH, and prints what it stored (\`start\` polls continuously). Progress
         goes to stderr. What it stores it classifies and judges (alerts) with RULES_FILE, and
         nothing judges it again: it refuses to run without the rules file the bot last started
         with, or with another (one too, when the bot started with none).
  --force  polls with this RULES_FILE (or none) all the same; the bot's (or none) is still the
           one recorded
--check  checks the API key alone: that it sees the organization and reads its audit log, and
         which MCP actions Atlassian names (and RULES_FILE adds, when set: its mistakes are said
         here as \`start\` would say them). Nothing is stored, so the bot's first start still
         reads the history as history (a database made now would take the days until then as
         live, and post them).

With several organizations in ATLASSIAN_ORG_ID, each in turn. Needs the ATLASSIAN_* variables
and the bot's RULES_FILE, not Slack's.`,
  options: { once: { type: "boolean" }, check: { type: "boolean" }, force: { type: "boolean" } },
  async run({ values }, { env, stdout, stderr }) {
    const check = values.check === true;
    if (check === (values.once === true))
      throw new UsageError(
        "poll needs --once (read into the database) or --check (check the key, store nothing)",
      );
    if (check && values.force === true)
      throw new UsageError("--force goes with --once: --check stores nothing");
    const config = parseIngestConfig(env);
    const logger = createLogger({ level: config.logLevel, format: config.logFormat, fd: 2 });
    // Read first, so that a mistake in it is said before anything else, as `start` says it.
    const rules = loadRulesFile(config.rulesFile);
    if (check)
      return eachOrganization(config, { stdout, stderr }, (org) =>
        checkKey(config, org, {
          clock: systemClock,
          logger,
          extraMcpKeys: rules.mcpActionKeys,
        }),
      );
    const lock = holdInstanceLock(config.databasePath);
    // Told to stop (Ctrl-C): each page is committed whole with the cursor after it, and between two
    // turns of the event loop no commit is half done, so the process may end at once.
    const stopped = (signal: NodeJS.Signals) => {
      stderr.write(
        `\npoll stopped (${signal}): every page stored so far is kept; \`poll --once\` again goes on from there\n`,
      );
      lock.release();
      process.exit(signal === "SIGINT" ? 130 : 143);
    };
    process.once("SIGINT", stopped);
    process.once("SIGTERM", stopped);
    try {
      const db = openLocked(config.databasePath);
      const stores = repositories(db);
      try {
        const applied = rulesFileAt(config.rulesFile);
        // Without the bot's rules file (a cron job, a shell without its environment), what is
        // stored now would be judged otherwise than the bot would: a canary silent, a rule it
        // turns off posted; with one the bot does not use, a rule it has on silent. Forced, the
        // bot's record stays what `reclassify` asks for.
        const other = otherThanBot(stores.classifiedWith.get(), applied.rulesFile);
        if (other && values.force !== true)
          throw new AppError(
            "POLL_RULES",
            `the bot classifies and judges new events with ${other.said}, this poll with ${rulesWords(applied.rulesFile)}: the events it stores would be judged otherwise, and never again. Run it with ${rulesSetting(other.rulesFile)}, or add --force to poll this way all the same`,
          );
        if (other)
          stderr.write(
            `polling with ${rulesWords(applied.rulesFile)} (--force); the bot's record, ${rulesWords(other.rulesFile)}, stays as it is\n`,
          );
        else stores.classifiedWith.record(applied, systemClock.now());
        return await eachOrganization(config, { stdout, stderr }, (org) =>
          pollOne(config, org, { db, stores, logger, rules }),
        );
      } finally {
        db.close();
      }
    } finally {
      process.off("SIGINT", stopped);
      process.off("SIGTERM", stopped);
      lock.release();
    }
  },
};
