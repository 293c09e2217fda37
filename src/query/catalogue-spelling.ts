/** How the tool catalogue spells a tool: `tool:` finds a catalogued tool in any case. */
import { DEFAULT_TOOLS } from "../ingest/tools.js";

/** A tool's name as the catalogue spells it when only the case differs (`getjiraissue`). */
export function catalogueSpelling(tool: string): string {
  const lower = tool.toLowerCase();
  for (const name of DEFAULT_TOOLS.entries.keys()) if (name.toLowerCase() === lower) return name;
  return tool;
}
