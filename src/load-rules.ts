import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { DEFAULT_RULES_FILE, parseRulesText, type RulesFile } from "./detect/rules-file.js";
import { ConfigError } from "./errors.js";

/**
 * The rules file at RULES_FILE (the defaults when unset); ConfigError when unreadable or invalid.
 * `given`: how the file was named, when not by RULES_FILE (`rules check FILE`).
 */
export function loadRulesFile(path: string | undefined, given = "RULES_FILE"): RulesFile {
  if (path === undefined) return DEFAULT_RULES_FILE;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new ConfigError([`${given} ${path} cannot be read: ${(cause as Error).message}`]);
  }
  return parseRulesText(text, path);
}

/** RULES_FILE as the bot records it (what `reclassify` compares): its absolute path, or null. */
export function rulesFileAt(path: string | undefined): string | null {
  return path === undefined ? null : resolve(path);
}
