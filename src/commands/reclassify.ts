import { parseStoreConfig } from "../config.js";
import { loadRulesFile } from "../detect/rules-file.js";
import type { NormalizedEvent } from "../domain.js";
import { buildCatalog } from "../ingest/classify.js";
import { reclassify } from "../ingest/normalize.js";
import { EventActionStore } from "../store/event-actions.js";
import { EventStore } from "../store/events.js";
import { openStore } from "../store/open.js";
import type { Command } from "./command.js";

export const reclassifyCommand: Command = {
  name: "reclassify",
  summary: "recompute MCP flags, tools and other columns from the stored raw events",
  help: `Usage: mcp-activity reclassify

Re-reads every stored event's raw JSON with the current classification: the action catalogue
last fetched from /event-actions, the extra MCP action keys of RULES_FILE, and this release's
tool list. Run it after changing those; it never calls Atlassian.`,
  options: {},
  async run(_args, { env, stdout }) {
    const config = parseStoreConfig(env);
    const rules = loadRulesFile(config.rulesFile);
    const db = openStore(config.databasePath);
    try {
      const events = new EventStore(db);
      const actions = new EventActionStore(db);
      const orgs = new EventStore(db).orgs();
      for (const orgId of orgs) {
        const catalog = buildCatalog(actions.all(orgId), rules.mcpActionKeys);
        let total = 0;
        let changed = 0;
        for (const chunk of events.iterate(orgId)) {
          const updated = chunk.map((event) => reclassify(event, catalog));
          const differs = updated.filter((event, i) => differ(event, chunk[i]));
          db.transaction(() => events.updateClassification(differs))();
          total += chunk.length;
          changed += differs.length;
        }
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
  "product",
  "resource",
  "authKind",
  "siteHost",
  "clientApp",
] as const satisfies ReadonlyArray<keyof NormalizedEvent>;

function differ(a: NormalizedEvent, b: NormalizedEvent | undefined): boolean {
  return b === undefined || COMPARED.some((key) => a[key] !== b[key]);
}
