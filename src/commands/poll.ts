import { systemClock } from "../clock.js";
import { parseIngestConfig } from "../config.js";
import { loadRulesFile } from "../detect/rules-file.js";
import { UsageError } from "../errors.js";
import { createPoller } from "../ingest/create-poller.js";
import { createLogger } from "../logger.js";
import { AlertStore } from "../store/alerts.js";
import { openStore } from "../store/open.js";
import type { Command } from "./command.js";

export const pollCommand: Command = {
  name: "poll",
  summary: "read the audit log once into the database and say what was stored",
  help: `Usage: mcp-activity poll --once

Checks that the API key sees ATLASSIAN_ORG_ID, then reads the audit-log stream from where the
last poll stopped (on the first run: BACKFILL_DAYS of history) to its end, and prints what it
stored. Needs the ATLASSIAN_* variables, not Slack's. Progress goes to stderr.

Options:
  --once   poll one time and exit (\`start\` polls continuously)`,
  options: { once: { type: "boolean" } },
  async run({ values }, { env, stdout }) {
    if (values.once !== true)
      throw new UsageError("poll needs --once (`start` polls continuously)");
    const config = parseIngestConfig(env);
    const logger = createLogger({ level: config.logLevel, format: config.logFormat, fd: 2 });
    const rules = loadRulesFile(config.rulesFile);
    const db = openStore(config.databasePath);
    try {
      const { poller } = createPoller(config, { db, clock: systemClock, logger, rules });
      await poller.checkAccess();
      const result = await poller.pollOnce();
      const health = poller.health();
      const alerts = new AlertStore(db).counts(config.atlassian.orgId);
      stdout.write(
        `stored ${result.stored} new event(s) in ${result.pages} page(s)` +
          `${result.backfill ? " (first run: history backfilled, never alerted on)" : ""}; ` +
          `${result.duplicates} already stored, ${result.quarantined} quarantined\n` +
          `database: ${health.eventsStored} events, ${health.mcpEventsStored} MCP, ${health.quarantined} quarantined; ` +
          `MCP actions: ${health.mcpActionKeys.join(", ") || "none found"}\n` +
          `alerts: ${alerts.stored} stored, ${alerts.toPost} of them to post (at or above minSeverity, not suppressed)\n`,
      );
    } finally {
      db.close();
    }
    return 0;
  },
};
