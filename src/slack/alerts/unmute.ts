import { type Alert, HIDDEN_BY_MUTE_RULE } from "../../domain/alert.js";
import { muteLabel, type SetMute } from "../../domain/mute.js";
import { quietKey } from "../../domain/person-key.js";
import type { StoredSuppression } from "../../domain/suppression.js";
import type { AlertStore } from "../../store/alerts.js";
import type { MuteStore } from "../../store/mutes.js";
import type { SuppressionStore } from "../../store/suppressions.js";
import { suppressionLabel } from "../../store/suppressions.js";
import type { TrailStore } from "../../store/trail.js";
import { expectedMuteTag } from "../../triage/decide.js";
import { counted } from "../../words.js";

/** What ending a person's mutes reads and writes. */
interface UnmuteStores {
  readonly alerts: AlertStore;
  readonly trail: TrailStore;
  readonly mutes: MuteStore;
  readonly suppressions: SuppressionStore;
}

/** A mute or a suppression that ended. */
export type Ended = SetMute | StoredSuppression;

/**
 * Who an alert is about, as mutes and suppressions key it (quietKey); undefined when it names
 * neither account nor e-mail: nothing about it is quieted.
 */
export const person = (alert: Alert): string | undefined => quietKey(alert);

/**
 * What an undo click ends (see Decision.undo): the mutes, the mute its "Expected, mute" set, or
 * the suppressions of the alert's rule and person covering its subject; with `row` (End or Remove
 * in the settings' lists), that listed mute's pattern or that suppression alone. Nothing for an
 * alert that names no one.
 */
export function undoQuiet(
  stores: Pick<UnmuteStores, "mutes" | "suppressions">,
  alert: Alert,
  undo: "mutes" | "suppression" | "expected-mute" | undefined,
  actor: string,
  now: number,
  row?: number,
): Ended[] {
  const who = person(alert);
  if (who === undefined || undo === undefined) return [];
  if (undo === "mutes" && row !== undefined)
    return stores.mutes.endListed(alert.orgId, who, alert.ruleId, row, now);
  if (undo === "suppression" && row !== undefined)
    return stores.suppressions.removeListed(alert.orgId, who, alert.ruleId, row, actor, now);
  if (undo === "suppression")
    return stores.suppressions.removeFor(alert.orgId, who, alert.ruleId, actor, now, alert.subject);
  const tag = expectedMuteTag(alert.id);
  const which = undo === "expected-mute" ? (reason: string) => reason.includes(tag) : undefined;
  return stores.mutes.endFor(alert.orgId, who, now, alert.ruleId, which, alert.subject);
}

/**
 * The person says it was not them: every mute, snooze and suppression covering them ends (in the
 * trail), in every organization (an Atlassian account is the same in each), and what they hid
 * since they began is raised again as one high alert in each. `also`: the other keys they are
 * known by (the accounts and e-mail a Not me covers), whose mutes end alike. Returns the id of
 * this organization's.
 */
export function unmute(
  stores: UnmuteStores,
  alert: Alert,
  actor: string,
  now: number,
  also: readonly string[] = [],
): { ended: Ended[]; alertId: number | undefined } {
  const own = person(alert);
  const keys = [...new Set([...(own === undefined ? [] : [own]), ...also])];
  const elsewhere = keys.flatMap((who) => [
    ...stores.mutes.orgsOf(who, now),
    ...stores.suppressions.orgsOf(who),
  ]);
  const orgs = keys.length === 0 ? [] : [...new Set([alert.orgId, ...elsewhere])];
  const ended: Ended[] = [];
  let alertId: number | undefined;
  for (const orgId of orgs) {
    const raised = unmuteIn(stores, alert, keys, orgId, actor, now);
    ended.push(...raised.ended);
    if (orgId === alert.orgId) alertId = raised.alertId;
  }
  return { ended, alertId };
}

/** `unmute` in one organization. */
function unmuteIn(
  stores: UnmuteStores,
  alert: Alert,
  keys: readonly string[],
  orgId: string,
  actor: string,
  now: number,
): { ended: Ended[]; alertId: number | undefined } {
  const ended: Ended[] = keys.flatMap((who) => [
    ...stores.mutes.endFor(orgId, who, now),
    ...stores.suppressions.removeFor(orgId, who, undefined, actor, now),
  ]);
  const where = orgId === alert.orgId ? "" : ` in organization ${orgId}`;
  for (const mute of ended) {
    // One of their other accounts, or their e-mail: the trail says whose.
    const whose = mute.userKey === person(alert) ? "" : ` about ${mute.userKey}`;
    stores.trail.note(
      alert.orgId,
      alert.id,
      actor,
      now,
      `ended the ${"until" in mute ? "mute" : "suppression"} of ${mute.ruleId}${whose}${where} (${"until" in mute ? muteLabel(mute) : mute.reason}): the person said it was not them`,
    );
  }
  const because = "they say an alert about them was not them";
  return { ended, alertId: raiseHidden(stores, alert, orgId, ended, now, because) };
}

/**
 * What the ended mutes and suppressions kept quiet in `orgId` about the people they covered (the
 * alert's person, or their other accounts), raised again as one high alert about the alert's
 * person (`because` says why); its id, or undefined when they hid nothing.
 */
export function raiseHidden(
  stores: Pick<UnmuteStores, "alerts">,
  alert: Alert,
  orgId: string,
  ended: readonly Ended[],
  now: number,
  because: string,
): number | undefined {
  if (ended.length === 0) return undefined;
  const label = (m: Ended) => ("until" in m ? muteLabel(m) : suppressionLabel(m));
  const keys = [...new Set(ended.map((m) => m.userKey))];
  // Each from when it began: an alert of another key, or one an earlier snooze of the same words
  // kept quiet before this one began, is not what it hid.
  const byId = new Map<number, Alert>();
  for (const m of ended)
    for (const a of stores.alerts.hiddenBy(orgId, m.userKey, [label(m)], m.createdAt))
      byId.set(a.id, a);
  const hidden = [...byId.values()].sort((a, b) => a.id - b.id);
  const first = hidden[0];
  if (first === undefined) return undefined;
  const key = person(alert) ?? keys.join(",");
  const who = alert.userName ?? alert.userEmail ?? alert.userId ?? "this person";
  return stores.alerts.insert(
    {
      orgId,
      ruleId: HIDDEN_BY_MUTE_RULE,
      severity: "high",
      groupKey: `${HIDDEN_BY_MUTE_RULE}|${key}|${now}`,
      title: `${counted(hidden.length, "alert")} about ${who} kept quiet by mutes or suppressions, raised again: ${because}`,
      detail: {
        hiddenAlerts: hidden.map((a) => a.id),
        rules: [...new Set(hidden.map((a) => a.ruleId))],
      },
      userId: alert.userId,
      userName: alert.userName,
      userEmail: alert.userEmail,
      authKind: alert.authKind,
      firstEventSeq: first.firstEventSeq,
      lastEventSeq: Math.max(...hidden.map((a) => a.lastEventSeq)),
      firstSeen: Math.min(...hidden.map((a) => a.firstSeen)),
      lastSeen: Math.max(...hidden.map((a) => a.lastSeen)),
      eventCount: hidden.reduce((sum, a) => sum + a.eventCount, 0),
      tools: [...new Set(hidden.flatMap((a) => a.tools))],
      late: false,
      suppressedBy: null,
      notify: true,
      createdAt: now,
    },
    { alerts: hidden.map((a) => a.id) },
  );
}
