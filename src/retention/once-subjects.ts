import type { RulesFile } from "../detect/rules-file.js";
import { DAY } from "../time-units.js";

/**
 * The rules whose subjects stay known longer than the retention (a `once` rule's onceDays above
 * RETENTION_DAYS), each with the time before which an alert no longer keeps its subject known.
 */
export function longerOnceDays(
  rules: RulesFile["rules"],
  now: number,
  retentionDays: number,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(rules).flatMap(([id, rule]) =>
      rule.mode.kind === "once" && rule.mode.days !== null && rule.mode.days > retentionDays
        ? [[id, now - rule.mode.days * DAY]]
        : [],
    ),
  );
}
