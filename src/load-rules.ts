import { readFileSync } from "node:fs";
import { DEFAULT_RULES_FILE, parseRulesText, type RulesFile } from "./detect/rules-file.js";
import { ConfigError } from "./errors.js";

/** The rules file at RULES_FILE (the defaults when unset); ConfigError when unreadable or invalid. */
export function loadRulesFile(path: string | undefined): RulesFile {
  if (path === undefined) return DEFAULT_RULES_FILE;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new ConfigError([`RULES_FILE ${path} cannot be read: ${(cause as Error).message}`]);
  }
  return parseRulesText(text, path);
}
