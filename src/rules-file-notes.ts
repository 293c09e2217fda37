import type { RulesFile } from "./detect/rules-file.js";
import { DEFAULT_TOOLS, dangerOf, describeTool } from "./ingest/tools.js";

/**
 * What a valid rules file quiets of what the product is there to catch, one sentence each, led by
 * the key that does it: `rules check` prints them as notes, `start` logs them at warn.
 */
export function rulesFileNotes(rules: RulesFile): string[] {
  return [...loweredTools(rules)];
}

/**
 * A tool the catalogue (or, unlisted, its verb) classes destructive or admin, which the file's
 * `tools` classes lower: its calls no longer raise mcp-destructive nor contradict
 * `destructiveTools: off`.
 */
function loweredTools(rules: RulesFile): string[] {
  return Object.entries(rules.tools).flatMap(([name, given]) => {
    const shipped = describeTool(name, DEFAULT_TOOLS);
    if (dangerOf(shipped.class) < dangerOf("destructive")) return [];
    if (dangerOf(given.class) >= dangerOf("destructive")) return [];
    const whose =
      shipped.known === "catalogue"
        ? `the catalogue classes ${shipped.class}`
        : `whose name reads as ${shipped.class}`;
    const keep = shipped.known === "catalogue" ? "the catalogue's class" : "that class";
    return [
      `tools.${name}: class ${given.class} lowers a tool ${whose}: its calls raise no mcp-destructive alert and no posture drift under destructiveTools: off (remove the entry to keep ${keep})`,
    ];
  });
}
