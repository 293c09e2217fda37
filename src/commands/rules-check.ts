import { existsSync } from "node:fs";
import { stringify } from "yaml";
import { parseStoreConfig } from "../config.js";
import { effectiveRules } from "../detect/effective-rules.js";
import type { RulesFile } from "../detect/rules-file.js";
import { NO_LONGER_QUIETS, neverQuieted } from "../domain/alert.js";
import type { ListedSuppression } from "../domain/suppression.js";
import { describeTool, toolCatalogue } from "../ingest/tools.js";
import { loadRulesFile } from "../load-rules.js";
import { rulesFileNotes } from "../rules-file-notes.js";
import { upToDate } from "../store/migrate.js";
import { openStore } from "../store/open.js";
import { repositories } from "../store/repositories.js";
import { forTerminal, spelledOut } from "../terminal-text.js";
import type { CommandContext } from "./command.js";

/**
 * `rules check [FILE]`: the effective configuration in the file's own syntax (JSON for a `.json`
 * file, else YAML), so that it can be saved as a starting point. The notes go with it as YAML
 * comments, or to stderr beside JSON, which has none. `now`: when the check is made.
 */
export function rulesCheck(
  file: string | undefined,
  { env, stdout, stderr }: Pick<CommandContext, "env" | "stdout" | "stderr">,
  now: number,
): number {
  // RULES_FILE read as start reads it (an empty value is unset), before anything is printed.
  const config = parseStoreConfig(env);
  const path = file ?? config.rulesFile;
  const rules = loadRulesFile(path, file === undefined ? "RULES_FILE" : "the rules file");
  const notes = `# ${path === undefined ? "no RULES_FILE set" : spelledOut(path)}: valid. Effective configuration:\n${wrapperSuppressions(rules)}${quieting(rules, now)}`;
  if (path?.endsWith(".json")) {
    stderr.write(notes.replace(/^# /gm, ""));
    stdout.write(`${JSON.stringify(effectiveRules(rules), null, 2)}\n`);
    stderr.write(addedByResponders(config.databasePath).replace(/^# /gm, ""));
    return 0;
  }
  stdout.write(`${notes}${stringify(effectiveRules(rules))}`);
  stdout.write(addedByResponders(config.databasePath));
  return 0;
}

/**
 * A comment line for each suppression naming a wrapper (`executeWrite`): a suppression's tool is
 * the tool that ran, so it quiets only the wrapper's calls that name no operation.
 */
function wrapperSuppressions(rules: RulesFile): string {
  const catalogue = toolCatalogue(rules.tools);
  // A suppression's tool matches whatever its case: so does the wrapper it names.
  const named = (tool: string) =>
    [...catalogue.entries.keys()].find((name) => name.toLowerCase() === tool.toLowerCase()) ?? tool;
  return rules.suppressions
    .map((s, i) =>
      s.tool !== undefined && describeTool(named(s.tool), catalogue).wrapper
        ? `# suppressions.${i}: ${forTerminal(s.tool).replace(/\n/g, " ")} is a wrapper: this suppression quiets only its calls that name no operation, not the tools run through it (name those, such as tool: createJiraIssue)\n`
        : "",
    )
    .join("");
}

/** A comment line for each thing the file quiets of what the product is there to catch. */
function quieting(rules: RulesFile, now: number): string {
  return rulesFileNotes(rules, now)
    .map((note) => `# ${forTerminal(note).replace(/\n/g, " ")}\n`)
    .join("");
}

/** The suppressions responders added, as comment lines after the file's configuration. */
function addedByResponders(databasePath: string): string {
  if (!existsSync(databasePath))
    return `# no database at ${spelledOut(databasePath)} yet: no suppressions added by responders\n`;
  // Read as it is: a check never upgrades the database under a bot of an earlier release.
  const db = openStore(databasePath, { migrate: false });
  let list: ListedSuppression[];
  try {
    if (!upToDate(db))
      return "# the database needs an upgrade (the next `start` or `migrate` makes it): suppressions added by responders not listed\n";
    list = repositories(db).suppressions.list();
  } finally {
    db.close();
  }
  if (list.length === 0) return "# suppressions added by responders: none\n";
  const lines = list.map(
    (s) =>
      `#   ${s.id}. ${s.ruleId} about ${s.person} (${s.orgId}), added by Slack user ${s.createdBy} on ${new Date(s.createdAt).toISOString()} from alert ${s.alertId ?? "-"}: ${s.reason}${neverQuieted(s.ruleId) ? ` (${NO_LONGER_QUIETS})` : ""}`,
  );
  // A person's name comes from the audit log: a newline in it must not start a line of its own.
  const shown = lines.map((line) => forTerminal(line).replace(/\n/g, " "));
  return `# suppressions added by responders from alerts (in the database; a responder removes one with Undo on its alert or Remove in /mcp-activity settings):\n${shown.join("\n")}\n`;
}
