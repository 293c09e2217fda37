import { RULES } from "../detect/rules/index.js";
import type { Alert } from "../store/alerts.js";
import { EventStore } from "../store/events.js";
import type { Db } from "../store/open.js";
import { TrailStore } from "../store/trail.js";
import { alertMessage, type SlackMessage } from "./blocks/alert.js";

const EXPLANATIONS = new Map([
  ...RULES.map((rule): [string, string] => [rule.id, rule.explanation]),
  [
    "mcp-hidden-by-mute",
    "Mutes kept these alerts about the person out of the channel. The person says an alert about them was not them, so the mutes ended and what they kept quiet is shown again.",
  ],
]);

/**
 * Gathers what an alert's message shows (its first event, its last status change, the name of
 * its organization when several are watched) and builds it.
 */
export function alertRenderer(
  db: Db,
  organizationOf: (orgId: string) => string | undefined = () => undefined,
): (alert: Alert) => SlackMessage {
  const events = new EventStore(db);
  const trail = new TrailStore(db);
  return (alert) => {
    const last = alert.status === "open" ? undefined : trail.lastChange(alert.orgId, alert.id);
    return alertMessage({
      alert,
      event: events.bySeq(alert.firstEventSeq),
      explanation: EXPLANATIONS.get(alert.ruleId) ?? "",
      handled: last ? { status: alert.status, by: last.actor, at: last.at } : undefined,
      organization: organizationOf(alert.orgId),
    });
  };
}
