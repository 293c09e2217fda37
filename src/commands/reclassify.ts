import { systemClock } from "../clock.js";
import { parseStoreConfig } from "../config.js";
import type { NormalizedEvent } from "../domain/event.js";
import { buildCatalog } from "../ingest/classify.js";
import { reclassify } from "../ingest/normalize.js";
import { toolCatalogue } from "../ingest/tools.js";
import { loadRulesFile } from "../load-rules.js";
import { openCommandStore } from "../store/open.js";
import { repositories } from "../store/repositories.js";
import type { Command } from "./command.js";

export const reclassifyCommand: Command = {
  name: "reclassify",
  summary: "recompute MCP flags, tools and other columns from the stored raw events",
  help: `Usage: mcp-activity reclassify

Re-reads every stored event's raw JSON with the current classification: the action catalogue
last fetched from /event-actions, the extra MCP action keys and tools of RULES_FILE, and this
release's tool catalogue, and records the personal baselines (first calls per scope, calls per
hour) again from the result. Run it after changing those; it never calls Atlassian.`,
  options: {},
  async run(_args, { env, stdout }) {
    const config = parseStoreConfig(env);
    const rules = loadRulesFile(config.rulesFile);
    const db = openCommandStore(config.databasePath, { existing: true });
    try {
      const { events, eventActions: actions, transaction } = repositories(db);
      const orgs = events.orgs();
      for (const orgId of orgs) {
        const catalog = buildCatalog(
          actions.all(orgId),
          rules.mcpActionKeys,
          toolCatalogue(rules.tools),
        );
        let total = 0;
        let changed = 0;
        for (const chunk of events.iterate(orgId)) {
          const updated = chunk.map((event) => reclassify(event, catalog));
          const differs = updated.filter((event, i) => differ(event, chunk[i]));
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

const COMPARED = [
  "isMcp",
  "mcpBasis",
  "tool",
  "toolClass",
  "innerTool",
  "toolGuessed",
  "product",
  "resource",
  "authKind",
  "siteHost",
  "clientApp",
] as const satisfies ReadonlyArray<keyof NormalizedEvent>;

function differ(a: NormalizedEvent, b: NormalizedEvent | undefined): boolean {
  return b === undefined || COMPARED.some((key) => a[key] !== b[key]);
}
