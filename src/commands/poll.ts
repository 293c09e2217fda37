import { systemClock } from "../clock.js";
import { type IngestConfig, type OrganizationConfig, parseIngestConfig } from "../config.js";
import type { RulesFile } from "../detect/rules-file.js";
import { AppError, UsageError } from "../errors.js";
import { loadRulesFile } from "../load-rules.js";
import { createLogger, type Logger } from "../logger.js";
import { createPoller } from "../pipeline.js";
import type { Db } from "../store/db.js";
import { openStore } from "../store/open.js";
import { type Repositories, repositories } from "../store/repositories.js";
import type { Command } from "./command.js";

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

export const pollCommand: Command = {
  name: "poll",
  summary: "read the audit log once into the database and say what was stored",
  help: `Usage: mcp-activity poll --once

Checks that the API key sees ATLASSIAN_ORG_ID, then reads the audit-log stream from where the
last poll stopped (on the first run: BACKFILL_DAYS of history) to its end, and prints what it
stored. With several organizations in ATLASSIAN_ORG_ID, polls each in turn. Needs the
ATLASSIAN_* variables, not Slack's. Progress goes to stderr.

Options:
  --once   poll one time and exit (\`start\` polls continuously)`,
  options: { once: { type: "boolean" } },
  async run({ values }, { env, stdout, stderr }) {
    if (values.once !== true)
      throw new UsageError("poll needs --once (`start` polls continuously)");
    const config = parseIngestConfig(env);
    const logger = createLogger({ level: config.logLevel, format: config.logFormat, fd: 2 });
    const rules = loadRulesFile(config.rulesFile);
    const db = openStore(config.databasePath);
    const stores = repositories(db);
    const { organizations } = config.atlassian;
    let failed = 0;
    try {
      for (const org of organizations) {
        if (organizations.length === 1) {
          stdout.write(await pollOne(config, org, { db, stores, logger, rules }));
          continue;
        }
        try {
          const report = await pollOne(config, org, { db, stores, logger, rules });
          stdout.write(`organization ${org.orgId}:\n${report}`);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          failed++;
          stderr.write(`mcp-activity poll: organization ${org.orgId}: ${error.message}\n`);
        }
      }
    } finally {
      db.close();
    }
    return failed > 0 ? 1 : 0;
  },
};
