import { type Clock, systemClock } from "../../clock.js";
import { RULES } from "../../detect/rules/index.js";
import { type Alert, HIDDEN_BY_MUTE_RULE, NOT_ME_RULE } from "../../domain/alert.js";
import type { Repositories } from "../../store/repositories.js";
import { alertMessage, type SlackMessage } from "../blocks/alert.js";
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
 * Gathers what an alert's message shows (its first event, its last status change, the name of
 * its organization when several are watched, what responders taught about its rule and person)
 * and builds it.
 */
export function alertRenderer(
  stores: Pick<Repositories, "events" | "trail" | "alerts" | "mutes" | "suppressions">,
  organizationOf: (orgId: string) => string | undefined = () => undefined,
  clock: Clock = systemClock,
): (alert: Alert) => SlackMessage {
  const { events, trail } = stores;
  const taught = stores;
  return (alert) => {
    const last = alert.status === "open" ? undefined : trail.lastChange(alert.orgId, alert.id);
    return alertMessage({
      alert,
      event: events.bySeq(alert.firstEventSeq),
      explanation: EXPLANATIONS.get(alert.ruleId) ?? "",
      handled: last ? { status: alert.status, by: last.actor, at: last.at } : undefined,
      organization: organizationOf(alert.orgId),
      learned: readLearned(taught, alert, clock.now()),
    });
  };
}
