import type { Alert } from "../../domain/alert.js";
import type { Told } from "../../triage/decision.js";
import { PRIORITY } from "../outbox/priority.js";
import { type AlertMessages, alertRef, note, queueAlertReply } from "./alert-thread.js";

/** The kind of the replies saying what a click did to an alert's quieting, and the least time between two. */
export const STATE_REPLY_KIND = "alert-state";
export const STATE_REPLY_MS = 5 * 60_000;

/** What a click tells the thread about quieting: said by queueStateReply. */
const QUIETING: ReadonlySet<Told["kind"]> = new Set(["snoozed", "muted", "learned"]);

/**
 * Queues what a click tells the alert's thread: "not me" at once and first of all, a quieting
 * by queueStateReply, "this was me" at once. False when the alert has no thread to reply in.
 */
export function queueTold(
  m: AlertMessages,
  alert: Pick<Alert, "orgId" | "id">,
  kind: Told["kind"],
  actor: string,
  text: string,
  now: number,
): boolean {
  const key = `${kind}:${alert.orgId}:${alert.id}:${actor}:${now}`;
  const priority = kind === "denied" ? PRIORITY.urgent : PRIORITY.reply;
  const reply = { key, text, priority };
  return QUIETING.has(kind)
    ? queueStateReply(m, alert, reply, now)
    : queueAlertReply(m, alert, reply, now);
}

/**
 * What a click did to the quieting of an alert's rule and person (muted, mute ended, snoozed,
 * suppressed), in the alert's thread at most once per STATE_REPLY_MS: one meanwhile waits for
 * that time, and a later click's replaces it while it waits, so the thread says who left it how,
 * however often buttons are toggled (the trail keeps every click). False when the alert has no
 * thread to reply in.
 */
export function queueStateReply(
  m: AlertMessages,
  alert: Pick<Alert, "orgId" | "id">,
  reply: { readonly key: string; readonly text: string; readonly priority: number },
  now: number,
): boolean {
  const last = m.outbox.byRef(alertRef(alert), STATE_REPLY_KIND);
  if (last?.state === "pending" && m.outbox.replacePending(last.key, note(reply.text))) return true;
  // From when the last was sent, if later than it was due (Slack was down meanwhile).
  const lastDue = Number(last?.data.due ?? last?.createdAt ?? Number.NEGATIVE_INFINITY);
  const lastAt = Math.max(lastDue, last?.deliveredAt ?? Number.NEGATIVE_INFINITY);
  const due = Math.max(now, lastAt + STATE_REPLY_MS);
  return queueAlertReply(
    m,
    alert,
    { ...reply, kind: STATE_REPLY_KIND, notBefore: due, data: { due } },
    now,
  );
}
