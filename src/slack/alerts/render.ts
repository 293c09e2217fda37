import { type Clock, systemClock } from "../../clock.js";
import { RULES } from "../../detect/rules/index.js";
import { type Alert, HIDDEN_BY_MUTE_RULE, NOT_ME_RULE } from "../../domain/alert.js";
import type { Logger } from "../../logger.js";
import { storeProblem } from "../../store/errors.js";
import type { Repositories } from "../../store/repositories.js";
import { type AlertView, alertMessage, type SlackMessage } from "../blocks/alert.js";
import { plainAlertMessage } from "../blocks/alert-plain.js";
import { titledEvent } from "./titled-event.js";
import { readLearned } from "./triage.js";

const EXPLANATIONS = new Map([
  ...RULES.map((rule): [string, string] => [rule.id, rule.explanation]),
  [
    NOT_ME_RULE,
    "The person says AI-tool activity with their Atlassian account was not them: someone else may be using the account, or an AI tool they once authorized. Check the calls, and revoke the tool's access and the account's sessions if so.",
  ],
  [
    HIDDEN_BY_MUTE_RULE,
    "Mutes or suppressions kept these alerts about the person out of the channel. The person says an alert about them was not them, so they ended and what they kept quiet is shown again.",
  ],
]);

/**
 * Gathers what an alert's message shows (the event its title names: its first, or the one whose
 * finding retitled it; its last status change; the name of its organization when several are
 * watched; what responders taught about its rule and person) and builds it.
 */
export function alertRenderer(
  stores: Pick<Repositories, "events" | "trail" | "alerts" | "mutes" | "suppressions">,
  organizationOf: (orgId: string) => string | undefined = () => undefined,
  clock: Clock = systemClock,
  logger?: Logger,
): (alert: Alert) => SlackMessage {
  const { trail } = stores;
  const taught = stores;
  /** Alerts that could not be drawn in full, said once each. */
  const said = new Set<string>();
  return (alert) => {
    const handled = handledOf(trail, alert);
    try {
      return alertMessage({
        alert,
        event: titledEvent(stores, alert),
        explanation: EXPLANATIONS.get(alert.ruleId) ?? "",
        handled,
        organization: organizationOf(alert.orgId),
        learned: readLearned(taught, alert, clock.now()),
      });
    } catch (error) {
      // A bug, or a value no message can show: the alert is shown plainly, its buttons working.
      if (storeProblem(error)) throw error;
      const key = `${alert.orgId}:${alert.id}`;
      if (!said.has(key)) {
        said.add(key);
        logger?.error(
          { err: error, alertId: alert.id },
          `alert ${alert.id} could not be drawn in full (${(error as Error).message}): it is shown with its title and buttons alone`,
        );
      }
      return plainAlertMessage(alert, handled);
    }
  };
}

/** Who last changed an alert's status, and when: what its message shows once it is handled. */
function handledOf(trail: Repositories["trail"], alert: Alert): AlertView["handled"] {
  const last = alert.status === "open" ? undefined : trail.lastChange(alert.orgId, alert.id);
  return last ? { status: alert.status, by: last.actor, at: last.at } : undefined;
}

/**
 * An alert's plain message as it is now (its title, its rule and its buttons, see
 * plainAlertMessage); undefined when the organization has no such alert.
 */
export function plainRenderer(
  stores: Pick<Repositories, "alerts" | "trail">,
): (orgId: string, alertId: number) => SlackMessage | undefined {
  return (orgId, alertId) => {
    const alert = stores.alerts.get(alertId);
    if (alert?.orgId !== orgId) return undefined;
    return plainAlertMessage(alert, handledOf(stores.trail, alert));
  };
}
