import { systemClock } from "../clock.js";
import { parseStoreConfig } from "../config.js";
import { AppError } from "../errors.js";
import { catalogFor, classifiedOtherwise } from "../ingest/classify-again.js";
import { reclassify } from "../ingest/normalize.js";
import { loadRulesFile, rulesFileAt } from "../load-rules.js";
import { openCommandStore } from "../store/open.js";
import { repositories } from "../store/repositories.js";
import { counted } from "../words.js";
import type { Command } from "./command.js";

export const reclassifyCommand: Command = {
  name: "reclassify",
  summary: "recompute MCP flags, tools and other columns from the stored raw events",
  help: `Usage: mcp-activity reclassify [--force]

Re-reads every stored event's raw JSON with the current classification: the action catalogue
last fetched from /event-actions, the extra MCP action keys and tools of RULES_FILE, and this
release's tool catalogue, and records the personal baselines (first calls per scope, calls per
hour) again from the result. Run it after changing those, with the bot's RULES_FILE; it never
calls Atlassian. It says which rules file it applies, and refuses to run without the one the bot
last started with, or with another: stored events would be classified otherwise than new ones.

Options:
  --force    classify with this RULES_FILE (or none) all the same; start the bot the same way`,
  options: { force: { type: "boolean" } },
  async run({ values }, { env, stdout }) {
    const config = parseStoreConfig(env);
    const rules = loadRulesFile(config.rulesFile);
    const { rulesFile: applied, digest } = rulesFileAt(config.rulesFile);
    const db = openCommandStore(config.databasePath, { existing: true });
    try {
      const { events, eventActions: actions, transaction, classifiedWith } = repositories(db);
      const bot = classifiedWith.get();
      // Without the bot's rules file (a shell without its environment), what it classified
      // would be undone; with a first one, the bot only needs a restart to agree.
      if (bot?.rulesFile && bot.rulesFile !== applied && values.force !== true)
        throw new AppError(
          "RECLASSIFY_RULES",
          `the bot classifies new events with ${rulesWords(bot.rulesFile)} (as recorded when start or poll --once last ran, ${new Date(bot.recordedAt).toISOString()}), this run with ${rulesWords(applied)}: stored events would be classified otherwise than new ones. Run it with RULES_FILE=${bot.rulesFile}, or add --force to classify them this way (then start the bot the same way)`,
        );
      stdout.write(
        `classifying with ${rulesWords(applied)}${applied === null ? "" : ` (${counted(Object.keys(rules.tools).length, "tool")}, ${counted(rules.mcpActionKeys.length, "extra MCP action key")})`}\n`,
      );
      if (bot && bot.rulesFile !== applied)
        stdout.write(
          `the bot started with ${rulesWords(bot.rulesFile)}: restart it with ${applied === null ? "no RULES_FILE" : `RULES_FILE=${applied}`} so that new events are classified as these\n`,
        );
      else if (bot && applied !== null && bot.digest !== digest)
        stdout.write(
          `the bot read ${applied} at its start, before it was changed: restart it so that new events are classified as these\n`,
        );
      const orgs = events.orgs();
      for (const orgId of orgs) {
        const catalog = catalogFor(actions.all(orgId), rules);
        let total = 0;
        let changed = 0;
        for (const chunk of events.iterate(orgId)) {
          const updated = chunk.map((event) => reclassify(event, catalog));
          const differs = updated.filter((event, i) => classifiedOtherwise(event, chunk[i]));
          transaction(() => events.updateClassification(differs));
          total += chunk.length;
          changed += differs.length;
        }
        // The baselines count MCP calls as they were classified when stored: recorded again
        // whatever changed in this run, as a run cut short may have changed flags and no baseline.
        if (total > 0) events.rebuildBaselines(orgId, systemClock.now());
        const counts = events.counts(orgId);
        stdout.write(
          `${orgId}: ${total} events read, ${changed} changed; ${counts.mcp} MCP events now\n`,
        );
      }
      if (orgs.length === 0) stdout.write("no events stored yet\n");
    } finally {
      db.close();
    }
    return 0;
  },
};

/** "the rules file /etc/…/rules.yml", or that there is none. */
function rulesWords(path: string | null): string {
  return path === null ? "no RULES_FILE (the built-in tools alone)" : `the rules file ${path}`;
}
