import { type Alert, coveredOnlyByName, neverQuieted } from "../domain/alert.js";
import { quietKey } from "../domain/person-key.js";

/** Actions that keep later alerts out of the channel (their undos are not: they end quiet). */
export const QUIETS = new Set(["expected-mute", "snooze", "mute-30", "suppress"]);

/** Why nothing quiets an alert that names neither account nor e-mail (quietKey). */
export const NO_PERSON_KEY =
  "Nothing changed: this alert's events name no account or e-mail, so nothing tells this person's later alerts from anyone else's: handle it with Acknowledge, Expected or True positive.";

/** Why nothing quiets an alert about the organization (Alert.aboutOrganization). */
export const ABOUT_ORGANIZATION =
  "Nothing changed: this alert is about the organization (a tool or an AI tool new to it), not this person, so no mute, snooze or suppression set from Slack covers it: handle it with Acknowledge, Expected or True positive. To quiet a known case, add a suppression to the rules file.";

/** Why no click may quiet the alerts that follow this one; undefined when one may. */
export function unquietable(
  alert: Pick<Alert, "ruleId" | "userId" | "userEmail" | "aboutOrganization">,
): string | undefined {
  if (!neverQuieted(alert.ruleId)) {
    if (alert.aboutOrganization) return ABOUT_ORGANIZATION;
    return quietKey(alert) === undefined ? NO_PERSON_KEY : undefined;
  }
  return coveredOnlyByName(alert.ruleId)
    ? "Nothing changed: alerts of this rule are not muted or suppressed from Slack (a canary read or a posture contradiction is never routine). To quiet a known case, add a suppression naming the rule to the rules file."
    : 'Nothing changed: an alert raised by a person\'s own answer ("not me") is never muted or suppressed: handle it with Acknowledge, Expected or True positive.';
}
