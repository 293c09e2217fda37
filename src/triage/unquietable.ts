import { type Alert, coveredOnlyByName, neverQuieted } from "../domain/alert.js";
import { quietKey } from "../domain/person-key.js";

/** Actions that keep later alerts out of the channel (their undos are not: they end quiet). */
export const QUIETS = new Set(["expected-mute", "snooze", "mute-30", "suppress"]);

/** Why nothing quiets an alert that names neither account nor e-mail (quietKey). */
export const NO_PERSON_KEY =
  "Nothing changed: this alert's events name no account or e-mail, so nothing tells this person's later alerts from anyone else's: handle it with Acknowledge, Expected or True positive.";

/** Why no click may quiet the alerts that follow this one; undefined when one may. */
export function unquietable(
  alert: Pick<Alert, "ruleId" | "userId" | "userEmail">,
): string | undefined {
  if (!neverQuieted(alert.ruleId)) return quietKey(alert) === undefined ? NO_PERSON_KEY : undefined;
  return coveredOnlyByName(alert.ruleId)
    ? "Nothing changed: alerts of this rule are not muted or suppressed from Slack (a canary read or a posture contradiction is never routine). To quiet a known case, add a suppression naming the rule to the rules file."
    : 'Nothing changed: an alert raised by a person\'s own answer ("not me") is never muted or suppressed: handle it with Acknowledge, Expected or True positive.';
}
