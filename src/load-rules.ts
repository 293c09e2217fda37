import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { closedFolderCause } from "./closed-folder.js";
import {
  DEFAULT_RULES_FILE,
  parseRulesText,
  RULES_HELP,
  type RulesFile,
} from "./detect/rules-file.js";
import { ConfigError, VARIABLES_HELP } from "./errors.js";
import { rulesFileNotes } from "./rules-file-notes.js";

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
    const why = closedFolderCause(path, cause) ?? (cause as Error).message;
    // RULES_FILE's path is a variable's value; one on the command line names a rules file.
    throw new ConfigError(
      [`${given} ${path} cannot be read: ${why}`],
      given === "RULES_FILE" ? VARIABLES_HELP : RULES_HELP,
    );
  }
  return parseRulesText(text, path, given);
}

/**
 * RULES_FILE as the bot records it (what `reclassify` compares): its absolute path and the digest
 * of its text now; null for none.
 */
export function rulesFileAt(path: string | undefined): {
  rulesFile: string | null;
  digest: string | null;
} {
  if (path === undefined) return { rulesFile: null, digest: null };
  let digest: string | null = null;
  try {
    digest = createHash("sha256").update(readFileSync(path)).digest("hex");
  } catch {
    // Unreadable now: loadRulesFile says so.
  }
  return { rulesFile: resolve(path), digest };
}

/**
 * What `start` warns of once: each thing the file at `path` quiets of what the product is there to
 * catch (`rules check` notes the same), as of `now`.
 */
export function rulesFileWarnings(
  path: string | undefined,
  rules: RulesFile,
  now: number,
): string[] {
  if (path === undefined) return [];
  return rulesFileNotes(rules, now).map((note) => `RULES_FILE ${path}: ${note}`);
}
