import { type Alert, neverQuieted } from "../../domain/alert.js";
import { subjectLabel } from "../../domain/subject-label.js";
import type { Decision } from "../../triage/decision.js";
import { counted } from "../../words.js";
import { mrkdwn, slackDate } from "../escape.js";
import type { Ended } from "./unmute.js";

/** What the alert's thread says about the decision. */
export function told(
  decision: Decision,
  alert: Alert,
  actor: string,
  mention: string,
  raised: { ended: Ended[]; alertId: number | undefined } | undefined,
  organization: string | undefined,
  /** The mutes or suppressions an undo ended: the reply names the subject they covered. */
  undone: readonly Ended[] = [],
): string {
  const t = decision.told;
  const who = alert.userName ?? alert.userEmail ?? alert.userId ?? "this account";
  const label =
    t?.kind === "learned" && undone.length > 0 ? endedLabel(undone) : subjectLabel(alert);
  const only = label === undefined ? "" : ` (${mrkdwn(label, 200)} only)`;
  const pattern = `${mrkdwn(alert.ruleId, 60)} alerts about ${mrkdwn(who, 200)}${only}`;
  if (t?.kind === "learned") {
    if (t.did === "mute-30")
      return `🔕 <@${actor}> muted ${pattern} for 30 days: they are still stored and counted, not posted. Undo on the alert.`;
    if (t.did === "suppress")
      return `🔕 <@${actor}> suppressed ${pattern}: from now on they are stored and counted, never posted. Undo on the alert or in \`/mcp-activity settings\`.`;
    // One an earlier release set on a rule never quieted keeps nothing quiet now; what it hid
    // before is raised again.
    const after = !neverQuieted(alert.ruleId)
      ? "they are posted again."
      : raised?.alertId === undefined
        ? "it kept nothing quiet (alerts of this rule are never quieted)."
        : `what it kept quiet before alerts of this rule were never quieted is raised again as alert ${raised.alertId}.`;
    if (t.did === "unmute") return `🔔 <@${actor}> ended the mute of ${pattern}: ${after}`;
    return `🔔 <@${actor}> removed the suppression of ${pattern}: ${after}`;
  }
  if (t?.kind === "muted")
    return `🔕 <@${actor}> marked this expected and muted ${pattern} until ${slackDate(t.until)}: they are still stored and counted, not posted. Undo (reopen) ends the mute.`;
  if (t?.kind === "snoozed") {
    return `💤 <@${actor}> snoozed ${pattern} until ${slackDate(t.until)}: they are still stored and counted, not posted, and no reminder of this alert comes before then.`;
  }
  if (t?.kind === "confirmed" && decision.answeredAsResponder)
    return `✅ <@${actor}> confirmed this was them. They are a responder, so that handles nothing: another responder must handle alerts about them.`;
  if (t?.kind === "confirmed")
    return `✅ <@${actor}> confirmed this was them.${t.expected ? " Marked expected." : ""}`;
  const ended =
    raised && raised.ended.length > 0
      ? ` ${endedCounts(raised.ended)} of alerts about them ended${raised.alertId === undefined ? "" : `; what they kept quiet is raised again as alert ${raised.alertId}`}.`
      : "";
  // Its notification pages responders, and shows no alert: it names it, and where.
  const what = `[${alert.severity.toUpperCase()}] alert ${alert.id}: ${mrkdwn(alert.title, 300)}${organization === undefined ? "" : ` · ${mrkdwn(organization, 100)}`}`;
  const stays = t?.kind === "denied" && t.confirmed ? " It stays marked true positive." : "";
  return `🚨 <@${actor}> says this was *not* them (${what}): their account may be used by someone else. ${mention} please look now.${stays}${ended}`;
}

/** The one subject the ended mutes or suppressions all covered alone; none when one covered every subject. */
function endedLabel(ended: readonly Ended[]): string | undefined {
  const labels = new Set(ended.map((e) => e.subjectLabel));
  const [label] = labels;
  return labels.size === 1 ? label : undefined;
}

/** "2 mutes", "1 mute and 1 suppression". */
function endedCounts(ended: readonly Ended[]): string {
  const mutes = ended.filter((e) => "until" in e).length;
  const suppressions = ended.length - mutes;
  return [
    ...(mutes > 0 ? [counted(mutes, "mute")] : []),
    ...(suppressions > 0 ? [counted(suppressions, "suppression")] : []),
  ].join(" and ");
}
