import type { Severity } from "../../domain/severity.js";
import type { Rule } from "../types.js";
import { who } from "../types.js";
import { type Precursor, precursorOf, targetAccount, targetUser } from "./identity-precursors.js";
import { noSettings } from "./settings.js";

/** A rule raised by one kind of identity precursor, titled "<what> for <target> by <actor>". */
export function precursorRule(o: {
  readonly id: Precursor;
  readonly severity: Severity;
  readonly explanation: string;
  readonly what: string;
}): Rule<Record<string, never>> {
  return {
    id: o.id,
    defaultSeverity: o.severity,
    defaultEnabled: true,
    explanation: o.explanation,
    needs: ["action"],
    // A mute of one account's precursor leaves the same admin's act on another account alerting.
    subject: targetAccount,
    subjectName: "person and account acted on",
    settings: noSettings,
    evaluate(event, facts) {
      if (precursorOf(event, facts.action) !== o.id) return null;
      const target = targetUser(event);
      const name = facts.action?.displayName ?? event.action;
      return {
        title: `${o.what}${target ? ` for ${target}` : ""} by ${who(event)}`,
        detail: { action: event.action, activity: name, target, message: event.message },
      };
    },
  };
}
