import type { OutboxItem } from "../../domain/outbox.js";
import { queueAlertReply } from "../alerts/alert-thread.js";
import { mrkdwn } from "../escape.js";
import type { KindHandler } from "../outbox/poster-options.js";
import type { FollowUpStores } from "./followups.js";

/**
 * Once a question is sent: recorded, and the alert's thread says whom was asked. Once it failed
 * for good: the person is "not asked", and the thread says why. A reminder of an alert handled
 * meanwhile is dropped, and not counted.
 */
export function followUpHandlers(stores: FollowUpStores): Record<string, KindHandler> {
  const ofItem = (item: OutboxItem) => {
    const orgId = item.orgId ?? "";
    const id = Number(item.ref?.split(":").at(-1));
    return { orgId, id };
  };
  return {
    ask: {
      delivered(item, sent, now) {
        const alert = ofItem(item);
        stores.followUps.sent(alert.orgId, alert.id, sent.channel, sent.ts);
        const why = item.data.readdressed
          ? ", by the address the account has now: its e-mail address changed since this call"
          : "";
        const text = `Asked <@${String(item.data.user)}> by direct message whether this was them${why}.`;
        queueAlertReply(stores, alert, { key: `asked:${alert.orgId}:${alert.id}`, text }, now);
      },
      failed(item, reason, now) {
        const alert = ofItem(item);
        if (
          !stores.followUps.notAsked(alert.orgId, alert.id, `the direct message failed (${reason})`)
        )
          return;
        const text = `Not asked: the direct message failed (${mrkdwn(reason, 300)}).`;
        queueAlertReply(stores, alert, { key: `not-asked:${alert.orgId}:${alert.id}`, text }, now);
      },
    },
    "ask-update": {},
    reminder: {
      stale(item) {
        const { orgId, id } = ofItem(item);
        const alert = stores.alerts.get(id);
        if (alert && alert.status !== "open") return `alert ${id} was ${alert.status} meanwhile`;
        if (stores.followUps.get(orgId, id)?.confirmed)
          return `the person confirmed alert ${id} meanwhile`;
        return undefined;
      },
      // Given back: not sent, it is not one of the two. Its number comes again, so its key
      // carries when it was claimed.
      dropped(item) {
        const { orgId, id } = ofItem(item);
        const number = item.data.reminder;
        if (typeof number === "number") stores.followUps.giveBackReminder(orgId, id, number);
      },
    },
  };
}
