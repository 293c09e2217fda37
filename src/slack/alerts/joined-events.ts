import type { Alert } from "../../domain/alert.js";
import type { AlertStore } from "../../store/alerts.js";
import type { EventActionStore } from "../../store/event-actions.js";
import type { EventStore } from "../../store/events.js";
import type { JoinedEvents } from "../blocks/growth-reply.js";

/** A growth reply names this many events at most, the latest, after how many came before them. */
const JOINED_SHOWN = 10;

/** `joined` read from the store: the events linked to the alert, as stored, with their titles. */
export function joinedFrom(stores: {
  readonly alerts: Pick<AlertStore, "eventsAfter">;
  readonly events: Pick<EventStore, "bySeq">;
  readonly eventActions?: Pick<EventActionStore, "catalog">;
}): (alert: Alert, afterSeq: number) => JoinedEvents {
  return (alert, afterSeq) => {
    const { links, more, capped } = stores.alerts.eventsAfter(
      alert.orgId,
      alert.id,
      afterSeq,
      JOINED_SHOWN,
    );
    const catalog = stores.eventActions?.catalog(alert.orgId);
    const events = links.flatMap(({ seq, title }) => {
      const event = stores.events.bySeq(seq);
      if (!event) return [];
      return [{ event, title, actionName: catalog?.get(event.action)?.displayName ?? null }];
    });
    return { events, more, capped };
  };
}
