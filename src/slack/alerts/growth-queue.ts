import type { Alert } from "../../domain/alert.js";
import { SEVERITIES, type Severity, severityRank } from "../../domain/severity.js";
import { growthReply, type JoinedEvents } from "../blocks/growth-reply.js";
import { type AlertMessages, alertRef, note, queueAlertReply } from "./alert-thread.js";

/** The kind of the "Now N events" replies in an alert's thread, and the least time between two. */
export const GROWTH_KIND = "alert-grew";
const GROWTH_REPLY_MS = 10 * 60_000;

/**
 * "Now N events" in the alert's thread, at most once per GROWTH_REPLY_MS: a growth meanwhile
 * waits for that time, and what grows while it waits is said by the same reply, as it is then.
 * The message itself shows each growth at once, but its update notifies nobody: a growth that
 * made the alert more severe than its thread last showed says so first, mentions the responders
 * and goes at once.
 */
export function queueGrowth(
  o: {
    readonly messages: AlertMessages;
    readonly joined?: (alert: Alert, afterSeq: number) => JoinedEvents;
    readonly mention: () => string;
  },
  alert: Alert,
  now: number,
): void {
  const { outbox } = o.messages;
  const last = outbox.byRef(alertRef(alert), GROWTH_KIND);
  // Each reply names the latest events since the one before (the message shows the first);
  // after a reply that kept no position (pruned, or from an earlier release), the latest ones.
  const pending = last?.state === "pending";
  // One Slack refused for good (or dropped) showed nothing: as if it were still to be sent.
  const unsent = pending || last?.state === "failed" || last?.state === "dropped";
  const after = Number((unsent ? last?.data.after : last?.data.upTo) ?? alert.firstEventSeq);
  // The severity the thread showed before this reply: the last sent reply's, else the post's.
  const shown = severityOf(
    (unsent ? last?.data.shown : last?.data.severity) ??
      outbox.byRef(alertRef(alert), "alert")?.data.severity,
  );
  const raised = shown !== undefined && severityRank(alert.severity) > severityRank(shown);
  const said = raised ? { mention: o.mention() } : undefined;
  const text = growthReply(alert, o.joined?.(alert, after), said).text;
  const data = { after, upTo: alert.lastEventSeq, shown, severity: alert.severity };
  const dueBy = raised ? now : undefined;
  if (
    pending &&
    last &&
    outbox.replacePending(last.key, note(text), { ...last.data, ...data }, dueBy)
  )
    return;
  // From when the last was sent, if later than it was due (Slack was down meanwhile).
  const lastDue = Number(last?.data.due ?? last?.createdAt ?? Number.NEGATIVE_INFINITY);
  const lastAt = Math.max(lastDue, last?.deliveredAt ?? Number.NEGATIVE_INFINITY);
  const due = raised ? now : Math.max(now, lastAt + GROWTH_REPLY_MS);
  queueAlertReply(
    o.messages,
    alert,
    {
      key: `alert-grew:${alert.orgId}:${alert.id}:${alert.revision}`,
      kind: GROWTH_KIND,
      text,
      notBefore: due,
      data: { due, ...data },
    },
    now,
  );
}

/** A severity kept in an outbox item's data, if it is one (an earlier release kept none). */
const severityOf = (value: unknown): Severity | undefined => SEVERITIES.find((s) => s === value);
