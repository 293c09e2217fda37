import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { ConfigError } from "../errors.js";

/** The optional RULES_FILE (YAML or JSON). Every key is optional; unknown keys are errors. */
export const rulesFileSchema = z.strictObject({
  /** Action keys to treat as MCP besides those /event-actions names as MCP. */
  mcpActionKeys: z
    .array(z.string().min(1, { error: "expected a non-empty action key" }))
    .default([]),
});

export type RulesFile = z.infer<typeof rulesFileSchema>;

export const DEFAULT_RULES_FILE: RulesFile = rulesFileSchema.parse({});

/** Parses the text of a rules file; errors carry the path of each problem. */
export function parseRulesText(text: string, source: string): RulesFile {
  let data: unknown;
  try {
    data = source.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    const format = source.endsWith(".json") ? "JSON" : "YAML";
    throw new ConfigError([
      `RULES_FILE ${source} is not valid ${format}: ${(cause as Error).message}`,
    ]);
  }
  const result = rulesFileSchema.safeParse(data ?? {});
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map(
        (issue) =>
          `RULES_FILE ${source}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`,
      ),
    );
  }
  return result.data;
}

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
