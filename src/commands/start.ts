import { tmpdir } from "node:os";
import { startApp } from "../app.js";
import { systemClock } from "../clock.js";
import { parseConfig, parseDryRunConfig } from "../config.js";
import { ConfigError } from "../errors.js";
import { listenRefusal } from "../http-server.js";
import { loadRulesFile } from "../load-rules.js";
import { createLogger } from "../logger.js";
import { weeklyCheckWarning } from "../retention/weekly-check-warning.js";
import { holdInstanceLock } from "../store/instance-lock.js";
import { upgradeStore } from "../store/open.js";
import type { Command, CommandContext } from "./command.js";
import { runWithConsole } from "./console-run.js";
import { shutdownSignal, stopWithinLimit } from "./lifecycle.js";

/** The console stands in for Slack: everything runs against the real audit log, nothing is posted. */
async function dryRun(signal: Promise<NodeJS.Signals>, { env, stdout }: CommandContext) {
  const config = parseDryRunConfig(env);
  // The console channel owns stdout; the log goes to stderr.
  const logger = createLogger({ level: config.logLevel, format: config.logFormat, fd: 2 });
  await runWithConsole({
    config,
    logger,
    user: { id: "UCONSOLE1", name: "you", email: "you@console.invalid", timeZone: "UTC" },
    filesIn: tmpdir(),
    stdout,
    signal,
    prompt: process.stdin.isTTY === true,
    intro:
      `Dry run: reading the audit log of ${config.atlassian.organizations.map((o) => o.orgId).join(", ")}; alerts and digests are printed here, nothing is posted to Slack.\n` +
      `Its database is ${config.databasePath}, apart from DATABASE_PATH: delete it (and the files beside it named after it) when done.\n`,
  });
  return 0;
}

/**
 * Migrates the database before the bot starts on it, under the bot's lock; a signal stops a long
 * migration after its batch (false), so a stop during an upgrade is as quick as any other.
 */
async function upgraded(path: string, stopping: AbortSignal): Promise<boolean> {
  const lock = holdInstanceLock(path);
  try {
    return await upgradeStore(path, stopping);
  } finally {
    lock.release();
  }
}

export const startCommand: Command = {
  name: "start",
  summary: "run the bot: poll the audit log, alert, answer Slack",
  help: `Usage: mcp-activity start [--dry-run]

Reads the configuration from the environment (and ./.env when present), migrates the database,
and runs until SIGTERM or SIGINT. GET /healthz on PORT answers its state.

--dry-run   reads the real audit log and runs the rules, but prints alerts, thread replies and
            digests on this terminal instead of posting them; no Slack variables are needed.
            It keeps its own database beside DATABASE_PATH (name.dry-run.db), so nothing it
            raises is posted once you start for real.
            When the terminal is interactive, a prompt takes /mcp-activity commands and button
            presses (type help). Use it to tune RULES_FILE before connecting Slack.`,
  options: { "dry-run": { type: "boolean" } },
  async run({ values }, context) {
    const stopping = new AbortController();
    const signal = shutdownSignal(stopping);
    if (values["dry-run"] === true) return dryRun(signal, context);
    const config = parseConfig(context.env);
    const logger = createLogger({ level: config.logLevel, format: config.logFormat });
    // A rules file this release refuses stops the start before an upgrade that cannot be undone.
    const rules = loadRulesFile(config.rulesFile);
    const shortWeek = weeklyCheckWarning(config.retentionDays, rules.attestation !== undefined);
    if (shortWeek) logger.warn({ retentionDays: config.retentionDays }, shortWeek);
    // A PORT or HOST it can never listen on is said before the database is created or migrated,
    // as a bad configuration (exit 2, which a service manager does not restart into).
    const refused = await listenRefusal(config.port, config.host);
    if (refused) throw new ConfigError([refused.message]);
    if (!(await upgraded(config.databasePath, stopping.signal))) {
      logger.info(
        { signal: await signal },
        "stopped during the migration: the next start goes on from where it stopped",
      );
      return 0;
    }
    const app = await startApp({ config, logger, clock: systemClock, stopping: stopping.signal });

    logger.info({ signal: await signal }, "shutting down");
    await stopWithinLimit(logger, () => app.stop());
    logger.info("stopped");
    // Everything is closed: a Slack call still unanswered (who the bot is, asked as the stop
    // came) would hold the process until its timeout. The log is written synchronously.
    setTimeout(() => process.exit(process.exitCode ?? 0), 100).unref();
    return 0;
  },
};
