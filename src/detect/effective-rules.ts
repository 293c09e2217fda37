import type { RulesFile } from "./rules-file.js";
import type { AlertMode } from "./types.js";
import { watchEntry } from "./watch.js";

/** A rule's mode as the rules file writes it: `mode` and, for group and once, its length. */
function modeFields(mode: AlertMode): Record<string, unknown> {
  if (mode.kind === "group") return { mode: mode.kind, windowHours: mode.windowHours };
  if (mode.kind === "once" && mode.days !== null) return { mode: mode.kind, onceDays: mode.days };
  return { mode: mode.kind };
}

/**
 * The effective configuration, defaults included, in the rules file's own syntax: what
 * `rules check` prints, and a file that reads back to the same configuration.
 */
export function effectiveRules(config: RulesFile): Record<string, unknown> {
  const rules = Object.fromEntries(
    Object.entries(config.rules).map(([id, rule]) => [
      id,
      {
        enabled: rule.enabled,
        severity: rule.severity,
        ...modeFields(rule.mode),
        ...(rule.settings as Record<string, unknown>),
      },
    ]),
  );
  return { ...config, rules, watch: config.watch.map(watchEntry) };
}
