import { parseStoreConfig } from "../config.js";
import { unfinishedReclassifyLines } from "../ingest/reclassify-unfinished.js";
import { describeTool, toolCatalogue } from "../ingest/tools.js";
import { loadRulesFile } from "../load-rules.js";
import { openCommandStore } from "../store/open.js";
import { repositories } from "../store/repositories.js";
import { forTerminal } from "../terminal-text.js";
import type { Command } from "./command.js";

const HEADER = ["tool", "class", "product", "risk", "known", "calls", "last seen"] as const;

export const toolsCommand: Command = {
  name: "tools",
  summary: "list the MCP tools seen, with their class and whether the catalogue knows them",
  help: `Usage: mcp-activity tools

Lists every tool the stored MCP calls used, most used first: its class (read, search, write,
destructive, admin), product and risk from the tool catalogue shipped with this release and the
\`tools:\` of RULES_FILE, and where it is known: "catalogue", "rules file", or "no" when only its
verb classified it (add it to the rules file's \`tools:\`, then run \`mcp-activity reclassify\`).
It never calls Atlassian.`,
  options: {},
  async run(_args, { env, stdout }) {
    const config = parseStoreConfig(env);
    const rules = loadRulesFile(config.rulesFile);
    const catalogue = toolCatalogue(rules.tools);
    const db = openCommandStore(config.databasePath, {
      existing: true,
      beforeUpgrade: () => loadRulesFile(config.rulesFile),
    });
    try {
      const { events, toolsSeen, reclassifyUnfinished } = repositories(db);
      // Said first: the classes below are then partly the old ones.
      const unfinished = reclassifyUnfinished.unfinished();
      for (const { line } of unfinishedReclassifyLines(unfinished, config.databasePath))
        stdout.write(`${line}\n`);
      const orgs = events.orgs();
      for (const orgId of orgs) {
        const rows = toolsSeen.seen(orgId).map((seen) => {
          const info = describeTool(seen.tool, catalogue);
          return [
            // Audit data: no control character reaches the terminal, no tab or line break the table.
            forTerminal(seen.tool).replace(/[\t\n]/g, " "),
            info.class ?? "unknown",
            info.product ?? "-",
            info.risk ?? "-",
            info.known ?? "no",
            String(seen.calls),
            new Date(seen.lastSeen).toISOString().slice(0, 16).replace("T", " "),
          ];
        });
        const unknown = rows.filter((row) => row[4] === "no").length;
        stdout.write(
          `${orgId}: ${rows.length} tool(s) seen, ${unknown} not in the catalogue\n${table([[...HEADER], ...rows])}`,
        );
      }
      if (orgs.length === 0) stdout.write("no events stored yet\n");
    } finally {
      db.close();
    }
    return 0;
  },
};

/** Columns padded to their widest cell; numbers to the right. */
function table(rows: readonly (readonly string[])[]): string {
  const widths = HEADER.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) =>
          HEADER[i] === "calls" ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
        )
        .join("  ")
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join("");
}
