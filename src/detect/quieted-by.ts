import { neverQuieted } from "../domain/alert.js";
import type { StoredEvent } from "../domain/event.js";
import { quietKey } from "../domain/person-key.js";
import type { Repositories } from "../store/repositories.js";
import { suppressionLabel } from "../store/suppressions.js";
import { LATE_MS } from "./grouping.js";

/**
 * The reason a responder's suppression, else a mute, keeps this finding out of Slack: one of its
 * rule and person covering its subject (quietSubject), or one covering every subject. Either
 * covers what happens after it was set, and a call made less than an hour before but stored
 * after: the activity the responder was looking at (a call made seconds before the click and
 * polled after it). A call stored more than an hour after it was made alerts, as it did, and
 * so does one made while a mute ran but judged after it was ended (stored after, or stored
 * before and not judged yet: what a "not me" raises again was collected at its click).
 */
export function quietedBy(
  stores: Pick<Repositories, "mutes" | "suppressions">,
  event: StoredEvent,
  finding: { readonly ruleId: string; readonly subject: string | undefined },
  judgedAt: number,
): string | undefined {
  // Nobody's mute covers an event that names neither account nor e-mail: none was set for it.
  const who = quietKey(event);
  const { ruleId, subject } = finding;
  if (neverQuieted(ruleId) || who === undefined) return undefined;
  const setBy = Math.min(Math.max(event.time, event.ingestedAt), event.time + LATE_MS);
  const readAt = Math.max(event.ingestedAt, judgedAt);
  const { suppressions, mutes } = stores;
  const suppression = suppressions.coveringAt(event.orgId, ruleId, who, setBy, readAt, subject);
  return suppression
    ? suppressionLabel(suppression)
    : mutes.reasonAt(event.orgId, ruleId, who, event.time, { setBy, readAt, subject });
}
